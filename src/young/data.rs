//! The 雏雁 screens' reactive reads (no rules here): one collection (e.g.
//! `reserve_cadres`, `people`) read from every unit document on this tablet,
//! re-read only for documents whose revision changed; the district document;
//! whether this tablet may write a document (the server's grant: a read-only
//! document is offered no action); a unit's document; today's date.

use std::collections::HashMap;

use autosurgeon::Hydrate;
use leptos::prelude::*;
use yanzhen_model::store::DistrictData;
use yanzhen_model::{DocId, Id};
use yanzhen_sync::DocumentId;

use crate::sync::repo::SyncContext;
use crate::sync::status::{Ack, DocKind};

/// One unit document's part of a collection.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitPart<T> {
    pub doc: DocumentId,
    pub unit_id: Id,
    pub items: T,
}

/// The collection `prop` of every unit document on this tablet (loaded, not
/// still being fetched), re-read per document when its revision bumps.
pub fn unit_collections<T>(sync: SyncContext, prop: &'static str) -> Memo<Vec<UnitPart<T>>>
where
    T: Hydrate + Clone + PartialEq + Send + Sync + 'static,
{
    let cache: StoredValue<HashMap<DocumentId, (u64, Id, T)>> = StoredValue::new(HashMap::new());
    Memo::new(move |_| {
        let here: Vec<(DocumentId, u64)> = sync.docs.with(|rows| {
            rows.iter()
                .filter(|r| r.kind != DocKind::District)
                .filter(|r| !matches!(r.ack, Ack::Missing | Ack::Unavailable))
                .map(|r| (r.id, r.revision))
                .collect()
        });
        cache.update_value(|c| {
            for (id, rev) in &here {
                if c.get(id).is_some_and(|(r, _, _)| r == rev) {
                    continue;
                }
                let read = sync
                    .with_document(id, |am| {
                        let unit: Id =
                            autosurgeon::hydrate_prop(am, automerge::ROOT, "unit_id").ok()?;
                        let items: T = autosurgeon::hydrate_prop(am, automerge::ROOT, prop).ok()?;
                        Some((unit, items))
                    })
                    .flatten();
                if let Some((unit, items)) = read {
                    c.insert(*id, (*rev, unit, items));
                }
            }
        });
        cache.with_value(|c| {
            here.iter()
                .filter_map(|(id, _)| {
                    c.get(id).map(|(_, unit, items)| UnitPart {
                        doc: *id,
                        unit_id: unit.clone(),
                        items: items.clone(),
                    })
                })
                .collect()
        })
    })
}

/// The document of unit `unit` in the directory.
pub fn unit_doc(district: &DistrictData, unit: &Id) -> Option<DocumentId> {
    district
        .units
        .get(unit)
        .and_then(|u| u.doc_id)
        .map(|d| DocumentId::from_bytes(d.0))
}

/// A unit document id as the model names it.
pub fn doc_id(d: &DocumentId) -> DocId {
    DocId(*d.as_bytes())
}

/// A unit's name from the directory (its id when unknown).
pub fn unit_name(district: Option<&DistrictData>, unit: &Id) -> String {
    district
        .and_then(|d| d.units.get(unit))
        .map_or_else(|| unit.as_str().to_owned(), |u| u.name.clone())
}

/// Turns each of `states` from "saving" into "saved" once IndexedDB has
/// every write of the documents `docs` gives.
pub fn settle(
    sync: SyncContext,
    docs: impl Fn() -> Vec<DocumentId> + Send + Sync + 'static,
    states: Vec<RwSignal<crate::pages::person_data::SaveState>>,
) {
    use crate::pages::person_data::{SaveState, unsaved};
    Effect::new(move |_| {
        let pending = docs().iter().any(|d| unsaved(sync, d));
        for s in &states {
            if s.get() == SaveState::Saving && !pending {
                s.set(SaveState::Saved);
            }
        }
    });
}
