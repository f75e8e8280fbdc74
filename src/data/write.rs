//! Who makes a change (`ChangeMeta`: the tablet's server device id once
//! enrolled, its office, its role, the time) and what a write gave
//! ([`Written`]).

use leptos::prelude::*;
use yanzhen_model::validate::ValidationError;
use yanzhen_model::{ChangeMeta, ModelError};

use crate::access::device::DeviceInfo;
use crate::app::use_settings;
use crate::data::clock::now_ms;
use crate::data::device;
use crate::sync::repo::SyncContext;

/// The role written into changes made on a village/community tablet.
pub const OFFICE_ROLE: &str = "office";

/// What a model write through the tablet's repo ([`write_doc`]) gave.
#[derive(Debug)]
pub enum Written<T = ()> {
    /// The change is in the document (IndexedDB may still be storing it).
    Saved(T),
    /// The model refused the change (a rule, or a record it cannot read);
    /// nothing was written.
    Refused(ModelError),
    /// The repo could not write: the document is not on this tablet.
    /// Nothing was written.
    Failed(yanzhen_sync::Error),
}

impl<T> Written<T> {
    /// The outcome of `SyncContext::change` around a model write: the
    /// repo's failure, else the model's answer.
    pub fn from_change(change: Result<Result<T, ModelError>, yanzhen_sync::Error>) -> Self {
        match change {
            Ok(Ok(t)) => Written::Saved(t),
            Ok(Err(e)) => Written::Refused(e),
            Err(e) => Written::Failed(e),
        }
    }

    /// True when the change is in the document.
    pub fn is_saved(&self) -> bool {
        matches!(self, Written::Saved(_))
    }

    /// The rule the model refused the input by (its message belongs at a
    /// field), when that is why nothing was written.
    pub fn invalid(&self) -> Option<&ValidationError> {
        match self {
            Written::Refused(ModelError::Validation(v)) => Some(v),
            _ => None,
        }
    }

    /// One write after another: `next` runs only when this one was saved;
    /// otherwise its refusal or failure is the outcome.
    pub fn and_then<U>(self, next: impl FnOnce(T) -> Written<U>) -> Written<U> {
        match self {
            Written::Saved(t) => next(t),
            Written::Refused(e) => Written::Refused(e),
            Written::Failed(e) => Written::Failed(e),
        }
    }
}

/// Runs the model write `write` on the document `doc` through the tablet's
/// repo (which stores and syncs it): what it gave as a [`Written`].
pub fn write_doc<T>(
    sync: SyncContext,
    doc: yanzhen_sync::DocumentId,
    write: impl FnOnce(&mut automerge::Automerge) -> Result<T, ModelError>,
) -> Written<T> {
    Written::from_change(sync.change(doc, write))
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
    write_doc(sync, doc, |am| {
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

    fn not_here() -> yanzhen_sync::Error {
        yanzhen_sync::Error::UnknownDocument(yanzhen_sync::DocumentId::from_bytes([7; 16]))
    }

    fn required() -> ModelError {
        ModelError::Validation(ValidationError::Required { field: "name" })
    }

    #[test]
    fn a_change_is_saved_refused_by_the_model_or_failed_in_the_repo() {
        assert!(matches!(Written::from_change(Ok(Ok(3))), Written::Saved(3)));
        assert!(matches!(
            Written::<()>::from_change(Ok(Err(ModelError::NotFound))),
            Written::Refused(ModelError::NotFound)
        ));
        assert!(matches!(
            Written::<()>::from_change(Err(not_here())),
            Written::Failed(yanzhen_sync::Error::UnknownDocument(_))
        ));
        assert!(Written::Saved(()).is_saved());
        assert!(!Written::<()>::Refused(required()).is_saved());
        assert!(!Written::<()>::Failed(not_here()).is_saved());
    }

    #[test]
    fn only_a_rule_the_input_broke_is_invalid() {
        assert_eq!(
            Written::<()>::Refused(required()).invalid(),
            Some(&ValidationError::Required { field: "name" })
        );
        assert_eq!(Written::<()>::Refused(ModelError::NotFound).invalid(), None);
        assert_eq!(Written::<()>::Failed(not_here()).invalid(), None);
        assert_eq!(Written::Saved(()).invalid(), None);
    }

    #[test]
    fn a_later_write_runs_only_after_a_saved_one() {
        let mut ran = 0;
        let w = Written::Saved(1).and_then(|n| {
            ran += 1;
            Written::Saved(n + 1)
        });
        assert!(matches!(w, Written::Saved(2)));
        let w = Written::<i32>::Refused(required()).and_then(|n| {
            ran += 1;
            Written::Saved(n)
        });
        assert!(w.invalid().is_some());
        let w = Written::<i32>::Failed(not_here()).and_then(|n| {
            ran += 1;
            Written::Saved(n)
        });
        assert!(matches!(w, Written::Failed(_)));
        assert_eq!(ran, 1);
    }
}
