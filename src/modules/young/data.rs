//! The 雏雁 screens' reactive reads (no rules here): one collection (e.g.
//! `reserve_cadres`, `people`) read from every unit document on this tablet,
//! re-read only for documents whose revision changed; the district document;
//! whether this tablet may write a document (the server's grant: a read-only
//! document is offered no action); a unit's document; today's date; one
//! record written with its outcome shown next to its form.

use leptos::prelude::*;
use yanzhen_model::store::{DistrictData, UnitData};
use yanzhen_model::{DocId, Id};
use yanzhen_sync::DocumentId;

use crate::data::docs::PickedUnit;
use crate::data::save::{SaveState, save_form};
use crate::modules::young::form::YErrors;
use crate::modules::young::labels::{district_list_note, list_note};
use crate::modules::young::messages::YoungMsg;

/// One unit document's part of a collection.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitPart<T> {
    pub doc: DocumentId,
    pub unit_id: Id,
    pub items: T,
}

/// One collection (picked by `pick`, e.g. the career moves) of every unit
/// document on this tablet, from the app's shared memo (each document
/// hydrated once per revision for every screen).
pub fn unit_collections<T>(pick: fn(&UnitData) -> T) -> Memo<Vec<UnitPart<T>>>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let shared = crate::data::units::use_units();
    Memo::new(move |_| {
        shared.with(|u| {
            u.iter()
                .map(|u| UnitPart {
                    doc: u.doc,
                    unit_id: u.data.unit_id.clone(),
                    items: pick(&u.data),
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

/// Writes one 雏雁 record into `doc` and shows the outcome next to its
/// form ([`save_form`]): the model's refusal goes to `errors`, at
/// `fallback` when it names no field of the form. True when written.
pub fn put_young<R: yanzhen_model::store::Record>(
    sync: crate::sync::repo::SyncContext,
    doc: Option<DocumentId>,
    record: &R,
    errors: RwSignal<YErrors>,
    state: RwSignal<SaveState>,
    fallback: &'static str,
) -> bool {
    save_form(sync, doc, Ok(record.clone()), errors, state, |v| {
        YErrors::from_validation(v, fallback)
    })
    .is_some()
}

/// Saves what a form made, as [`put_young`]: its problems are shown
/// ("invalid") and nothing is written, or its record is written. The
/// record, when it was written.
pub fn save_young<R: yanzhen_model::store::Record>(
    sync: crate::sync::repo::SyncContext,
    doc: Option<DocumentId>,
    made: Result<R, YErrors>,
    errors: RwSignal<YErrors>,
    state: RwSignal<SaveState>,
    fallback: &'static str,
) -> Option<R> {
    match made {
        Err(e) => {
            errors.set(e);
            state.set(SaveState::Invalid);
            None
        }
        Ok(r) => put_young(sync, doc, &r, errors, state, fallback).then_some(r),
    }
}

/// The record picked in a unit's list: none again once another unit is
/// picked.
pub fn picked_in(unit: PickedUnit) -> RwSignal<Option<Id>> {
    let picked = RwSignal::new(None::<Id>);
    Effect::new(move |_| {
        unit.unit.track();
        picked.set(None);
    });
    picked
}

/// What the picked unit's list of `rows` shows instead of them, if
/// anything; see [`list_note`].
pub fn unit_note<T: Send + Sync + 'static>(
    unit: PickedUnit,
    rows: Memo<Vec<T>>,
    none: YoungMsg,
) -> Signal<Option<YoungMsg>> {
    Signal::derive(move || {
        list_note(
            unit.unit.with(Option::is_some),
            unit.choices.with(|c| !c.is_empty()),
            unit.data.with(Option::is_some),
            rows.with(Vec::is_empty),
            none,
        )
    })
}

/// What a district-wide list of `rows` shows instead of them, if
/// anything; see [`district_list_note`].
pub fn district_note<T: Send + Sync + 'static>(
    district: Memo<Option<DistrictData>>,
    rows: Memo<Vec<T>>,
    none: YoungMsg,
) -> Signal<Option<YoungMsg>> {
    Signal::derive(move || {
        district_list_note(
            district.with(Option::is_some),
            rows.with(Vec::is_empty),
            none,
        )
    })
}
