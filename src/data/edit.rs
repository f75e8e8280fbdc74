//! Model reads and writes on a synced document (the repo hands out plain
//! `Automerge` documents): [`edit_unit`] runs a validated model write
//! ([`UnitDocument::put`], `resolve`) on it and leaves the document exactly
//! as it was when the write is rejected; [`unit_data`], [`person_at`],
//! [`person_history`] and [`person_conflicts`] read.

use automerge::{Automerge, ChangeHash};
use yanzhen_model::entities::Person;
use yanzhen_model::history::{self, ChangeEntry, FieldConflict, RecordPath};
use yanzhen_model::store::{Document, Record, Scope, UnitData};
use yanzhen_model::{DistrictDocument, Id, ModelError, UnitDocument};

/// Runs the model write `f` on the unit document `am`. On error nothing is
/// changed (the document is put back as it was).
pub fn edit_unit<R>(
    am: &mut Automerge,
    f: impl FnOnce(&mut UnitDocument) -> Result<R, ModelError>,
) -> Result<R, ModelError> {
    edit_doc(am, f)
}

/// Runs the model write `f` on the district document `am`. On error
/// nothing is changed.
pub fn edit_district<R>(
    am: &mut Automerge,
    f: impl FnOnce(&mut DistrictDocument) -> Result<R, ModelError>,
) -> Result<R, ModelError> {
    edit_doc(am, f)
}

/// Runs the model write `f` on `am` as a document of scope `S` (unit or
/// district). On error nothing is changed (the document is put back as it
/// was).
pub fn edit_doc<S: Scope, R>(
    am: &mut Automerge,
    f: impl FnOnce(&mut Document<S>) -> Result<R, ModelError>,
) -> Result<R, ModelError> {
    let before = am.clone();
    let mut doc = match Document::<S>::from_automerge(std::mem::take(am)) {
        Ok(d) => d,
        Err(e) => {
            *am = before;
            return Err(e);
        }
    };
    match f(&mut doc) {
        Ok(r) => {
            *am = doc.into_automerge();
            Ok(r)
        }
        Err(e) => {
            *am = before;
            Err(e)
        }
    }
}

/// The whole unit document's data.
pub fn unit_data(am: &Automerge) -> Result<UnitData, ModelError> {
    Ok(yanzhen_model::whole::read(am)?)
}

/// The person `id` as it was right after change `at`.
pub fn person_at(am: &Automerge, id: &Id, at: &ChangeHash) -> Result<Option<Person>, ModelError> {
    let old = am.fork_at(&[*at])?;
    UnitDocument::from_automerge(old)?.get::<Person>(id)
}

/// The changes that touched person `id`, newest first.
pub fn person_history(am: &Automerge, id: &Id) -> Result<Vec<ChangeEntry>, ModelError> {
    let mut h = history::history(am, &RecordPath::of::<Person>(id))?;
    h.reverse();
    Ok(h)
}

/// Record `id` of type `R` as it was right after change `at` (`None` if it
/// did not exist yet).
pub fn record_at<R: Record>(
    am: &Automerge,
    id: &Id,
    at: &ChangeHash,
) -> Result<Option<R>, ModelError> {
    let old = am.fork_at(&[*at])?;
    Document::<R::Scope>::from_automerge(old)?.record_at::<R>(id, at)
}

/// The changes that touched record `id` of type `R`, newest first.
pub fn record_history<R: Record>(am: &Automerge, id: &Id) -> Result<Vec<ChangeEntry>, ModelError> {
    let mut h = history::history(am, &RecordPath::of::<R>(id))?;
    h.reverse();
    Ok(h)
}

/// The fields of record `id` of type `R` holding concurrent values.
pub fn record_conflicts<R: Record>(
    am: &Automerge,
    id: &Id,
) -> Result<Vec<FieldConflict>, ModelError> {
    history::conflicts(am, &RecordPath::of::<R>(id))
}

/// Resolves a conflict on `field` of record `id` of type `R` by writing
/// `chosen` (validated; nothing written when it is refused).
pub fn resolve_record<R: Record>(
    am: &mut Automerge,
    id: &Id,
    field: &str,
    chosen: automerge::ScalarValue,
    meta: &yanzhen_model::ChangeMeta,
) -> Result<Option<ChangeHash>, ModelError> {
    edit_doc::<R::Scope, _>(am, |d| d.resolve::<R>(id, field, chosen, meta))
}

/// The fields of person `id` holding concurrent values.
pub fn person_conflicts(am: &Automerge, id: &Id) -> Result<Vec<FieldConflict>, ModelError> {
    history::conflicts(am, &RecordPath::of::<Person>(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::person_form::PersonForm;
    use automerge::ScalarValue;
    use yanzhen_model::ChangeMeta;

    fn meta(device: &str) -> ChangeMeta {
        ChangeMeta::new(device, "东风村", "office", 1_700_000_000_000)
    }

    fn new_doc() -> (Automerge, Id) {
        let unit = Id::from_random_bytes([7; 16]);
        let doc = UnitDocument::new_unit(&unit, &[1; 16], &meta("a")).unwrap();
        (doc.into_automerge(), unit)
    }

    fn person(unit: &Id, name: &str, phone: &str) -> Person {
        PersonForm {
            name: name.into(),
            birth_date: "1980-01-01".into(),
            phone: phone.into(),
            ..PersonForm::new_in(unit)
        }
        .to_person(Id::from_random_bytes([3; 16]))
        .unwrap()
    }

    #[test]
    fn a_rejected_write_leaves_the_document_as_it_was() {
        let (mut am, unit) = new_doc();
        let heads = am.get_heads();
        let mut bad = person(&unit, "张三", "");
        bad.phone = "12".into();
        let e = edit_unit(&mut am, |d| d.put(&bad, &meta("a"))).unwrap_err();
        assert_eq!(e.field(), Some("phone"));
        assert_eq!(am.get_heads(), heads);
        let good = person(&unit, "张三", "13800138000");
        edit_unit(&mut am, |d| d.put(&good, &meta("a"))).unwrap();
        assert_ne!(am.get_heads(), heads);
        assert_eq!(unit_data(&am).unwrap().people.len(), 1);
    }

    #[test]
    fn history_record_at_and_conflicts_of_a_person() {
        let (mut a, unit) = new_doc();
        let p = person(&unit, "张三", "13800138000");
        edit_unit(&mut a, |d| d.put(&p, &meta("tab-a"))).unwrap();
        let mut b = a
            .fork()
            .with_actor(automerge::ActorId::from([2u8; 16].as_slice()));
        let mut pa = p.clone();
        pa.phone = "13900139000".into();
        edit_unit(&mut a, |d| d.put(&pa, &meta("tab-a"))).unwrap();
        let mut pb = p.clone();
        pb.phone = "13700137000".into();
        edit_unit(&mut b, |d| d.put(&pb, &meta("tab-b"))).unwrap();
        a.merge(&mut b).unwrap();

        let h = person_history(&a, &p.id).unwrap();
        assert_eq!(h.len(), 3, "{h:?}");
        assert_eq!(h.last().unwrap().device, "tab-a");
        let first = person_at(&a, &p.id, &h.last().unwrap().hash)
            .unwrap()
            .unwrap();
        assert_eq!(first.phone, "13800138000");

        let c = person_conflicts(&a, &p.id).unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].field, "phone");
        assert_eq!(c[0].values.len(), 2);
        edit_unit(&mut a, |d| {
            d.resolve::<Person>(
                &p.id,
                "phone",
                ScalarValue::Str("13700137000".into()),
                &meta("tab-a"),
            )
        })
        .unwrap();
        assert!(person_conflicts(&a, &p.id).unwrap().is_empty());
        assert_eq!(unit_data(&a).unwrap().people[&p.id].phone, "13700137000");
    }
}
