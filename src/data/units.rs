//! Every unit document on this tablet, hydrated into the model's
//! [`UnitData`] once per revision and shared by every screen: the memo is
//! made once with the sync context (so a district tablet with ~100 unit
//! documents does not hydrate them again for each screen it opens) and is
//! lazy (nothing is hydrated until a screen reads it). Documents still
//! being fetched (missing or unavailable) are left out.

use std::sync::Arc;

use leptos::prelude::*;
use yanzhen_model::DocId;
use yanzhen_model::store::UnitData;
use yanzhen_sync::DocumentId;

use crate::data::edit;
use crate::sync::cache::RevisionCache;
use crate::sync::repo::SyncContext;
use crate::sync::status::{Ack, DocKind};

/// A unit document here and its data at `revision`.
#[derive(Clone, Debug)]
pub struct UnitHere {
    pub doc: DocumentId,
    pub revision: u64,
    /// This tablet may only read it (the server would refuse edits).
    pub read_only: bool,
    pub data: Arc<UnitData>,
}

impl PartialEq for UnitHere {
    fn eq(&self, o: &Self) -> bool {
        self.doc == o.doc
            && self.revision == o.revision
            && self.read_only == o.read_only
            && Arc::ptr_eq(&self.data, &o.data)
    }
}

impl UnitHere {
    /// The model's id of the document.
    pub fn doc_id(&self) -> DocId {
        DocId(*self.doc.as_bytes())
    }
}

/// The shared unit documents (a context made by [`provide_unit_docs`]).
#[derive(Clone, Copy)]
pub struct UnitDocs {
    /// The unit documents here, in the sync rows' order.
    pub units: Memo<Arc<Vec<UnitHere>>>,
    cache: StoredValue<RevisionCache<DocumentId, UnitData>>,
}

impl UnitDocs {
    /// Hydrations done so far (diagnostics; tracked through `units`).
    pub fn hydrations(&self) -> u64 {
        self.units.track();
        self.cache.with_value(|c| c.hydrations)
    }
}

/// Makes the shared memo for `sync` and provides it (once, with the sync
/// context).
pub fn provide_unit_docs(sync: SyncContext) -> UnitDocs {
    let cache = StoredValue::new(RevisionCache::<DocumentId, UnitData>::default());
    let units = Memo::new_with_compare(
        move |_| {
            let rows: Vec<(DocumentId, u64, bool)> = sync.docs.with(|rows| {
                rows.iter()
                    .filter(|r| r.kind != DocKind::District)
                    .filter(|r| !matches!(r.ack, Ack::Missing | Ack::Unavailable))
                    .map(|r| (r.id, r.revision, r.read_only))
                    .collect()
            });
            let keys: Vec<(DocumentId, u64)> = rows.iter().map(|(d, r, _)| (*d, *r)).collect();
            let data = cache
                .try_update_value(|c| {
                    c.refresh_keyed(&keys, |id| {
                        sync.with_document(id, |am| edit::unit_data(am).ok())
                            .flatten()
                    })
                })
                .unwrap_or_default();
            let out: Vec<UnitHere> = data
                .into_iter()
                .filter_map(|(doc, data)| {
                    let (_, revision, read_only) = *rows.iter().find(|(d, _, _)| *d == doc)?;
                    Some(UnitHere {
                        doc,
                        revision,
                        read_only,
                        data,
                    })
                })
                .collect();
            Arc::new(out)
        },
        // Changed unless the very same data of the same documents.
        |a, b| a.is_none_or(|a| b.is_none_or(|b| a != b)),
    );
    let docs = UnitDocs { units, cache };
    provide_context(docs);
    docs
}

/// The shared unit documents of the running app.
pub fn use_unit_docs() -> UnitDocs {
    expect_context::<UnitDocs>()
}

/// The unit documents here (see [`UnitDocs::units`]).
pub fn use_units() -> Memo<Arc<Vec<UnitHere>>> {
    use_unit_docs().units
}
