//! 雏雁 (young geese) records of the demo: the home-coming cases, career
//! posts, the villages' reserve cadres and the community-worker reserve
//! pool.

use super::directory::Directory;
use super::flock::Worker;
use super::lead::Secretary;
use super::{COMMUNITIES_PER_STREET, Ctx, name};
use crate::entities::*;
use crate::ids::Id;
use crate::validate::make_id_number;

/// Home-coming: 11 moved (now living = working), 9 open (4 cross-street).
pub(super) fn homecoming(ctx: &mut Ctx, dir: &Directory, workers: &[Worker]) {
    let communities = &dir.communities;
    let community_ids = community_ids(ctx, dir);
    for (i, (u, pid)) in workers
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 31 == 3)
        .take(20)
    {
        let work = ctx.order[*u].clone();
        let ci = communities.iter().position(|c| c == u).expect("community");
        let moved =
            i % 2 == 1 || ctx.district.homecoming.len() < 11 && ctx.district.homecoming.len() >= 9;
        let n_moved = ctx
            .district
            .homecoming
            .values()
            .filter(|c| c.status == HomecomingStatus::Moved)
            .count();
        let n_open = ctx.district.homecoming.len() - n_moved;
        let moved = if n_moved >= 11 {
            false
        } else if n_open >= 9 {
            true
        } else {
            moved
        };
        // Another community: same street (+1) or, for every other open case, the next street (+9).
        let cross = !moved && n_open.is_multiple_of(2);
        let other = community_ids
            [(ci + if cross { COMMUNITIES_PER_STREET } else { 1 }) % community_ids.len()]
        .clone();
        let identified = ctx.rng.date(2023, 3, 9);
        let case = if moved {
            // Lived in `work` but worked in `other`; moved to work where they live.
            HomecomingCase {
                id: ctx.rng.id(),
                person: PersonRef {
                    unit: work.clone(),
                    person: pid.clone(),
                },
                residence_unit: work.clone(),
                work_unit: other,
                identified,
                status: HomecomingStatus::Moved,
                moved_date: Some(identified.add_days(90 + ctx.rng.below(120) as i64)),
            }
        } else {
            if let Some(p) = ctx.unit(*u).people.get_mut(pid) {
                p.residence_unit = other.clone();
            }
            HomecomingCase {
                id: ctx.rng.id(),
                person: PersonRef {
                    unit: work.clone(),
                    person: pid.clone(),
                },
                residence_unit: other,
                work_unit: work,
                identified,
                status: HomecomingStatus::Open,
                moved_date: None,
            }
        };
        ctx.district.homecoming.insert(case.id.clone(), case);
    }
}

/// Career posts: 26 community secretaries; 3 village cadres to civil
/// service.
pub(super) fn career_moves(ctx: &mut Ctx, dir: &Directory, secretaries: &[Secretary]) {
    let (villages, communities) = (&dir.villages, &dir.communities);
    let community_secretaries: Vec<&Secretary> = secretaries
        .iter()
        .filter(|(u, _, _)| communities.contains(u))
        .collect();
    for (u, pid, _) in community_secretaries.iter().take(26) {
        let m = CareerMove {
            id: ctx.rng.id(),
            person_id: pid.clone(),
            kind: CareerMoveKind::CareerPost,
            date: ctx.rng.date(2023, 1, 12),
            post_name: "社区党组织书记（事业岗位管理）".into(),
        };
        ctx.unit(*u).career_moves.insert(m.id.clone(), m);
    }
    for &u in villages.iter().take(3) {
        let pid = ctx
            .unit(u)
            .people
            .values()
            .find(|p| p.category == PersonCategory::TwoCommitteeMember)
            .map(|p| p.id.clone())
            .expect("member");
        let m = CareerMove {
            id: ctx.rng.id(),
            person_id: pid,
            kind: CareerMoveKind::CivilService,
            date: ctx.rng.date(2023, 6, 9),
            post_name: "乡镇公务员（定向招录）".into(),
        };
        ctx.unit(u).career_moves.insert(m.id.clone(), m);
    }
}

/// Reserve cadres: two per village for the first 39 villages, one for the
/// others.
pub(super) fn reserve_cadres(ctx: &mut Ctx, dir: &Directory, secretaries: &[Secretary]) {
    let villages = &dir.villages;
    let mut n_reserve = 0;
    for (vi, &u) in villages.iter().enumerate() {
        let n = if vi < 39 { 2 } else { 1 };
        let mentor = secretaries
            .iter()
            .find(|(su, _, _)| *su == u)
            .map(|s| s.1.clone());
        for _ in 0..n {
            let sex = if ctx.rng.below(2) == 0 {
                Sex::Male
            } else {
                Sex::Female
            };
            let birth = ctx.rng.date_span(1990, 10, 1, 12);
            let seq = (ctx.rng.below(499) * 2 + if sex == Sex::Male { 1 } else { 0 }) as u16;
            let selected = ctx.rng.date(2022, 3, 6);
            let outcome = match n_reserve {
                0..=24 => ReserveOutcome::EnteredCommittee,
                25..=28 => ReserveOutcome::Left,
                _ => ReserveOutcome::InTraining,
            };
            n_reserve += 1;
            let r = ReserveCadre {
                id: ctx.rng.id(),
                name: name(&mut ctx.rng),
                sex,
                birth_date: birth,
                id_number: make_id_number(&format!("99{:02}01", u % 100), birth, seq),
                selected,
                mentor_person_id: mentor.clone(),
                log: vec![MentoringNote {
                    date: selected.add_days(60),
                    mentor: "书记".into(),
                    note: "传帮带谈心".into(),
                }],
                outcome,
                outcome_date: (outcome != ReserveOutcome::InTraining)
                    .then(|| selected.add_days(400)),
            };
            ctx.unit(u).reserve_cadres.insert(r.id.clone(), r);
        }
    }
}

/// Reserve pool: 84 candidates, 60 recruited.
pub(super) fn reserve_pool(ctx: &mut Ctx, dir: &Directory) {
    let community_ids = community_ids(ctx, dir);
    for i in 0..84usize {
        let registered = ctx.rng.date(2022, 1, 12);
        let status = match i {
            0..=59 => PoolStatus::Recruited,
            60..=77 => PoolStatus::Waiting,
            _ => PoolStatus::Withdrawn,
        };
        let recruited = status == PoolStatus::Recruited;
        let c = PoolCandidate {
            id: ctx.rng.id(),
            name: name(&mut ctx.rng),
            id_number: String::new(),
            registered,
            status,
            recruited_unit: recruited.then(|| community_ids[i % community_ids.len()].clone()),
            recruited_date: recruited.then(|| registered.add_days(200)),
        };
        ctx.district.pool.insert(c.id.clone(), c);
    }
}

/// The communities' ids, in directory order.
fn community_ids(ctx: &Ctx, dir: &Directory) -> Vec<Id> {
    dir.communities
        .iter()
        .map(|&u| ctx.order[u].clone())
        .collect()
}
