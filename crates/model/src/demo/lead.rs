//! 头雁 (lead geese) records of the demo: the two committees (posts,
//! secretaries' term commitments and duty reports), the secretaries'
//! filings, annual assessments with the one adjustment, the joint
//! qualification review batches, the collective-economy reward policy and,
//! last, the incomplete filings.

use super::directory::Directory;
use super::{Ctx, NOT_FILED_UNITS, SECRETARY_CHANGED_UNITS, name};
use crate::date::Date;
use crate::entities::*;
use crate::ids::Id;
use crate::validate::make_id_number;

/// A secretary: (unit index, person, post).
pub(super) type Secretary = (usize, Id, Id);

/// Seven committee members per unit (the first is the secretary, with a
/// term commitment and a duty report); returns the secretaries.
pub(super) fn committees(ctx: &mut Ctx) -> Vec<Secretary> {
    let mut secretaries: Vec<Secretary> = Vec::new();
    for u in 0..ctx.order.len() {
        let n_members = 7;
        for m in 0..n_members {
            let pid = {
                let by = 1968 + ctx.rng.below(25) as u16;
                ctx.person(u, PersonCategory::TwoCommitteeMember, by, None)
            };
            let title = match m {
                0 => PostTitle::Secretary,
                1 => PostTitle::DeputySecretary,
                2 => PostTitle::DeputyDirector,
                _ => PostTitle::CommitteeMember,
            };
            let post = Post {
                id: ctx.rng.id(),
                person_id: pid.clone(),
                title,
                start: Date::new(2021, 10, 1 + ctx.rng.below(28) as u8).expect("valid"),
                end: None,
                how_obtained: HowObtained::Election,
                concurrent_director: m == 0,
            };
            if m == 0 {
                secretaries.push((u, pid.clone(), post.id.clone()));
                let c = TermCommitment {
                    id: ctx.rng.id(),
                    person_id: pid.clone(),
                    term_start_year: 2021,
                    text: "发展集体经济，办好三件民生实事".into(),
                    progress_pct: 40 + ctx.rng.below(60) as u8,
                    updated: ctx.rng.date(2024, 1, 7),
                };
                let d = DutyReport {
                    id: ctx.rng.id(),
                    person_id: pid.clone(),
                    year: 2023,
                    date: ctx.rng.date(2024, 1, 2),
                    votes_excellent: 20 + ctx.rng.below(15) as u32,
                    votes_competent: 5 + ctx.rng.below(8) as u32,
                    votes_basic: ctx.rng.below(3) as u32,
                    votes_incompetent: 0,
                    summary: "述职评议".into(),
                    votes_total: None,
                };
                let unit = ctx.unit(u);
                unit.commitments.insert(c.id.clone(), c);
                unit.duty_reports.insert(d.id.clone(), d);
            }
            ctx.unit(u).posts.insert(post.id.clone(), post);
        }
    }
    secretaries
}

/// Every secretary's filing (备案).
pub(super) fn filings(ctx: &mut Ctx, secretaries: &[Secretary]) {
    for (u, pid, post) in secretaries {
        let f = Filing {
            id: ctx.rng.id(),
            person: PersonRef {
                unit: ctx.order[*u].clone(),
                person: pid.clone(),
            },
            post_id: post.clone(),
            filed: ctx.rng.date(2021, 11, 12),
            note: String::new(),
        };
        ctx.district.filings.insert(f.id.clone(), f);
    }
}

/// Annual assessments: ranked within township/street; exactly one
/// secretary is last two years running (group 0, 2022 and 2023), and has
/// been adjusted.
pub(super) fn assessments(ctx: &mut Ctx, dir: &Directory, secretaries: &[Secretary]) {
    let town_ids = &dir.town_ids;
    for (g, tid) in town_ids.iter().enumerate() {
        let members: Vec<&Secretary> = secretaries
            .iter()
            .filter(|(u, _, _)| {
                crate::rules::township_of(&ctx.district, &ctx.order[*u]) == Some(tid)
            })
            .collect();
        let k = members.len();
        for (yi, year) in [2022u16, 2023, 2024].into_iter().enumerate() {
            let shift = if g == 0 && yi == 1 { 0 } else { yi + g };
            for (i, (u, pid, _)) in members.iter().enumerate() {
                let rank = ((i + k - shift % k) % k) as u32 + 1; // member `shift` is last
                let rank = if rank == 1 { k as u32 } else { rank - 1 };
                let a = Assessment {
                    id: ctx.rng.id(),
                    person: PersonRef {
                        unit: ctx.order[*u].clone(),
                        person: pid.clone(),
                    },
                    year,
                    group: tid.to_string(),
                    score: 98.0 - rank as f64 * 1.5,
                    rank,
                    grade: if rank as usize == k {
                        Grade::BasicallyCompetent
                    } else if rank <= 3 {
                        Grade::Excellent
                    } else {
                        Grade::Competent
                    },
                    votes_for: 30 - rank.min(10),
                    votes_total: 32,
                    adjustment: None,
                };
                ctx.district.assessments.insert(a.id.clone(), a);
            }
        }
    }

    // The one secretary ranked last two years running has been adjusted.
    for b in crate::rules::bottom_two_years(&ctx.district, None) {
        if let Some(a) = ctx
            .district
            .assessments
            .values_mut()
            .find(|a| a.person == b.person && a.year == b.year)
        {
            a.adjustment = Some(Adjustment {
                date: Date::new(b.year + 1, 3, 15).expect("valid"),
                by: "区委组织部".into(),
                reason: "连续两年考核排名末位，按规定调整".into(),
            });
        }
    }
}

/// District: review batches (40 candidates in 2024, 8 in 2023).
pub(super) fn review_batches(ctx: &mut Ctx) {
    for (bname, kind, year, n) in [
        (
            "2023年村（社区）两委补选联审",
            BatchKind::ByElection,
            2023u16,
            8usize,
        ),
        (
            "2024年村（社区）两委补选联审（第一批）",
            BatchKind::ByElection,
            2024,
            30,
        ),
        (
            "2024年村（社区）两委补选联审（第二批）",
            BatchKind::ByElection,
            2024,
            10,
        ),
    ] {
        let b = ReviewBatch {
            id: ctx.rng.id(),
            name: bname.into(),
            kind,
            year,
            opened: Date::new(year, 3, 1).expect("valid"),
        };
        for i in 0..n {
            let unit = ctx.order[ctx.rng.below(ctx.order.len() as u64) as usize].clone();
            let blocked = i == 7;
            let date = Date::new(year, 3, 15).expect("valid");
            let birth = ctx.rng.date_span(1985, 12, 1, 12);
            let signoffs = Department::ALL
                .iter()
                .map(|&d| {
                    let fail = blocked && d == Department::Police;
                    SignOff {
                        department: d,
                        result: if fail {
                            SignOffResult::Fail
                        } else {
                            SignOffResult::Pass
                        },
                        reviewer: name(&mut ctx.rng),
                        date: Some(date),
                        reason: if fail {
                            "有违法记录".into()
                        } else {
                            String::new()
                        },
                    }
                })
                .collect();
            let r = CandidateReview {
                id: ctx.rng.id(),
                batch_id: b.id.clone(),
                unit_id: unit,
                candidate_name: name(&mut ctx.rng),
                candidate_id_number: make_id_number(
                    "990901",
                    birth,
                    2 * ctx.rng.below(400) as u16 + 1,
                ),
                seat: PostTitle::CommitteeMember,
                stage: ReviewStage::Concluded,
                signoffs,
                publicity_start: Some(date.add_days(5)),
                publicity_end: Some(date.add_days(10)),
                final_result: Some(if blocked {
                    ReviewResult::Blocked
                } else {
                    ReviewResult::Approved
                }),
            };
            ctx.district.reviews.insert(r.id.clone(), r);
        }
        ctx.district.batches.insert(b.id.clone(), b);
    }
}

/// The reward policy.
pub(super) fn reward_policy(ctx: &mut Ctx) {
    let p = RewardPolicy {
        id: ctx.rng.id(),
        year: 2024,
        base_threshold_yuan: 100_000,
        base_reward_yuan: 20_000,
        increment_permille: 100,
        increment_cap_yuan: 50_000,
        top_n: 10,
        top_bonus_yuan: 30_000,
    };
    ctx.district.policies.insert(p.id.clone(), p);
}

/// 备案 not complete: the secretaries of a few units are not filed yet, and
/// in two units the secretary changed after the filing (the filing names a
/// former secretary who has left). Done last, so the records above are the
/// same as without it.
pub(super) fn filing_gaps(ctx: &mut Ctx) {
    for u in NOT_FILED_UNITS {
        let unit = ctx.order[*u].clone();
        ctx.district.filings.retain(|_, f| f.person.unit != unit);
    }
    for u in SECRETARY_CHANGED_UNITS {
        let former = ctx.person(*u, PersonCategory::TwoCommitteeMember, 1962, None);
        let post = Post {
            id: ctx.rng.id(),
            person_id: former.clone(),
            title: PostTitle::Secretary,
            start: Date::new(2016, 10, 10).expect("valid"),
            end: Some(Date::new(2021, 9, 30).expect("valid")),
            how_obtained: HowObtained::Election,
            concurrent_director: true,
        };
        let unit = ctx.unit(*u);
        if let Some(p) = unit.people.get_mut(&former) {
            p.status = PersonStatus::Left;
        }
        unit.posts.insert(post.id.clone(), post.clone());
        let unit_id = ctx.order[*u].clone();
        if let Some(f) = ctx
            .district
            .filings
            .values_mut()
            .find(|f| f.person.unit == unit_id)
        {
            f.person.person = former;
            f.post_id = post.id;
            f.filed = Date::new(2016, 11, 20).expect("valid");
        }
    }
}
