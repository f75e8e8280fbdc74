//! The unit documents the review and filing screens read: each as its
//! sync id and its shared hydrated data ([`UnitHere`]), from the app's
//! shared memo of unit documents.

use std::sync::Arc;

use leptos::prelude::*;
use yanzhen_model::DocId;
use yanzhen_model::store::UnitData;
use yanzhen_sync::DocumentId;

use crate::sync::repo::SyncContext;

/// The sync id of a unit's document.
pub fn sync_id(doc: &DocId) -> DocumentId {
    DocumentId::from_bytes(doc.0)
}

/// A unit document here: its id and what the screens read of it.
pub type UnitHere = (DocumentId, Arc<UnitData>);

/// The unit documents on this tablet, from the app's shared memo (each
/// hydrated once per revision for every screen).
pub fn use_unit_slices(_sync: SyncContext) -> Memo<Vec<UnitHere>> {
    let shared = crate::data::units::use_units();
    Memo::new(move |_| shared.with(|u| u.iter().map(|u| (u.doc, u.data.clone())).collect()))
}
