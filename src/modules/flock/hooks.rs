//! The 群雁 screens' reactive reads (no rules here): every unit document
//! on the tablet hydrated once per revision (a district tablet holds ~100),
//! whether this tablet may write a document (the server's grant: a village
//! tablet writes its own unit document and only reads the district's), who
//! makes a change, and today's date from the browser's clock.

use std::sync::Arc;

use leptos::prelude::*;
use yanzhen_model::Id;
use yanzhen_model::store::{DistrictData, Record, UnitData};
use yanzhen_sync::DocumentId;

use crate::data::docs::{district_doc, use_district};
use crate::data::ids::new_id;
use crate::data::save::{SaveState, save_form};
use crate::modules::flock::form::FlockErrors;
use crate::sync::repo::SyncContext;

/// Every unit document on this tablet, from the app's shared memo (each
/// hydrated once per revision for every screen).
pub fn all_units(_sync: SyncContext) -> Memo<Vec<Arc<UnitData>>> {
    let shared = crate::data::units::use_units();
    Memo::new(move |_| shared.with(|u| u.iter().map(|u| u.data.clone()).collect()))
}

/// The district's data and id, every unit on the tablet, the district
/// writable (see [`district_reads`]).
pub type DistrictReads = (
    Memo<Option<DistrictData>>,
    Memo<Option<DocumentId>>,
    Memo<Vec<Arc<UnitData>>>,
    Memo<bool>,
);

/// What a 群雁 district screen reads: the district document (its data and
/// id), every unit document on this tablet, and whether this tablet may
/// write the district document.
pub fn district_reads(sync: SyncContext) -> DistrictReads {
    let district = use_district(sync);
    let ddoc = district_doc(sync);
    let writable = Memo::new(move |_| ddoc.get().is_some_and(|d| sync.may_write(&d)));
    (district, ddoc, all_units(sync), writable)
}

/// `f` over the district and every unit document on this tablet, as a
/// memo (the default while the district is not read).
pub fn over_units<T>(
    district: Memo<Option<DistrictData>>,
    units: Memo<Vec<Arc<UnitData>>>,
    f: impl Fn(&DistrictData, &[&UnitData]) -> T + Send + Sync + 'static,
) -> Memo<T>
where
    T: Default + PartialEq + Send + Sync + 'static,
{
    Memo::new(move |_| {
        district.with(|d| {
            units.with(|u| {
                let refs: Vec<&UnitData> = u.iter().map(|a| a.as_ref()).collect();
                d.as_ref().map(|d| f(d, &refs)).unwrap_or_default()
            })
        })
    })
}

/// A list of district records and its one form, which edits the picked
/// record or makes a new one: what is picked, whether a new record is being
/// made (and its id), the form's problems and where its save stands.
#[derive(Clone, Copy)]
pub struct RecordForm {
    pub selected: RwSignal<Option<Id>>,
    pub creating: RwSignal<bool>,
    fresh_id: StoredValue<Id>,
    pub errors: RwSignal<FlockErrors>,
    pub state: RwSignal<SaveState>,
}

/// A screen's [`RecordForm`]: nothing picked, no new record; another pick
/// starts the form clean.
pub fn use_record_form() -> RecordForm {
    let form = RecordForm {
        selected: RwSignal::new(None),
        creating: RwSignal::new(false),
        fresh_id: StoredValue::new(new_id()),
        errors: RwSignal::new(FlockErrors::default()),
        state: RwSignal::new(SaveState::Idle),
    };
    Effect::new(move |prev: Option<Option<Id>>| {
        let now = form.selected.get();
        if let Some(Some(p)) = prev
            && now.as_ref() != Some(&p)
        {
            form.errors.set(FlockErrors::default());
            form.state.set(SaveState::Idle);
        }
        now
    });
    form
}

impl RecordForm {
    /// Starts a new record: nothing picked, the form clean.
    pub fn start_new(&self) {
        self.selected.set(None);
        self.errors.set(FlockErrors::default());
        self.state.set(SaveState::Idle);
        self.creating.set(true);
    }

    /// Saves what the form makes of the record's id (a fresh one for a new
    /// record, else the picked one's; nothing picked: nothing to save) into
    /// the district document `doc`, its problems shown at `fallback` when
    /// the model names no field ([`save_form`]). A new record once saved is
    /// the picked one, and the next new one gets a fresh id. The record and
    /// whether it was new, when it was written.
    pub fn save<R: Record>(
        &self,
        sync: SyncContext,
        doc: Option<DocumentId>,
        make: impl FnOnce(Id) -> Result<R, FlockErrors>,
        fallback: &'static str,
    ) -> Option<(R, bool)> {
        let is_new = self.creating.get_untracked();
        let id = if is_new {
            self.fresh_id.get_value()
        } else {
            self.selected.get_untracked()?
        };
        let record = save_form(sync, doc, make(id.clone()), self.errors, self.state, |v| {
            FlockErrors::from_validation(v, fallback)
        })?;
        if is_new {
            self.fresh_id.set_value(new_id());
            self.creating.set(false);
            self.selected.set(Some(id));
        }
        Some((record, is_new))
    }
}
