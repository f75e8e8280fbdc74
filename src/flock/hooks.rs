//! The 群雁 screens' reactive reads (no rules here): every unit document
//! on the tablet hydrated once per revision (a district tablet holds ~100),
//! whether this tablet may write a document (the server's grant: a village
//! tablet writes its own unit document and only reads the district's), who
//! makes a change, and today's date from the browser's clock.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use yanzhen_model::DocId;
use yanzhen_model::store::UnitData;
use yanzhen_sync::DocumentId;

use crate::pages::person_data::unit_docs_here;
use crate::roster::write as roster_write;
use crate::sync::repo::SyncContext;

/// Every unit document on this tablet, hydrated (re-read only when a
/// document's revision changes), in no particular order.
pub fn all_units(sync: SyncContext) -> Memo<Vec<Arc<UnitData>>> {
    let here = unit_docs_here(sync);
    let cache: StoredValue<HashMap<DocId, (u64, Arc<UnitData>)>> = StoredValue::new(HashMap::new());
    Memo::new(move |_| {
        let docs = here.get();
        let mut out = Vec::with_capacity(docs.len());
        for doc in docs {
            let id = DocumentId::from_bytes(doc.0);
            let rev = sync.revision(&id);
            let cached = cache.with_value(|c| c.get(&doc).filter(|(r, _)| *r == rev).cloned());
            let data = match cached {
                Some((_, d)) => Some(d),
                None => sync
                    .with_document(&id, |am| roster_write::unit_data(am).ok())
                    .flatten()
                    .map(Arc::new)
                    .inspect(|d| {
                        cache.update_value(|c| {
                            c.insert(doc, (rev, d.clone()));
                        })
                    }),
            };
            out.extend(data);
        }
        out
    })
}
