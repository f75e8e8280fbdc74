//! Who makes a change (`ChangeMeta`: the tablet's server device id once
//! enrolled, its office, its role, the time) and what a write gave
//! ([`Written`]).

use leptos::prelude::*;
use yanzhen_model::ChangeMeta;

use crate::access::device::DeviceInfo;
use crate::app::use_settings;
use crate::data::clock::now_ms;
use crate::data::device;
use crate::sync::repo::SyncContext;

/// The role written into changes made on a village/community tablet.
pub const OFFICE_ROLE: &str = "office";

/// What a model write through `SyncContext::change` gave: the model's
/// answer, or the repo's failure (the document is not here).
pub type Written<T = ()> = Result<Result<T, yanzhen_model::ModelError>, yanzhen_sync::Error>;

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
        None => device::device_id(),
    };
    ChangeMeta::new(&id, person, role, at_ms)
}

/// Writes `record` into the document `doc` (a unit's or the district's,
/// as the record's scope says) through the model's validated write, as
/// [`change_meta`] names the maker; a refused write changes nothing.
pub fn put_record<R: yanzhen_model::store::Record>(
    sync: SyncContext,
    doc: yanzhen_sync::DocumentId,
    record: &R,
) -> Written<()> {
    let meta = change_meta();
    sync.change(doc, |am| {
        crate::data::edit::edit_doc::<R::Scope, _>(am, |d| d.put(record, &meta).map(|_| ()))
    })
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
            district_id: None,
            districts: Vec::new(),
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
