//! The rank screens' reactive plumbing (no rules here): every unit document
//! on this tablet (from the app's shared memo), and whether this tablet may
//! write a document.

use std::sync::Arc;

use leptos::prelude::*;
use yanzhen_model::store::UnitData;
use yanzhen_sync::DocumentId;

use crate::sync::repo::SyncContext;
use crate::sync::units::use_units;

/// The unit documents on this tablet with their data.
pub type UnitsHere = Arc<Vec<(DocumentId, UnitData)>>;

/// Every unit document on this tablet, from the app's shared memo (each
/// hydrated once per revision for every screen).
pub fn use_units_here(_sync: SyncContext) -> Memo<UnitsHere> {
    let shared = use_units();
    Memo::new(move |_| {
        shared.with(|u| Arc::new(u.iter().map(|u| (u.doc, (*u.data).clone())).collect()))
    })
}

/// Whether this tablet may write document `id` (tracked).
pub fn can_write(sync: SyncContext, id: Option<DocumentId>) -> bool {
    id.is_some_and(|id| sync.may_write(&id))
}
