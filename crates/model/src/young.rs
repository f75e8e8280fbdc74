//! 雏雁 (young geese) rules beyond [`crate::rules`]: the reserve-cadre funnel
//! (selected → mentored → entered the two committees), mentoring notes and
//! outcomes, the community-worker reserve pool and its recruitments, the
//! 回家工程 (home-coming) list and the three records a move writes, and the
//! career-post figures. Pure functions over hydrated records; every write
//! they prepare is validated before it is returned.
//!
//! Long file: 雏雁's rules (reserve funnel, pool, home-coming, career posts)
//! with their tests beside them.

use crate::sorting;
use std::collections::BTreeMap;

use crate::date::Date;
use crate::entities::*;
use crate::ids::Id;
use crate::rules::{self, HomecomingMismatch};
use crate::store::{DistrictData, UnitData};
use crate::validate::{Validate, ValidationError};

// ---------------------------------------------------------------- reserve cadres

/// The reserve-cadre funnel: selected → mentored (at least one 传帮带 note)
/// → entered the two committees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReserveFunnel {
    pub selected: usize,
    pub mentored: usize,
    pub entered: usize,
}

/// The funnel over some reserve cadres.
pub fn reserve_funnel<'a>(cadres: impl IntoIterator<Item = &'a ReserveCadre>) -> ReserveFunnel {
    let mut f = ReserveFunnel::default();
    for r in cadres {
        f.selected += 1;
        if !r.log.is_empty() {
            f.mentored += 1;
        }
        if r.outcome == ReserveOutcome::EnteredCommittee {
            f.entered += 1;
        }
    }
    f
}

/// `cadre` with one more mentoring note. The note needs text and may not be
/// dated before the cadre was selected.
pub fn add_note(
    cadre: &ReserveCadre,
    note: MentoringNote,
) -> Result<ReserveCadre, ValidationError> {
    if note.note.trim().is_empty() {
        return Err(ValidationError::Required { field: "log.note" });
    }
    if note.date < cadre.selected {
        return Err(ValidationError::DateRange { field: "log.date" });
    }
    let mut out = cadre.clone();
    out.log.push(MentoringNote {
        note: note.note.trim().to_owned(),
        mentor: note.mentor.trim().to_owned(),
        ..note
    });
    sorting::sort_by_key(&mut out.log, |n| n.date);
    out.validate()?;
    Ok(out)
}

/// `cadre` with its outcome recorded. Any outcome but "in training" needs a
/// date, not before the selection.
pub fn record_outcome(
    cadre: &ReserveCadre,
    outcome: ReserveOutcome,
    date: Option<Date>,
) -> Result<ReserveCadre, ValidationError> {
    let mut out = cadre.clone();
    out.outcome = outcome;
    out.outcome_date = if outcome == ReserveOutcome::InTraining {
        None
    } else {
        date
    };
    out.validate()?;
    Ok(out)
}

// ---------------------------------------------------------------- reserve pool

/// The community-worker reserve pool by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PoolSummary {
    pub total: usize,
    pub waiting: usize,
    pub recruited: usize,
    pub withdrawn: usize,
}

/// Counts the pool.
pub fn pool_summary<'a>(pool: impl IntoIterator<Item = &'a PoolCandidate>) -> PoolSummary {
    let mut s = PoolSummary::default();
    for c in pool {
        s.total += 1;
        match c.status {
            PoolStatus::Waiting => s.waiting += 1,
            PoolStatus::Recruited => s.recruited += 1,
            PoolStatus::Withdrawn => s.withdrawn += 1,
        }
    }
    s
}

/// A waiting candidate recruited into a post in `unit` on `date` (required,
/// not before registration). Only waiting candidates can be recruited.
pub fn recruit(
    candidate: &PoolCandidate,
    unit: Option<Id>,
    date: Option<Date>,
) -> Result<PoolCandidate, ValidationError> {
    if candidate.status != PoolStatus::Waiting {
        return Err(ValidationError::StageInconsistent { field: "status" });
    }
    let mut out = candidate.clone();
    out.status = PoolStatus::Recruited;
    out.recruited_unit = unit;
    out.recruited_date = date;
    out.validate()?;
    Ok(out)
}

// ---------------------------------------------------------------- home-coming

/// One community worker working away from home, with the district's open
/// case for them (if any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomecomingRow {
    pub mismatch: HomecomingMismatch,
    /// The open 回家工程 case of this person, if the district recorded one.
    pub open_case: Option<Id>,
}

/// Active community workers living in another unit than the one they work
/// in, cross-street cases first. The suggested move is to the residence unit.
pub fn homecoming_rows<'a>(
    district: &DistrictData,
    units: impl IntoIterator<Item = &'a UnitData>,
) -> Vec<HomecomingRow> {
    let mut rows: Vec<HomecomingRow> = units
        .into_iter()
        .flat_map(|u| {
            rules::homecoming_mismatches(district, std::iter::once(u))
                .into_iter()
                .filter(|m| {
                    u.people
                        .get(&m.person.person)
                        .is_some_and(|p| p.category == PersonCategory::CommunityWorker)
                })
        })
        .map(|m| {
            let open_case = district
                .homecoming
                .values()
                .find(|c| c.person == m.person && c.status == HomecomingStatus::Open)
                .map(|c| c.id.clone());
            HomecomingRow {
                mismatch: m,
                open_case,
            }
        })
        .collect();
    sorting::sort_by(&mut rows, |a, b| {
        (
            !a.mismatch.cross_street,
            &a.mismatch.work_unit,
            &a.mismatch.name,
        )
            .cmp(&(
                !b.mismatch.cross_street,
                &b.mismatch.work_unit,
                &b.mismatch.name,
            ))
    });
    rows
}

/// Home-coming cases recorded as moved.
pub fn moved_count(district: &DistrictData) -> usize {
    district
        .homecoming
        .values()
        .filter(|c| c.status == HomecomingStatus::Moved)
        .count()
}

/// The three writes of one home-coming move: the person in the residence
/// unit's document (active, working where they live), the person in the old
/// work unit's document (moved out), and the district's case (moved).
#[derive(Debug, Clone, PartialEq)]
pub struct HomecomingMove {
    /// Put into the residence unit's document.
    pub arrived: Person,
    /// Put into the old work unit's document.
    pub left: Person,
    /// Put into the district document.
    pub case: HomecomingCase,
}

/// Plans the move of `person` (working in `row`'s work unit) to their
/// residence unit on `date`. The date is required and, for an open case,
/// not before the case was identified; `new_case_id` is used when the
/// district has no open case yet.
pub fn plan_move(
    district: &DistrictData,
    row: &HomecomingRow,
    person: &Person,
    date: Option<Date>,
    new_case_id: Id,
) -> Result<HomecomingMove, ValidationError> {
    let date = date.ok_or(ValidationError::Required {
        field: "moved_date",
    })?;
    let m = &row.mismatch;
    let case = match row
        .open_case
        .as_ref()
        .and_then(|id| district.homecoming.get(id))
    {
        Some(c) => HomecomingCase {
            status: HomecomingStatus::Moved,
            moved_date: Some(date),
            ..c.clone()
        },
        None => HomecomingCase {
            id: new_case_id,
            person: m.person.clone(),
            residence_unit: m.residence_unit.clone(),
            work_unit: m.work_unit.clone(),
            identified: date,
            status: HomecomingStatus::Moved,
            moved_date: Some(date),
        },
    };
    case.validate()?;
    let arrived = Person {
        status: PersonStatus::Active,
        residence_unit: m.residence_unit.clone(),
        ..person.clone()
    };
    let left = Person {
        status: PersonStatus::MovedOut,
        ..person.clone()
    };
    arrived.validate()?;
    left.validate()?;
    Ok(HomecomingMove {
        arrived,
        left,
        case,
    })
}

// ---------------------------------------------------------------- career posts

/// Career moves by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CareerSummary {
    /// Brought into career-post (事业岗位) management.
    pub career_post: usize,
    /// Recruited into the civil service.
    pub civil_service: usize,
}

/// Counts career moves.
pub fn career_summary<'a>(moves: impl IntoIterator<Item = &'a CareerMove>) -> CareerSummary {
    let mut s = CareerSummary::default();
    for m in moves {
        match m.kind {
            CareerMoveKind::CareerPost => s.career_post += 1,
            CareerMoveKind::CivilService => s.civil_service += 1,
        }
    }
    s
}

/// A new career move of a person of `unit`, validated; the person must be
/// in the unit's people.
pub fn new_career_move(
    unit_people: &BTreeMap<Id, Person>,
    mv: CareerMove,
) -> Result<CareerMove, ValidationError> {
    if !unit_people.contains_key(&mv.person_id) {
        return Err(ValidationError::Required { field: "person_id" });
    }
    let mv = CareerMove {
        post_name: mv.post_name.trim().to_owned(),
        ..mv
    };
    mv.validate()?;
    Ok(mv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;
    use crate::figures;

    fn demo() -> demo::Demo {
        demo::generate(42)
    }

    #[test]
    fn demo_figures_come_out_of_these_rules() {
        let d = demo();
        let f = reserve_funnel(d.units.iter().flat_map(|u| u.reserve_cadres.values()));
        assert_eq!((f.selected, f.entered), (99, 25));
        assert!(f.mentored <= f.selected && f.mentored >= f.entered);
        let r = rules::reserve_outcomes(d.units.iter());
        assert_eq!((r.selected, r.entered_committee), (f.selected, f.entered));
        assert_eq!(pool_summary(d.district.pool.values()).recruited, 60);
        assert_eq!(moved_count(&d.district), 11);
        let c = career_summary(d.units.iter().flat_map(|u| u.career_moves.values()));
        assert_eq!(c.career_post, 26);
        let fig = figures::compute(&d.district, &d.units, &figures::Filter::default());
        assert_eq!(fig.homecoming_moved, moved_count(&d.district));
    }

    fn cadre() -> ReserveCadre {
        ReserveCadre {
            id: Id::from_random_bytes([1; 16]),
            name: "测试后备".into(),
            sex: Sex::Male,
            birth_date: Date::new(1995, 1, 1).unwrap(),
            id_number: String::new(),
            selected: Date::new(2023, 3, 1).unwrap(),
            mentor_person_id: None,
            log: vec![],
            outcome: ReserveOutcome::InTraining,
            outcome_date: None,
        }
    }

    #[test]
    fn outcomes_need_a_date_not_before_selection() {
        let c = cadre();
        assert_eq!(
            record_outcome(&c, ReserveOutcome::EnteredCommittee, None),
            Err(ValidationError::Required {
                field: "outcome_date"
            })
        );
        assert_eq!(
            record_outcome(&c, ReserveOutcome::EnteredCommittee, Date::new(2023, 2, 28)),
            Err(ValidationError::DateRange {
                field: "outcome_date"
            })
        );
        let ok =
            record_outcome(&c, ReserveOutcome::EnteredCommittee, Date::new(2023, 3, 1)).unwrap();
        assert_eq!(ok.outcome_date, Date::new(2023, 3, 1));
        let back = record_outcome(&ok, ReserveOutcome::InTraining, Date::new(2024, 1, 1)).unwrap();
        assert_eq!(back.outcome_date, None);
        let f = reserve_funnel([&c, &ok]);
        assert_eq!((f.selected, f.mentored, f.entered), (2, 0, 1));
    }

    #[test]
    fn notes_need_text_and_a_date_after_selection() {
        let c = cadre();
        let note = |d, t: &str| MentoringNote {
            date: d,
            mentor: "书记".into(),
            note: t.into(),
        };
        assert_eq!(
            add_note(&c, note(Date::new(2023, 4, 1).unwrap(), "  ")),
            Err(ValidationError::Required { field: "log.note" })
        );
        assert_eq!(
            add_note(&c, note(Date::new(2023, 1, 1).unwrap(), "谈心")),
            Err(ValidationError::DateRange { field: "log.date" })
        );
        let one = add_note(&c, note(Date::new(2023, 5, 1).unwrap(), " 谈心 ")).unwrap();
        let two = add_note(&one, note(Date::new(2023, 4, 1).unwrap(), "跟班")).unwrap();
        assert_eq!(two.log.len(), 2);
        assert_eq!(two.log[0].note, "跟班", "oldest first");
        assert_eq!(two.log[1].note, "谈心");
        assert_eq!(reserve_funnel([&two]).mentored, 1);
    }

    #[test]
    fn recruiting_needs_a_unit_and_a_date_and_a_waiting_candidate() {
        let d = demo();
        let c = d
            .district
            .pool
            .values()
            .find(|c| c.status == PoolStatus::Waiting)
            .unwrap();
        let unit = d.units[0].unit_id.clone();
        assert_eq!(
            recruit(c, None, Some(c.registered)),
            Err(ValidationError::Required {
                field: "recruited_unit"
            })
        );
        assert_eq!(
            recruit(c, Some(unit.clone()), None),
            Err(ValidationError::Required {
                field: "recruited_date"
            })
        );
        assert_eq!(
            recruit(c, Some(unit.clone()), Some(c.registered.add_days(-1))),
            Err(ValidationError::DateRange {
                field: "recruited_date"
            })
        );
        let r = recruit(c, Some(unit.clone()), Some(c.registered.add_days(3))).unwrap();
        assert_eq!(r.status, PoolStatus::Recruited);
        assert_eq!(
            recruit(&r, Some(unit), Some(c.registered)),
            Err(ValidationError::StageInconsistent { field: "status" })
        );
        let mut pool = d.district.pool.clone();
        pool.insert(r.id.clone(), r);
        assert_eq!(pool_summary(pool.values()).recruited, 61);
    }

    #[test]
    fn a_move_takes_the_worker_off_the_list_and_counts_as_moved() {
        let d = demo();
        let rows = homecoming_rows(&d.district, d.units.iter());
        assert!(!rows.is_empty());
        assert!(rows.iter().any(|r| r.mismatch.cross_street));
        // Cross-street cases come first.
        let first_local = rows.iter().position(|r| !r.mismatch.cross_street);
        if let Some(i) = first_local {
            assert!(rows[i..].iter().all(|r| !r.mismatch.cross_street));
        }
        let row = rows.iter().find(|r| r.open_case.is_some()).unwrap().clone();
        let unit = d
            .units
            .iter()
            .find(|u| u.unit_id == row.mismatch.work_unit)
            .unwrap();
        let person = unit.people[&row.mismatch.person.person].clone();
        let case = &d.district.homecoming[row.open_case.as_ref().unwrap()];
        assert_eq!(
            plan_move(
                &d.district,
                &row,
                &person,
                None,
                Id::from_random_bytes([9; 16])
            ),
            Err(ValidationError::Required {
                field: "moved_date"
            })
        );
        assert_eq!(
            plan_move(
                &d.district,
                &row,
                &person,
                Some(case.identified.add_days(-1)),
                Id::from_random_bytes([9; 16])
            ),
            Err(ValidationError::DateRange {
                field: "moved_date"
            })
        );
        let mv = plan_move(
            &d.district,
            &row,
            &person,
            Some(case.identified.add_days(10)),
            Id::from_random_bytes([9; 16]),
        )
        .unwrap();
        assert_eq!(mv.case.id, case.id, "the open case is closed");
        assert_eq!(mv.left.status, PersonStatus::MovedOut);

        let mut district = d.district.clone();
        let mut units = d.units.clone();
        district
            .homecoming
            .insert(mv.case.id.clone(), mv.case.clone());
        for u in units.iter_mut() {
            if u.unit_id == row.mismatch.work_unit {
                u.people.insert(mv.left.id.clone(), mv.left.clone());
            }
            if u.unit_id == row.mismatch.residence_unit {
                u.people.insert(mv.arrived.id.clone(), mv.arrived.clone());
            }
        }
        let after = homecoming_rows(&district, units.iter());
        assert_eq!(after.len(), rows.len() - 1);
        assert!(
            after
                .iter()
                .all(|r| r.mismatch.person != row.mismatch.person)
        );
        assert_eq!(moved_count(&district), moved_count(&d.district) + 1);
    }

    #[test]
    fn a_move_without_an_open_case_makes_one() {
        let d = demo();
        let rows = homecoming_rows(&d.district, d.units.iter());
        let mut row = rows[0].clone();
        row.open_case = None;
        let unit = d
            .units
            .iter()
            .find(|u| u.unit_id == row.mismatch.work_unit)
            .unwrap();
        let person = unit.people[&row.mismatch.person.person].clone();
        let id = Id::from_random_bytes([9; 16]);
        let mv = plan_move(
            &d.district,
            &row,
            &person,
            Date::new(2024, 6, 1),
            id.clone(),
        )
        .unwrap();
        assert_eq!(mv.case.id, id);
        assert_eq!(mv.case.residence_unit, row.mismatch.residence_unit);
        assert_eq!(mv.case.status, HomecomingStatus::Moved);
    }

    #[test]
    fn career_moves_need_a_person_of_the_unit_and_a_post() {
        let d = demo();
        let unit = &d.units[0];
        let pid = unit.people.keys().next().unwrap().clone();
        let mv = |person_id: Id, post: &str| CareerMove {
            id: Id::from_random_bytes([5; 16]),
            person_id,
            kind: CareerMoveKind::CareerPost,
            date: Date::new(2024, 1, 1).unwrap(),
            post_name: post.into(),
        };
        assert_eq!(
            new_career_move(&unit.people, mv(pid.clone(), " ")),
            Err(ValidationError::Required { field: "post_name" })
        );
        assert_eq!(
            new_career_move(&unit.people, mv(Id::from_random_bytes([6; 16]), "岗位")),
            Err(ValidationError::Required { field: "person_id" })
        );
        let ok = new_career_move(&unit.people, mv(pid, " 事业岗位 ")).unwrap();
        assert_eq!(ok.post_name, "事业岗位");
        assert_eq!(career_summary([&ok]).career_post, 1);
    }
}
