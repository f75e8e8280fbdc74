//! 群雁 (the flock) rules beyond the shared ones in [`crate::rules`]
//! (`training_coverage`, `district_training_coverage`, `certified_share`):
//! who a unit still has to train in a year, the units below full coverage,
//! one tap of attendance, the exam-preparation lectures, the certified
//! share in tenths of a percent, and the studios' placements. Pure
//! functions over hydrated documents; nothing here stores a total.

use crate::sorting;
use std::collections::BTreeSet;

use crate::date::Date;
use crate::entities::*;
use crate::ids::Id;
use crate::rules::{CertifiedShare, Coverage, trained_in, training_coverage};
use crate::store::{DistrictData, UnitData};

// ---------------------------------------------------------------- training

/// Years that have at least one session, newest first.
pub fn session_years(district: &DistrictData) -> Vec<u16> {
    let years: BTreeSet<u16> =
        crate::sorting::btree_set(district.sessions.values().map(|s| s.date.year()));
    years.into_iter().rev().collect()
}

/// The sessions dated in `year` (every session with `None`), newest first
/// (then by title).
pub fn sessions_of_year(district: &DistrictData, year: Option<u16>) -> Vec<&TrainingSession> {
    let mut v: Vec<&TrainingSession> = district
        .sessions
        .values()
        .filter(|s| year.is_none_or(|y| s.date.year() == y))
        .collect();
    sorting::sort_by(&mut v, |a, b| {
        b.date.cmp(&a.date).then(a.title.cmp(&b.title))
    });
    v
}

/// The people whose training is counted: the unit's active two-committee
/// members, by name.
pub fn committee_members(unit: &UnitData) -> Vec<&Person> {
    let mut v: Vec<&Person> = unit
        .people
        .values()
        .filter(|p| {
            p.status == PersonStatus::Active && p.category == PersonCategory::TwoCommitteeMember
        })
        .collect();
    sorting::sort_by(&mut v, |a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    v
}

/// The attendance records of `person` at `session` (normally one; two
/// tablets tapping at once may have made two).
pub fn attendance_of<'a>(unit: &'a UnitData, session: &Id, person: &Id) -> Vec<&'a Attendance> {
    unit.attendance
        .values()
        .filter(|a| a.session_id == *session && a.person_id == *person)
        .collect()
}

/// What one tap on a member's attendance button does.
#[derive(Debug, Clone, PartialEq)]
pub enum AttendanceTap {
    /// Not marked yet: record an attendance with the session's hours.
    Mark(Attendance),
    /// Marked: remove these records.
    Unmark(Vec<Id>),
}

/// The change one tap makes: marks `person` present at `session` (with the
/// session's class hours, under the fresh record id `new_id`) or, if
/// already marked, removes the mark.
pub fn tap_attendance(
    unit: &UnitData,
    session: &TrainingSession,
    person: &Id,
    new_id: Id,
) -> AttendanceTap {
    let marked = attendance_of(unit, &session.id, person);
    if marked.is_empty() {
        AttendanceTap::Mark(Attendance {
            id: new_id,
            session_id: session.id.clone(),
            person_id: person.clone(),
            hours: session.hours,
        })
    } else {
        AttendanceTap::Unmark(marked.into_iter().map(|a| a.id.clone()).collect())
    }
}

/// The members of `unit` not yet trained in `year` (no attendance at any
/// session dated that year), by name.
pub fn untrained_members<'a>(
    district: &DistrictData,
    unit: &'a UnitData,
    year: u16,
) -> Vec<&'a Person> {
    let trained = trained_in(district, unit, year);
    committee_members(unit)
        .into_iter()
        .filter(|p| !trained.contains(&p.id))
        .collect()
}

/// One unit's coverage in a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitCoverage {
    pub unit: Id,
    pub coverage: Coverage,
}

/// The units not fully covered in `year` (some member untrained; a unit
/// at 99.6 % is listed even though its rounded percentage says 100),
/// lowest share first, then by unit id.
pub fn units_below_full<'a>(
    district: &DistrictData,
    units: impl IntoIterator<Item = &'a UnitData>,
    year: u16,
) -> Vec<UnitCoverage> {
    let mut v: Vec<UnitCoverage> = units
        .into_iter()
        .map(|u| UnitCoverage {
            unit: u.unit_id.clone(),
            coverage: training_coverage(district, u, year),
        })
        .filter(|c| c.coverage.trained < c.coverage.members)
        .collect();
    sorting::sort_by(&mut v, |a, b| {
        // trained/members ascending, compared exactly by cross-multiplying.
        let l = a.coverage.trained * b.coverage.members;
        let r = b.coverage.trained * a.coverage.members;
        l.cmp(&r).then(a.unit.cmp(&b.unit))
    });
    v
}

/// The social-worker exam-preparation lectures (sessions flagged
/// `exam_prep`), oldest first.
pub fn exam_prep_lectures(district: &DistrictData) -> Vec<&TrainingSession> {
    let mut v: Vec<&TrainingSession> = district.sessions.values().filter(|s| s.exam_prep).collect();
    sorting::sort_by(&mut v, |a, b| {
        a.date.cmp(&b.date).then(a.title.cmp(&b.title))
    });
    v
}

// ---------------------------------------------------------------- certificates

/// A share in tenths of a percent, rounded half up (`390` = 39.0 %); 0 when
/// there is nobody to count. Finer than [`CertifiedShare::percent`], so one
/// more certificate among hundreds of workers shows.
pub fn share_tenths(share: &CertifiedShare) -> u32 {
    if share.workers == 0 {
        0
    } else {
        ((share.certified * 2000 + share.workers) / (share.workers * 2)) as u32
    }
}

/// `39.0` for 390 tenths.
pub fn tenths_text(tenths: u32) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// The unit's active community workers, by name, each with their
/// certificates (newest first).
pub fn workers_with_certificates(unit: &UnitData) -> Vec<(&Person, Vec<&Certificate>)> {
    let mut v: Vec<(&Person, Vec<&Certificate>)> = unit
        .people
        .values()
        .filter(|p| {
            p.status == PersonStatus::Active && p.category == PersonCategory::CommunityWorker
        })
        .map(|p| {
            let mut c: Vec<&Certificate> = unit
                .certificates
                .values()
                .filter(|c| c.person_id == p.id)
                .collect();
            sorting::sort_by(&mut c, |a, b| {
                b.obtained.cmp(&a.obtained).then(a.id.cmp(&b.id))
            });
            (p, c)
        })
        .collect();
    sorting::sort_by(&mut v, |a, b| {
        a.0.name.cmp(&b.0.name).then(a.0.id.cmp(&b.0.id))
    });
    v
}

// ---------------------------------------------------------------- studios

/// The placements of a studio, newest start first.
pub fn placements_of<'a>(district: &'a DistrictData, studio: &Id) -> Vec<&'a Mentorship> {
    let mut v: Vec<&Mentorship> = district
        .mentorships
        .values()
        .filter(|m| m.studio_id == *studio)
        .collect();
    sorting::sort_by(&mut v, |a, b| b.start.cmp(&a.start).then(a.id.cmp(&b.id)));
    v
}

/// Distinct people trained by shadowing (跟班学习) in any studio.
pub fn shadowing_trained(district: &DistrictData) -> usize {
    crate::sorting::btree_set(
        district
            .mentorships
            .values()
            .filter(|m| m.kind == MentorshipKind::Shadowing)
            .map(|m| &m.mentee),
    )
    .len()
}

/// Where a placement stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlacementStatus {
    /// Starts later.
    Planned,
    /// Started, not ended (or ends later).
    Ongoing,
    /// Ended on or before the day.
    Ended,
}

/// The status of `m` on `today`.
pub fn placement_status(m: &Mentorship, today: Date) -> PlacementStatus {
    match m.end {
        _ if m.start > today => PlacementStatus::Planned,
        Some(e) if e <= today => PlacementStatus::Ended,
        _ => PlacementStatus::Ongoing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;
    use crate::rules::{certified_share, district_training_coverage};
    use crate::store::{ChangeMeta, DistrictDocument};
    use crate::validate::{Validate, ValidationError};

    fn demo() -> demo::Demo {
        demo::generate(7)
    }

    #[test]
    fn coverage_lists_the_units_below_full_and_who_is_missing() {
        let d = demo();
        let year = demo::REFERENCE_YEAR;
        assert_eq!(session_years(&d.district)[0], year);
        let below = units_below_full(&d.district, &d.units, year);
        // The demo leaves one member untrained in every ninth unit.
        let expected = d
            .units
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 9 == 4)
            .count();
        assert_eq!(below.len(), expected);
        let all = district_training_coverage(&d.district, &d.units, year);
        assert_eq!(all.members - all.trained, expected);
        for b in &below {
            let u = d.units.iter().find(|u| u.unit_id == b.unit).unwrap();
            let missing = untrained_members(&d.district, u, year);
            assert_eq!(missing.len(), b.coverage.members - b.coverage.trained);
            assert_eq!(b.coverage.percent(), 86); // 6 of 7
        }
        // Nobody was trained in a year without sessions.
        let u = &d.units[0];
        assert_eq!(
            untrained_members(&d.district, u, 2020).len(),
            committee_members(u).len()
        );
    }

    #[test]
    fn a_tap_marks_then_unmarks_and_coverage_follows() {
        let mut d = demo();
        let year = demo::REFERENCE_YEAR;
        let i = d
            .units
            .iter()
            .position(|u| !untrained_members(&d.district, u, year).is_empty());
        let unit = &mut d.units[i.unwrap()];
        let person = untrained_members(&d.district, unit, year)[0].id.clone();
        let session = sessions_of_year(&d.district, Some(year))[0].clone();
        let before = training_coverage(&d.district, unit, year);
        let AttendanceTap::Mark(a) =
            tap_attendance(unit, &session, &person, Id::from_random_bytes([9; 16]))
        else {
            panic!("first tap marks");
        };
        assert_eq!(a.hours, session.hours);
        assert!(a.validate().is_ok());
        unit.attendance.insert(a.id.clone(), a.clone());
        let after = training_coverage(&d.district, unit, year);
        assert_eq!(after.trained, before.trained + 1);
        assert!(units_below_full(&d.district, [&*unit], year).is_empty());
        assert_eq!(
            tap_attendance(unit, &session, &person, Id::from_random_bytes([8; 16])),
            AttendanceTap::Unmark(vec![a.id.clone()])
        );
    }

    #[test]
    fn exam_prep_lectures_and_certified_share_match_the_published_figures() {
        let d = demo();
        assert_eq!(exam_prep_lectures(&d.district).len(), 6);
        let share = certified_share(&d.units);
        assert_eq!(share.certified, 250);
        assert_eq!(share.percent(), 39);
        let tenths = share_tenths(&share);
        assert_eq!(
            tenths,
            (share.certified * 1000 * 2 + share.workers) as u32 / (share.workers as u32 * 2)
        );
        assert_eq!(tenths_text(390), "39.0");
        assert_eq!(tenths_text(1000), "100.0");
        let one_more = CertifiedShare {
            certified: share.certified + 1,
            ..share
        };
        assert!(share_tenths(&one_more) > tenths, "one certificate shows");
        assert_eq!(share_tenths(&CertifiedShare::default()), 0);
        let community = d.units.iter().find(|u| !u.certificates.is_empty()).unwrap();
        let workers = workers_with_certificates(community);
        let holders = workers.iter().filter(|(_, c)| !c.is_empty()).count();
        assert_eq!(holders, certified_share([community]).certified);
    }

    #[test]
    fn studios_shadowing_and_placement_status() {
        let d = demo();
        assert_eq!(d.district.studios.len(), 3);
        assert_eq!(shadowing_trained(&d.district), 5);
        let total: usize = d
            .district
            .studios
            .keys()
            .map(|s| placements_of(&d.district, s).len())
            .sum();
        assert_eq!(total, d.district.mentorships.len());
        let m = d.district.mentorships.values().next().unwrap().clone();
        let day = |y, mo, da| Date::new(y, mo, da).unwrap();
        let mut ended = m.clone();
        ended.start = day(2024, 1, 1);
        ended.end = Some(day(2024, 3, 1));
        assert_eq!(
            placement_status(&ended, day(2023, 12, 1)),
            PlacementStatus::Planned
        );
        assert_eq!(
            placement_status(&ended, day(2024, 2, 1)),
            PlacementStatus::Ongoing
        );
        assert_eq!(
            placement_status(&ended, day(2024, 3, 1)),
            PlacementStatus::Ended
        );
    }

    #[test]
    fn a_placement_ending_before_it_starts_or_finished_without_an_end_is_refused() {
        let d = demo();
        let mut m = d.district.mentorships.values().next().unwrap().clone();
        m.start = Date::new(2024, 5, 1).unwrap();
        m.end = Some(Date::new(2024, 4, 30).unwrap());
        assert_eq!(
            m.validate(),
            Err(ValidationError::DateRange { field: "end" })
        );
        m.end = None;
        m.outcome = Some(MentorshipOutcome::Completed);
        assert_eq!(
            m.validate(),
            Err(ValidationError::Required { field: "end" })
        );
        m.outcome = Some(MentorshipOutcome::Extended);
        assert!(m.validate().is_ok());
        m.end = Some(m.start);
        m.outcome = Some(MentorshipOutcome::Completed);
        assert!(m.validate().is_ok());
    }

    #[test]
    fn a_district_document_written_without_placement_outcomes_still_loads() {
        // Write a placement as a build before `outcome` existed did: the
        // record map without the key.
        use automerge::transaction::Transactable;
        use automerge::{ObjType, ROOT, ReadDoc};
        let d = demo();
        let meta = ChangeMeta::new("t", "测试", "district", 0);
        let doc =
            DistrictDocument::create(&d.district, &[1; 16], &meta, crate::store::ChangeOp::Import)
                .unwrap();
        let mut am = doc.into_automerge();
        let id = d.district.mentorships.keys().next().unwrap().clone();
        {
            let mut tx = am.transaction();
            let (_, coll) = tx.get(ROOT, "mentorships").unwrap().unwrap();
            let (_, rec) = tx.get(&coll, id.as_str()).unwrap().unwrap();
            assert!(tx.get(&rec, "outcome").unwrap().is_some());
            tx.delete(&rec, "outcome").unwrap();
            assert!(tx.get(&rec, "outcome").unwrap().is_none());
            let _ = ObjType::Map;
            tx.commit();
        }
        let doc = DistrictDocument::from_automerge(am).unwrap();
        let m: Mentorship = doc.get(&id).unwrap().unwrap();
        assert_eq!(m.outcome, None);
        assert_eq!(
            doc.data().unwrap().mentorships.len(),
            d.district.mentorships.len()
        );
    }
}
