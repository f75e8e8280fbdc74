//! The rank screens' reactive plumbing (no rules here): every unit document
//! on this tablet, hydrated once per revision (a cache keeps the others), and
//! whether this tablet may write a document.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use yanzhen_model::store::UnitData;
use yanzhen_sync::DocumentId;

use crate::pages::person_data::unit_docs_here;
use crate::roster::write;
use crate::sync::repo::SyncContext;

/// The unit documents on this tablet with their data.
pub type UnitsHere = Arc<Vec<(DocumentId, UnitData)>>;

/// Every unit document on this tablet, re-read when one changes (only the
/// changed ones are hydrated again).
pub fn use_units_here(sync: SyncContext) -> ReadSignal<UnitsHere> {
    let here = unit_docs_here(sync);
    let out = RwSignal::new(UnitsHere::default());
    let cache: StoredValue<HashMap<DocumentId, (u64, UnitData)>> = StoredValue::new(HashMap::new());
    Effect::new(move |_| {
        let ids: Vec<DocumentId> = here
            .get()
            .iter()
            .map(|d| DocumentId::from_bytes(d.0))
            .collect();
        let mut list = Vec::with_capacity(ids.len());
        let mut changed = false;
        cache.update_value(|c| {
            c.retain(|id, _| ids.contains(id));
            for id in &ids {
                let rev = sync.revision(id);
                let fresh = c.get(id).is_none_or(|(r, _)| *r != rev);
                if fresh && let Some(Ok(data)) = sync.with_document(id, write::unit_data) {
                    c.insert(*id, (rev, data));
                    changed = true;
                }
                if let Some((_, d)) = c.get(id) {
                    list.push((*id, d.clone()));
                }
            }
        });
        if changed || out.with_untracked(|o| o.len() != list.len()) {
            out.set(Arc::new(list));
        }
    });
    out.read_only()
}

/// Whether this tablet may write document `id` (tracked).
pub fn can_write(sync: SyncContext, id: Option<DocumentId>) -> bool {
    id.is_some_and(|id| sync.may_write(&id))
}
