//! The unit documents the review and filing screens read: each as its
//! sync id and its shared hydrated data ([`UnitHere`]), from the app's
//! shared memo of unit documents.

use std::sync::Arc;

use leptos::prelude::*;
use yanzhen_model::DocId;
use yanzhen_model::store::{DistrictData, UnitData};
use yanzhen_sync::DocumentId;

use crate::sync::repo::SyncContext;

/// The sync id of a unit's document.
pub fn sync_id(doc: &DocId) -> DocumentId {
    DocumentId::from_bytes(doc.0)
}

/// A unit document here: its id and what the screens read of it.
pub type UnitHere = (DocumentId, Arc<UnitData>);

/// The district document's id and data, the unit documents here, the
/// district writable (see [`review_reads`]).
pub type ReviewReads = (
    Memo<Option<DocumentId>>,
    Memo<Option<DistrictData>>,
    Memo<Vec<UnitHere>>,
    Signal<bool>,
);

/// What a 资格联审 / 备案 screen reads: the district document's id and
/// data, the unit documents on this tablet, and whether this tablet may
/// write the district document.
pub fn review_reads(sync: SyncContext) -> ReviewReads {
    let district_id = crate::data::docs::district_doc(sync);
    let writable = Signal::derive(move || district_id.get().is_some_and(|id| sync.may_write(&id)));
    (
        district_id,
        crate::data::docs::use_district(sync),
        use_unit_slices(sync),
        writable,
    )
}

/// The unit documents on this tablet, from the app's shared memo (each
/// hydrated once per revision for every screen).
pub fn use_unit_slices(_sync: SyncContext) -> Memo<Vec<UnitHere>> {
    let shared = crate::data::units::use_units();
    Memo::new(move |_| shared.with(|u| u.iter().map(|u| (u.doc, u.data.clone())).collect()))
}
