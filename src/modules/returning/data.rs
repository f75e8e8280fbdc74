//! The 归雁 screens' reactive plumbing (no rules here): the unit documents
//! on this tablet, hydrated once per revision (a district tablet holds
//! ~100), whether this tablet may write them or the district document,
//! which unit is "this tablet's own" (for the home screen), the unit
//! picker's choice, and today's date from the tablet's clock.

use leptos::prelude::*;

use yanzhen_model::store::DistrictData;
use yanzhen_model::{Date, DocId, Id};
use yanzhen_sync::DocumentId;

use crate::access::role::Role;
use crate::data::choices::{UnitChoice, unit_choices};
use crate::data::docs::doc_param;
use crate::sync::repo::SyncContext;
use crate::sync::status::DocKind;

pub use crate::data::units::UnitHere;

/// The unit documents here (loaded), from the app's shared memo (each
/// hydrated once per revision for every screen).
pub fn use_units_here(_sync: SyncContext) -> Memo<Vec<UnitHere>> {
    let shared = crate::data::units::use_units();
    Memo::new(move |_| shared.with(|u| u.as_ref().clone()))
}

/// Whether this tablet may write the district document (the talent
/// register lives there): only the district admin.
pub fn district_writable(sync: SyncContext) -> Memo<bool> {
    Memo::new(move |_| {
        sync.docs.with(|rows| {
            rows.iter()
                .find(|r| r.kind == DocKind::District)
                .is_some_and(|r| !r.read_only)
        })
    })
}

/// This tablet's own unit document: a village/community enrolment's unit
/// (from the directory), else the only unit document here; `None` on a
/// tablet with several units (township, district).
pub fn home_unit(
    sync: SyncContext,
    district: Memo<Option<DistrictData>>,
    units: Memo<Vec<UnitHere>>,
) -> Memo<Option<DocumentId>> {
    Memo::new(move |_| {
        let own = sync.enrolment.with(|e| {
            let d = &e.as_ref()?.device;
            (d.role() == Some(Role::Village))
                .then(|| d.unit_id.clone())
                .flatten()
        });
        if let Some(uid) = own.as_deref().and_then(Id::parse) {
            let doc = district.with(|d| {
                d.as_ref()
                    .and_then(|d| d.units.get(&uid))
                    .and_then(|u| u.doc_id)
            });
            if let Some(doc) = doc {
                return Some(DocumentId::from_bytes(doc.0));
            }
        }
        units.with(|u| (u.len() == 1).then(|| u[0].doc))
    })
}

/// The unit picker's choices and the chosen unit document (as in URLs):
/// this tablet's own unit, else the first choice, until a person picks.
pub fn use_unit_choice(
    district: Memo<Option<DistrictData>>,
    units: Memo<Vec<UnitHere>>,
    own: Memo<Option<DocumentId>>,
) -> (Memo<Vec<UnitChoice>>, RwSignal<Option<String>>) {
    let choices = Memo::new(move |_| {
        let have: Vec<DocId> = units.with(|u| u.iter().map(UnitHere::doc_id).collect());
        district.with(|d| {
            d.as_ref()
                .map(|d| unit_choices(d, &have))
                .unwrap_or_default()
        })
    });
    let selected = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if selected.with_untracked(Option::is_some) {
            return;
        }
        let pick = own
            .get()
            .map(|d| d.to_string())
            .or_else(|| choices.with(|c| c.first().map(|c| doc_param(&c.doc))));
        if pick.is_some() {
            selected.set(pick);
        }
    });
    (choices, selected)
}

/// The chosen unit among those here.
pub fn chosen(
    units: Memo<Vec<UnitHere>>,
    selected: RwSignal<Option<String>>,
) -> Memo<Option<UnitHere>> {
    Memo::new(move |_| {
        let s = selected.get()?;
        units.with(|u| u.iter().find(|u| u.doc.to_string() == s).cloned())
    })
}

/// Today on the tablet's clock (offline too); follows midnight.
pub fn use_today(sync: SyncContext) -> Memo<Date> {
    Memo::new(move |_| {
        let now = sync.now.get();
        let now = if now > 0.0 {
            now
        } else {
            crate::data::clock::now_ms() as f64
        };
        crate::data::clock::local_date(now as i64).unwrap_or_else(yanzhen_model::demo::today)
    })
}
