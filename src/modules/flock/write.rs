//! Model writes of the 群雁 screens on a synced document (the repo hands
//! out plain `Automerge` documents), all or nothing (through the roster's
//! `edit_doc`): [`put`] writes one validated record, [`tap`] applies one
//! attendance tap.

use automerge::Automerge;
use yanzhen_model::entities::Attendance;
use yanzhen_model::flock::AttendanceTap;
use yanzhen_model::store::Record;
use yanzhen_model::{ChangeMeta, ModelError, UnitDocument};

use crate::data::edit::edit_doc as edit;

/// Validates and writes `record` into its document.
pub fn put<R: Record>(am: &mut Automerge, record: &R, meta: &ChangeMeta) -> Result<(), ModelError> {
    edit::<R::Scope, _>(am, |d| d.put(record, meta).map(|_| ()))
}

/// Applies one attendance tap to a unit document (all or nothing).
pub fn tap(am: &mut Automerge, t: &AttendanceTap, meta: &ChangeMeta) -> Result<(), ModelError> {
    edit(am, |d: &mut UnitDocument| match t {
        AttendanceTap::Mark(a) => d.put(a, meta).map(|_| ()),
        AttendanceTap::Unmark(ids) => {
            for id in ids {
                d.remove::<Attendance>(id, meta)?;
            }
            Ok(())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modules::flock::form::SessionForm;
    use yanzhen_model::entities::TrainingSession;
    use yanzhen_model::flock::tap_attendance;
    use yanzhen_model::store::{DistrictData, UnitData};
    use yanzhen_model::{DistrictDocument, Id};

    fn meta() -> ChangeMeta {
        ChangeMeta::new("tab", "区委组织部", "admin", 1_700_000_000_000)
    }

    #[test]
    fn a_refused_session_changes_nothing_and_a_good_one_is_written() {
        let mut am = DistrictDocument::new_district("测试区", &[1; 16], &meta())
            .unwrap()
            .into_automerge();
        let heads = am.get_heads();
        let mut bad = SessionForm {
            title: "履职培训".into(),
            date: "2024-09-10".into(),
            hours: "8".into(),
            ..SessionForm::default()
        }
        .to_session(Id::from_random_bytes([2; 16]))
        .unwrap();
        bad.hours = 0;
        let e = put(&mut am, &bad, &meta()).unwrap_err();
        assert_eq!(e.field(), Some("hours"));
        assert_eq!(am.get_heads(), heads);
        bad.hours = 8;
        put(&mut am, &bad, &meta()).unwrap();
        let d: DistrictData = autosurgeon::hydrate(&am).unwrap();
        assert_eq!(
            d.sessions.values().collect::<Vec<&TrainingSession>>(),
            vec![&bad]
        );
    }

    #[test]
    fn two_taps_mark_and_unmark() {
        let d = yanzhen_model::demo::generate(7);
        let unit = &d.units[0];
        let mut am = UnitDocument::create(
            unit,
            &[3; 16],
            &meta(),
            yanzhen_model::store::ChangeOp::Import,
        )
        .unwrap()
        .into_automerge();
        let session = d.district.sessions.values().find(|s| s.exam_prep).unwrap();
        let person = unit.people.keys().next().unwrap();
        let u: UnitData = autosurgeon::hydrate(&am).unwrap();
        let t = tap_attendance(&u, session, person, Id::from_random_bytes([4; 16]));
        tap(&mut am, &t, &meta()).unwrap();
        let u: UnitData = autosurgeon::hydrate(&am).unwrap();
        assert_eq!(u.attendance.len(), unit.attendance.len() + 1);
        let t = tap_attendance(&u, session, person, Id::from_random_bytes([5; 16]));
        tap(&mut am, &t, &meta()).unwrap();
        let u: UnitData = autosurgeon::hydrate(&am).unwrap();
        assert_eq!(u.attendance.len(), unit.attendance.len());
    }
}
