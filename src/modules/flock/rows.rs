//! What the 群雁 screens list, built from hydrated documents with the
//! model's rules ([`yanzhen_model::rules`], [`yanzhen_model::flock`]): the
//! units below full training coverage with who is missing, the sessions of
//! a year, one unit's attendance buttons, a unit's community workers with
//! their certificates, the studios and their placements, and the people a
//! placement can be for.

use std::collections::BTreeMap;
use yanzhen_model::sorting;

use yanzhen_model::entities::{
    CertificateLevel, MentorshipKind, MentorshipOutcome, PersonCategory, PersonRef, PersonStatus,
    PostTitle, TeacherSource, TrainingKind,
};
use yanzhen_model::flock::{self, PlacementStatus};
use yanzhen_model::rules;
use yanzhen_model::store::{DistrictData, UnitData};
use yanzhen_model::{Date, Id};

fn unit_name(district: &DistrictData, id: &Id) -> String {
    district
        .units
        .get(id)
        .map(|u| u.name.clone())
        .unwrap_or_else(|| id.as_str().to_owned())
}

/// Coverage figures as shown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CoverageView {
    pub trained: usize,
    pub members: usize,
    pub percent: u32,
}

impl From<rules::Coverage> for CoverageView {
    fn from(c: rules::Coverage) -> Self {
        CoverageView {
            trained: c.trained,
            members: c.members,
            percent: c.percent(),
        }
    }
}

/// The coverage of every unit on the tablet together, in `year`.
pub fn district_coverage(district: &DistrictData, units: &[&UnitData], year: u16) -> CoverageView {
    rules::district_training_coverage(district, units.iter().copied(), year).into()
}

/// A unit below 100 % in a year, and who is missing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BelowRow {
    pub unit: Id,
    pub name: String,
    pub coverage: CoverageView,
    /// Names of the members not trained yet.
    pub missing: Vec<String>,
}

/// The units below full coverage in `year`, lowest first.
pub fn below_rows(district: &DistrictData, units: &[&UnitData], year: u16) -> Vec<BelowRow> {
    let by_id: BTreeMap<&Id, &UnitData> =
        sorting::btree_map(units.iter().map(|u| (&u.unit_id, *u)));
    flock::units_below_full(district, units.iter().copied(), year)
        .into_iter()
        .map(|c| {
            let missing = by_id
                .get(&c.unit)
                .map(|u| {
                    flock::untrained_members(district, u, year)
                        .into_iter()
                        .map(|p| p.name.clone())
                        .collect()
                })
                .unwrap_or_default();
            BelowRow {
                name: unit_name(district, &c.unit),
                unit: c.unit,
                coverage: c.coverage.into(),
                missing,
            }
        })
        .collect()
}

/// A session in the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRow {
    pub id: Id,
    pub title: String,
    pub date: Date,
    pub kind: TrainingKind,
    pub hours: u32,
    pub first_topic: bool,
    pub teacher: TeacherSource,
    pub exam_prep: bool,
    pub location: String,
    /// Attendances recorded in the unit documents on this tablet.
    pub attended: usize,
}

/// The sessions of `year`, newest first.
pub fn session_rows(district: &DistrictData, units: &[&UnitData], year: u16) -> Vec<SessionRow> {
    let mut attended: BTreeMap<&Id, usize> = BTreeMap::new();
    for a in units.iter().flat_map(|u| u.attendance.values()) {
        *attended.entry(&a.session_id).or_default() += 1;
    }
    flock::sessions_of_year(district, Some(year))
        .into_iter()
        .map(|s| SessionRow {
            id: s.id.clone(),
            title: s.title.clone(),
            date: s.date,
            kind: s.kind,
            hours: s.hours,
            first_topic: s.first_topic,
            teacher: s.teacher_source,
            exam_prep: s.exam_prep,
            location: s.location.clone(),
            attended: attended.get(&s.id).copied().unwrap_or(0),
        })
        .collect()
}

/// A member's attendance button.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttendRow {
    pub person: Id,
    pub name: String,
    pub marked: bool,
}

/// The unit's members and whether each attended `session`.
pub fn attend_rows(unit: &UnitData, session: &Id) -> Vec<AttendRow> {
    flock::committee_members(unit)
        .into_iter()
        .map(|p| AttendRow {
            person: p.id.clone(),
            name: p.name.clone(),
            marked: !flock::attendance_of(unit, session, &p.id).is_empty(),
        })
        .collect()
}

/// A certificate as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertRow {
    pub id: Id,
    pub level: CertificateLevel,
    pub obtained: Date,
    pub number: String,
}

/// A community worker and their certificates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkerRow {
    pub person: Id,
    pub name: String,
    pub certs: Vec<CertRow>,
}

pub fn worker_rows(unit: &UnitData) -> Vec<WorkerRow> {
    flock::workers_with_certificates(unit)
        .into_iter()
        .map(|(p, certs)| WorkerRow {
            person: p.id.clone(),
            name: p.name.clone(),
            certs: certs
                .into_iter()
                .map(|c| CertRow {
                    id: c.id.clone(),
                    level: c.level,
                    obtained: c.obtained,
                    number: c.number.clone(),
                })
                .collect(),
        })
        .collect()
}

/// Certified community workers over the units on the tablet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShareView {
    pub certified: usize,
    pub workers: usize,
    /// `39.0`: tenths of a percent.
    pub percent: String,
}

pub fn share(units: &[&UnitData]) -> ShareView {
    let s = rules::certified_share(units.iter().copied());
    ShareView {
        certified: s.certified,
        workers: s.workers,
        percent: flock::tenths_text(flock::share_tenths(&s)),
    }
}

/// An exam-preparation lecture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LectureRow {
    pub id: Id,
    pub title: String,
    pub date: Date,
    pub hours: u32,
}

pub fn lecture_rows(district: &DistrictData) -> Vec<LectureRow> {
    flock::exam_prep_lectures(district)
        .into_iter()
        .map(|s| LectureRow {
            id: s.id.clone(),
            title: s.title.clone(),
            date: s.date,
            hours: s.hours,
        })
        .collect()
}

/// A studio card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StudioRow {
    pub id: Id,
    pub name: String,
    pub leader: String,
    pub unit: String,
    pub founded: Date,
    pub placements: usize,
}

pub fn studio_rows(district: &DistrictData) -> Vec<StudioRow> {
    let mut v: Vec<StudioRow> = district
        .studios
        .values()
        .map(|s| StudioRow {
            id: s.id.clone(),
            name: s.name.clone(),
            leader: s.leader_name.clone(),
            unit: unit_name(district, &s.unit_id),
            founded: s.founded,
            placements: flock::placements_of(district, &s.id).len(),
        })
        .collect();
    sorting::sort_by(&mut v, |a, b| {
        a.founded.cmp(&b.founded).then(a.name.cmp(&b.name))
    });
    v
}

/// A placement as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacementRow {
    pub id: Id,
    /// The mentee's name, when their unit's document is on the tablet.
    pub mentee: Option<String>,
    pub unit: String,
    pub kind: MentorshipKind,
    pub start: Date,
    pub end: Option<Date>,
    pub outcome: Option<MentorshipOutcome>,
    pub status: PlacementStatus,
}

/// The placements of `studio`, newest first; names looked up in `units`.
pub fn placement_rows(
    district: &DistrictData,
    units: &[&UnitData],
    studio: &Id,
    today: Date,
) -> Vec<PlacementRow> {
    flock::placements_of(district, studio)
        .into_iter()
        .map(|m| PlacementRow {
            id: m.id.clone(),
            mentee: units
                .iter()
                .find(|u| u.unit_id == m.mentee.unit)
                .and_then(|u| u.people.get(&m.mentee.person))
                .map(|p| p.name.clone()),
            unit: unit_name(district, &m.mentee.unit),
            kind: m.kind,
            start: m.start,
            end: m.end,
            outcome: m.outcome,
            status: flock::placement_status(m, today),
        })
        .collect()
}

/// The people of a unit a placement can be for: its active two-committee
/// members, the secretary first, then by name. Each with their reference.
pub fn mentee_choices(unit: &UnitData) -> Vec<(PersonRef, String)> {
    let secretary = rules::secretary(unit).map(|p| p.id.clone());
    let mut v: Vec<_> = unit
        .people
        .values()
        .filter(|p| {
            p.status == PersonStatus::Active && p.category == PersonCategory::TwoCommitteeMember
        })
        .collect();
    sorting::sort_by(&mut v, |a, b| {
        (Some(&b.id) == secretary.as_ref())
            .cmp(&(Some(&a.id) == secretary.as_ref()))
            .then(a.name.cmp(&b.name))
            .then(a.id.cmp(&b.id))
    });
    v.into_iter()
        .map(|p| {
            (
                PersonRef {
                    unit: unit.unit_id.clone(),
                    person: p.id.clone(),
                },
                p.name.clone(),
            )
        })
        .collect()
}

/// Whether the unit's secretary post title is the one a choice holds (for
/// a "书记" mark next to the name).
pub fn is_secretary(unit: &UnitData, person: &Id) -> bool {
    unit.posts
        .values()
        .any(|p| p.person_id == *person && p.title == PostTitle::Secretary && p.end.is_none())
}

#[cfg(test)]
mod tests {
    use super::*;
    use yanzhen_model::demo;

    #[test]
    fn rows_from_the_demo_district() {
        let d = demo::generate(7);
        let units: Vec<&UnitData> = d.units.iter().collect();
        let year = demo::REFERENCE_YEAR;
        let below = below_rows(&d.district, &units, year);
        assert!(!below.is_empty());
        assert!(
            below
                .iter()
                .all(|b| b.missing.len() == b.coverage.members - b.coverage.trained)
        );
        assert!(
            below
                .iter()
                .all(|b| !b.name.is_empty() && b.coverage.percent < 100)
        );
        let all = district_coverage(&d.district, &units, year);
        assert!(all.trained < all.members);

        let sessions = session_rows(&d.district, &units, year);
        let total: usize = sessions.iter().map(|s| s.attended).sum();
        let attended_2024 = d
            .units
            .iter()
            .flat_map(|u| u.attendance.values())
            .filter(|a| sessions.iter().any(|s| s.id == a.session_id))
            .count();
        assert_eq!(total, attended_2024);
        assert!(sessions.windows(2).all(|w| w[0].date >= w[1].date));

        let u = &d.units[0];
        let rows = attend_rows(u, &sessions.iter().find(|s| s.attended > 0).unwrap().id);
        assert_eq!(rows.len(), flock::committee_members(u).len());
        assert!(rows.iter().all(|r| r.marked));

        let s = share(&units);
        assert_eq!((s.certified, s.percent.starts_with("39.")), (250, true));
        assert_eq!(lecture_rows(&d.district).len(), 6);

        let studios = studio_rows(&d.district);
        assert_eq!(studios.len(), 3);
        let placements: usize = studios.iter().map(|s| s.placements).sum();
        assert_eq!(placements, d.district.mentorships.len());
        let p = placement_rows(&d.district, &units, &studios[0].id, demo::today());
        assert!(p.iter().all(|r| r.mentee.is_some()), "every mentee found");

        let community = d.units.iter().find(|u| !u.certificates.is_empty()).unwrap();
        let choices = mentee_choices(community);
        assert!(
            is_secretary(community, &choices[0].0.person),
            "secretary first"
        );
        assert_eq!(
            worker_rows(community).len(),
            rules::certified_share([community]).workers
        );
    }
}
