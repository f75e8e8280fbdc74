//! The documents on this tablet as screens read them: the district
//! directory and a unit's data, re-read when a document's revision bumps;
//! the units a screen may pick; whether a document's writes are all in
//! IndexedDB yet; document ids in URLs.

use leptos::prelude::*;
use yanzhen_model::DocId;
use yanzhen_model::store::{DistrictData, UnitData};
use yanzhen_sync::DocumentId;

use crate::data::edit;
use crate::sync::repo::SyncContext;
use crate::sync::status::{Ack, DocKind};

/// The district document, once known.
pub fn district_doc(sync: SyncContext) -> Memo<Option<DocumentId>> {
    Memo::new(move |_| {
        sync.docs.with(|rows| {
            rows.iter()
                .find(|r| r.kind == DocKind::District)
                .map(|r| r.id)
        })
    })
}

/// The district's data (its unit directory), re-read on change.
pub fn use_district(sync: SyncContext) -> Memo<Option<DistrictData>> {
    let id = district_doc(sync);
    Memo::new(move |_| {
        let id = id.get()?;
        sync.revision(&id);
        sync.with_document(&id, |am| {
            yanzhen_model::whole::read::<DistrictData>(am).ok()
        })
        .flatten()
    })
}

/// The unit documents this tablet holds (loaded, not still being fetched).
pub fn unit_docs_here(sync: SyncContext) -> Memo<Vec<DocId>> {
    Memo::new(move |_| {
        sync.docs.with(|rows| {
            rows.iter()
                .filter(|r| r.kind != DocKind::District)
                .filter(|r| !matches!(r.ack, Ack::Missing | Ack::Unavailable))
                .map(|r| DocId(*r.id.as_bytes()))
                .collect()
        })
    })
}

/// A unit document's data, re-read on change (`None` while not here).
pub fn use_unit(sync: SyncContext, doc: Signal<Option<DocumentId>>) -> Memo<Option<UnitData>> {
    Memo::new(move |_| {
        let id = doc.get()?;
        sync.revision(&id);
        sync.with_document(&id, |am| edit::unit_data(am).ok())
            .flatten()
    })
}

/// The units of `district` this tablet holds, as a unit picker's choices
/// (name order).
pub fn unit_choice_list(
    district: Memo<Option<DistrictData>>,
    here: Memo<Vec<DocId>>,
) -> Memo<Vec<crate::data::choices::UnitChoice>> {
    Memo::new(move |_| {
        district.with(|d| {
            d.as_ref()
                .map(|d| here.with(|h| crate::data::choices::unit_choices(d, h)))
                .unwrap_or_default()
        })
    })
}

/// With one choice only (a village tablet), `picked` is set to it.
pub fn pick_the_only_unit(
    choices: Memo<Vec<crate::data::choices::UnitChoice>>,
    picked: RwSignal<Option<String>>,
) {
    Effect::new(move |_| {
        let c = choices.get();
        if c.len() == 1 && picked.get_untracked().is_none() {
            picked.set(Some(doc_param(&c[0].doc)));
        }
    });
}

/// The unit a screen works on, picked among the units of the district
/// this tablet holds (the only one is picked at once): the choices, the
/// pick (the unit document's id in URL form), its document, its data and
/// whether this tablet may write it.
#[derive(Clone, Copy)]
pub struct PickedUnit {
    pub choices: Memo<Vec<crate::data::choices::UnitChoice>>,
    pub unit: RwSignal<Option<String>>,
    pub doc: Signal<Option<DocumentId>>,
    pub data: Memo<Option<UnitData>>,
    pub can_write: Signal<bool>,
}

/// A screen's [`PickedUnit`], nothing picked yet (unless there is one unit).
pub fn use_picked_unit(sync: SyncContext, district: Memo<Option<DistrictData>>) -> PickedUnit {
    let here = unit_docs_here(sync);
    let choices = unit_choice_list(district, here);
    let unit = RwSignal::new(None::<String>);
    pick_the_only_unit(choices, unit);
    let doc = Signal::derive(move || unit.get().as_deref().and_then(parse_doc));
    let data = use_unit(sync, doc);
    let can_write = Signal::derive(move || doc.get().is_some_and(|d| sync.may_write(&d)));
    PickedUnit {
        choices,
        unit,
        doc,
        data,
        can_write,
    }
}

/// Whether some writes of document `id` are not in IndexedDB yet (tracked).
pub fn unsaved(sync: SyncContext, id: &DocumentId) -> bool {
    sync.docs
        .with(|rows| rows.iter().find(|r| r.id == *id).is_some_and(|r| r.unsaved))
}

/// The document id of a URL parameter.
pub fn parse_doc(s: &str) -> Option<DocumentId> {
    s.parse().ok()
}

/// The URL form of a unit's document id.
pub fn doc_param(doc: &DocId) -> String {
    DocumentId::from_bytes(doc.0).to_string()
}
