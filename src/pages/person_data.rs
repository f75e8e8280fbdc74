//! The roster screens' reactive plumbing (no rules here): the district
//! directory and a unit's data read from the tablet's documents, re-read
//! when a document's revision bumps; who makes a change (`ChangeMeta`:
//! the tablet's storage id, the office name from settings, role "office",
//! the browser's clock); fresh record ids; and whether a document's writes
//! are all in IndexedDB yet.

use leptos::prelude::*;
use yanzhen_model::store::{DistrictData, UnitData};
use yanzhen_model::{ChangeMeta, Date, DocId, Id};
use yanzhen_sync::DocumentId;

use crate::access::device::DeviceInfo;
use crate::app::use_settings;
use crate::modules::roster::{prefs, write};
use crate::sync::repo::SyncContext;
use crate::sync::status::{Ack, DocKind};

/// The role written into changes made on a village/community tablet.
pub const OFFICE_ROLE: &str = "office";

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
        sync.with_document(&id, |am| write::unit_data(am).ok())
            .flatten()
    })
}

/// The units of `district` this tablet holds, as a unit picker's choices
/// (name order).
pub fn unit_choice_list(
    district: Memo<Option<DistrictData>>,
    here: Memo<Vec<DocId>>,
) -> Memo<Vec<crate::modules::roster::units::UnitChoice>> {
    Memo::new(move |_| {
        district.with(|d| {
            d.as_ref()
                .map(|d| here.with(|h| crate::modules::roster::units::unit_choices(d, h)))
                .unwrap_or_default()
        })
    })
}

/// With one choice only (a village tablet), `picked` is set to it.
pub fn pick_the_only_unit(
    choices: Memo<Vec<crate::modules::roster::units::UnitChoice>>,
    picked: RwSignal<Option<String>>,
) {
    Effect::new(move |_| {
        let c = choices.get();
        if c.len() == 1 && picked.get_untracked().is_none() {
            picked.set(Some(doc_param(&c[0].doc)));
        }
    });
}

/// Whether some writes of document `id` are not in IndexedDB yet (tracked).
pub fn unsaved(sync: SyncContext, id: &DocumentId) -> bool {
    sync.docs
        .with(|rows| rows.iter().find(|r| r.id == *id).is_some_and(|r| r.unsaved))
}

/// Milliseconds since the epoch, from the browser's clock.
pub fn now_ms() -> i64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}

/// The date of `ms` (since the epoch) on the tablet's calendar, in its own
/// time zone (07:00 in Beijing is today there, still yesterday in UTC).
pub fn local_date(ms: i64) -> Option<Date> {
    #[cfg(target_arch = "wasm32")]
    {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
        Date::new(
            u16::try_from(d.get_full_year()).ok()?,
            u8::try_from(d.get_month() + 1).ok()?,
            u8::try_from(d.get_date()).ok()?,
        )
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        Date::from_unix_ms(ms)
    }
}

/// Today on the tablet's calendar (the demo's "today" if the clock is
/// unreadable).
pub fn today() -> Date {
    local_date(now_ms()).unwrap_or_else(yanzhen_model::demo::today)
}

/// What a model write through `SyncContext::change` gave: the model's
/// answer, or the repo's failure (the document is not here).
pub type Written<T = ()> = Result<Result<T, yanzhen_model::ModelError>, yanzhen_sync::Error>;

impl SaveState {
    /// The state after a write: "saving" until IndexedDB has it, "invalid"
    /// when the model refused the input, "failed" otherwise.
    pub fn after<T>(written: &Written<T>) -> SaveState {
        match written {
            Ok(Ok(_)) => SaveState::Saving,
            Ok(Err(yanzhen_model::ModelError::Validation(_))) => SaveState::Invalid,
            _ => SaveState::Failed,
        }
    }
}

/// Shows what became of a form's model write: [`SaveState::after`], with
/// the form's problems cleared on success or the model's refusal placed at
/// its field (`refused`). True when the record was written. One outcome
/// for every module's forms.
pub fn show_write<T, E: crate::i18n::Text>(
    written: Written<T>,
    errors: RwSignal<crate::form_errors::FieldMap<E>>,
    state: RwSignal<SaveState>,
    refused: impl FnOnce(&yanzhen_model::validate::ValidationError) -> crate::form_errors::FieldMap<E>,
) -> bool {
    let after = SaveState::after(&written);
    match written {
        Ok(Ok(_)) => errors.set(crate::form_errors::FieldMap::default()),
        Ok(Err(yanzhen_model::ModelError::Validation(v))) => errors.set(refused(&v)),
        _ => {}
    }
    state.set(after);
    after == SaveState::Saving
}

/// Who makes a change now: this tablet (its server device id once
/// enrolled); its office from the settings (or, if none is set, the
/// tablet's enrolled name); its enrolled role (or "office" on a tablet that
/// is not enrolled). The server accepts a change only if it names the
/// device that sends it, with that device's role (SECURITY.md, authorship).
pub fn change_meta() -> ChangeMeta {
    let office = use_settings()
        .saved
        .with_untracked(|s| s.office.clone())
        .unwrap_or_default();
    let device = use_context::<SyncContext>()
        .and_then(|s| s.enrolment.get_untracked())
        .map(|e| e.device);
    meta_for(&office, device.as_ref(), now_ms())
}

/// The change metadata of a tablet of `office` enrolled as `device`
/// (see [`change_meta`]): an enrolled tablet signs with its server device
/// id and role, one that is not with its local install id.
pub fn meta_for(office: &str, device: Option<&DeviceInfo>, at_ms: i64) -> ChangeMeta {
    let (person, role) = match device {
        Some(d) if office.is_empty() => (d.name.as_str(), d.role.as_str()),
        Some(d) => (office, d.role.as_str()),
        None => (office, OFFICE_ROLE),
    };
    let id = match device {
        Some(d) => d.device_id.clone(),
        None => prefs::device_id(),
    };
    ChangeMeta::new(&id, person, role, at_ms)
}

/// A fresh record id from the browser's random numbers.
pub fn new_id() -> Id {
    #[cfg(target_arch = "wasm32")]
    {
        let mut b = [0u8; 16];
        let ok = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .is_some_and(|c| c.get_random_values_with_u8_array(&mut b).is_ok());
        if !ok {
            for x in b.iter_mut() {
                *x = (js_sys::Math::random() * 256.0) as u8;
            }
        }
        Id::from_random_bytes(b)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        Id::from_random_bytes([0; 16])
    }
}

/// The document id of a URL parameter.
pub fn parse_doc(s: &str) -> Option<DocumentId> {
    s.parse().ok()
}

/// The URL form of a unit's document id.
pub fn doc_param(doc: &DocId) -> String {
    DocumentId::from_bytes(doc.0).to_string()
}

/// Where a save stands, for the words next to the save button.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SaveState {
    /// Nothing done yet (or typing since).
    #[default]
    Idle,
    /// Refused: the messages are next to the fields; nothing was written.
    Invalid,
    /// The document is not on this tablet: nothing was written.
    Failed,
    /// Written to the document; IndexedDB has not confirmed it yet.
    Saving,
    /// IndexedDB has it.
    Saved,
}

/// `YYYY-MM-DD HH:MM` of a time (ms since the epoch) in the tablet's time
/// zone (UTC outside the browser).
pub fn local_time(ms: i64) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            d.get_full_year(),
            d.get_month() + 1,
            d.get_date(),
            d.get_hours(),
            d.get_minutes()
        )
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let day = yanzhen_model::Date::from_unix_ms(ms)
            .map(|d| d.to_string())
            .unwrap_or_default();
        let m = ms.rem_euclid(86_400_000) / 60_000;
        format!("{day} {:02}:{:02}", m / 60, m % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(name: &str, role: &str) -> DeviceInfo {
        DeviceInfo {
            device_id: "d1".into(),
            name: name.into(),
            role: role.into(),
            unit_id: None,
            district_document_id: None,
            documents: Vec::new(),
        }
    }

    #[test]
    fn a_change_names_the_enrolled_role_and_the_office_or_the_tablet() {
        let d = device("村平板", "village");
        let m = meta_for("东岭村村委会", Some(&d), 5);
        assert_eq!(
            (m.person.as_str(), m.role.as_str()),
            ("东岭村村委会", "village")
        );
        // The server's device id, which the server checks the change against.
        assert_eq!(m.device, "d1");
        let m = meta_for("", Some(&d), 5);
        assert_eq!((m.person.as_str(), m.role.as_str()), ("村平板", "village"));
        let m = meta_for("东岭村村委会", None, 5);
        assert_eq!(m.role, OFFICE_ROLE);
    }
}
