//! Lead-geese ranking, adjustment, duty-report and collective-economy rules
//! as pure functions (年度考核排名、末位调整、述职评议、集体经济奖励、薪酬增长).
//!
//! Builds on [`crate::rules`]: the bottom-two-years rule, the reward formula
//! and the pay-growth rule stay there; this file adds what the screens need
//! around them — re-ranking a group when a score is entered, which bottom
//! secretaries are adjusted and which are still to adjust, the reward of
//! every village with its parts, and duty-report vote shares.
//!
//! Long file: ranking, re-ranking, adjustments, vote shares, rewards and pay
//! share one score model; tests beside it.

use crate::sorting;
use std::cmp::Ordering;
use std::collections::BTreeSet;

use crate::entities::*;
use crate::ids::Id;
use crate::rules::{self, Reward, income_of};
use crate::store::{DistrictData, UnitData};

// ---------------------------------------------------------------- ranking

/// Orders two assessments of one group and year: the higher score first;
/// equal scores, the higher approval rate (`votes_for / votes_total`, a
/// total of 0 counting as 0) first; `Equal` means tied.
pub fn compare(a: &Assessment, b: &Assessment) -> Ordering {
    b.score.total_cmp(&a.score).then_with(|| approval_cmp(b, a))
}

/// Compares approval rates exactly (cross-multiplied, no floats).
fn approval_cmp(a: &Assessment, b: &Assessment) -> Ordering {
    let (af, at) = (u64::from(a.votes_for), u64::from(a.votes_total));
    let (bf, bt) = (u64::from(b.votes_for), u64::from(b.votes_total));
    match (at, bt) {
        (0, 0) => Ordering::Equal,
        (0, _) => 0.cmp(&bf.min(1)),
        (_, 0) => af.min(1).cmp(&0),
        _ => (af * bt).cmp(&(bf * at)),
    }
}

/// Competition ranks (1 = best; tied assessments share a rank and the next
/// rank is skipped: 1, 2, 2, 4) of `group`, in rank order. Ties on score are
/// broken by the approval rate; a tie on both is a shared rank. Within a
/// shared rank, rows are listed by id so the order never depends on storage.
pub fn ranks(group: &[&Assessment]) -> Vec<(Id, u32)> {
    let mut sorted: Vec<&Assessment> = group.to_vec();
    sorting::sort_by(&mut sorted, |a, b| {
        compare(a, b).then_with(|| a.id.cmp(&b.id))
    });
    let mut out = Vec::with_capacity(sorted.len());
    let mut rank = 0u32;
    for (i, a) in sorted.iter().enumerate() {
        if i == 0 || compare(sorted[i - 1], a) != Ordering::Equal {
            rank = i as u32 + 1;
        }
        out.push((a.id.clone(), rank));
    }
    out
}

/// The assessments of `group` in `year`.
pub fn group_year<'a>(district: &'a DistrictData, group: &str, year: u16) -> Vec<&'a Assessment> {
    district
        .assessments
        .values()
        .filter(|a| a.group == group && a.year == year)
        .collect()
}

/// Enters `entered` (a new assessment, or a changed score of an existing
/// one) and re-ranks its group for its year. Returns every record to write:
/// `entered` with its new rank, and each other assessment of the group whose
/// rank changed. The rank `entered` carries in is ignored.
pub fn enter_score(district: &DistrictData, entered: &Assessment) -> Vec<Assessment> {
    let mut group: Vec<Assessment> = group_year(district, &entered.group, entered.year)
        .into_iter()
        .filter(|a| a.id != entered.id)
        .cloned()
        .collect();
    group.push(entered.clone());
    let refs: Vec<&Assessment> = group.iter().collect();
    let new_ranks = ranks(&refs);
    let mut out = Vec::new();
    for (id, rank) in new_ranks {
        let a = group
            .iter()
            .find(|a| a.id == id)
            .expect("ranked from group");
        if a.id == entered.id || a.rank != rank {
            let mut a = a.clone();
            a.rank = rank;
            out.push(a);
        }
    }
    // The entered record first (its validation message wins).
    sorting::sort_by_key(&mut out, |a| a.id != entered.id);
    out
}

/// Whether `a` shares its rank with another assessment of its group and year.
pub fn is_tied(district: &DistrictData, a: &Assessment) -> bool {
    district
        .assessments
        .values()
        .any(|o| o.id != a.id && o.group == a.group && o.year == a.year && o.rank == a.rank)
}

/// The ranking groups (township/street ids) that have assessments in `year`.
pub fn groups_in(district: &DistrictData, year: u16) -> Vec<String> {
    let set: BTreeSet<&str> = crate::sorting::btree_set(
        district
            .assessments
            .values()
            .filter(|a| a.year == year)
            .map(|a| a.group.as_str()),
    );
    set.into_iter().map(str::to_owned).collect()
}

/// Every year with an assessment, newest first.
pub fn assessment_years(district: &DistrictData) -> Vec<u16> {
    let set: BTreeSet<u16> =
        crate::sorting::btree_set(district.assessments.values().map(|a| a.year));
    set.into_iter().rev().collect()
}

/// The assessment of `person` in `year`, if any.
pub fn assessment_of<'a>(
    district: &'a DistrictData,
    person: &PersonRef,
    year: u16,
) -> Option<&'a Assessment> {
    district
        .assessments
        .values()
        .find(|a| &a.person == person && a.year == year)
}

// ---------------------------------------------------------------- adjustment

/// Secretaries adjusted (an assessment with an adjustment, newest decision
/// first) and secretaries still to adjust (ranked last two years running
/// ([`rules::bottom_two_years`]) and never adjusted: the assessment of the
/// second bottom year, which will carry the adjustment).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Adjustments {
    pub done: Vec<Assessment>,
    pub pending: Vec<Assessment>,
}

/// See [`Adjustments`].
pub fn adjustments(district: &DistrictData) -> Adjustments {
    let mut done: Vec<Assessment> = district
        .assessments
        .values()
        .filter(|a| a.adjustment.is_some())
        .cloned()
        .collect();
    sorting::sort_by(&mut done, |a, b| {
        let (da, db) = (a.adjustment.as_ref(), b.adjustment.as_ref());
        db.map(|x| x.date)
            .cmp(&da.map(|x| x.date))
            .then_with(|| a.id.cmp(&b.id))
    });
    let adjusted: BTreeSet<&PersonRef> = crate::sorting::btree_set(done.iter().map(|a| &a.person));
    let pending = rules::bottom_two_years(district, None)
        .into_iter()
        .filter(|b| !adjusted.contains(&b.person))
        .filter_map(|b| assessment_of(district, &b.person, b.year).cloned())
        .collect();
    Adjustments { done, pending }
}

/// The assessment with the adjustment recorded (`None` if the person is not
/// ranked last two years running in a year up to this assessment's).
pub fn adjust(
    district: &DistrictData,
    assessment: &Id,
    adjustment: Adjustment,
) -> Option<Assessment> {
    let a = district.assessments.get(assessment)?;
    let bottom = rules::bottom_two_years(district, Some(a.year));
    bottom.iter().find(|b| b.person == a.person)?;
    let mut a = a.clone();
    a.adjustment = Some(adjustment);
    Some(a)
}

// ---------------------------------------------------------------- duty reports

/// The votes of a duty report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VoteSummary {
    /// Votes cast (the four counts).
    pub cast: u32,
    /// Ballots (the recorded total, or the votes cast when none is recorded).
    pub total: u32,
    /// Excellent + competent, in whole percent of the ballots (rounded half up).
    pub approval_pct: u32,
}

/// See [`VoteSummary`].
pub fn votes(d: &DutyReport) -> VoteSummary {
    let cast = d.votes_excellent + d.votes_competent + d.votes_basic + d.votes_incompetent;
    let total = d.votes_total.unwrap_or(cast).max(cast);
    let good = d.votes_excellent + d.votes_competent;
    let approval_pct = if total == 0 {
        0
    } else {
        ((u64::from(good) * 200 + u64::from(total)) / (u64::from(total) * 2)) as u32
    };
    VoteSummary {
        cast,
        total,
        approval_pct,
    }
}

/// A unit's commitments and duty reports in one line of the district
/// overview.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UnitDuty {
    pub commitments: usize,
    /// Mean progress in whole percent (rounded down); `None` without commitments.
    pub mean_progress: Option<u32>,
    /// Commitments at 100 %.
    pub fulfilled: usize,
    /// The latest duty report's year and approval.
    pub latest_report: Option<(u16, u32)>,
}

/// See [`UnitDuty`].
pub fn unit_duty(unit: &UnitData) -> UnitDuty {
    let n = unit.commitments.len();
    let sum: u32 = unit
        .commitments
        .values()
        .map(|c| u32::from(c.progress_pct))
        .sum();
    let latest = unit
        .duty_reports
        .values()
        .max_by(|a, b| (a.year, a.date, &a.id).cmp(&(b.year, b.date, &b.id)))
        .map(|d| (d.year, votes(d).approval_pct));
    UnitDuty {
        commitments: n,
        mean_progress: (n > 0).then(|| sum / n as u32),
        fulfilled: unit
            .commitments
            .values()
            .filter(|c| c.progress_pct >= 100)
            .count(),
        latest_report: latest,
    }
}

// ---------------------------------------------------------------- economy

/// One village in the collective-economy ranking of a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EconomyRow {
    pub unit: Id,
    /// 1 = highest income (ties broken by unit id, as in
    /// [`rules::rewards_for_year`]).
    pub rank: u32,
    pub income_yuan: i64,
    pub previous_yuan: Option<i64>,
    /// The increase over the previous year counted by the policy (never negative).
    pub increase_yuan: i64,
    pub reward: Reward,
}

/// The district's reward policy for `year`.
pub fn policy_for(district: &DistrictData, year: u16) -> Option<&RewardPolicy> {
    district.policies.values().find(|p| p.year == year)
}

/// The villages with an income in `year`, ranked, each with its reward under
/// the year's policy (`None` if the district has no policy for `year`). The
/// same figures as [`rules::rewards_for_year`], with the inputs shown.
pub fn economy_rows(
    district: &DistrictData,
    units: &[UnitData],
    year: u16,
) -> Option<Vec<EconomyRow>> {
    let rewards = rules::rewards_for_year(district, units, year)?;
    Some(
        rewards
            .into_iter()
            .enumerate()
            .filter_map(|(i, (id, reward))| {
                let u = units.iter().find(|u| u.unit_id == id)?;
                let income = income_of(u, year)?;
                let previous = income_of(u, year.checked_sub(1)?);
                Some(EconomyRow {
                    unit: id,
                    rank: i as u32 + 1,
                    income_yuan: income,
                    previous_yuan: previous,
                    increase_yuan: previous.map(|p| (income - p).max(0)).unwrap_or(0),
                    reward,
                })
            })
            .collect(),
    )
}

/// Every year with an income record or a policy, newest first.
pub fn economy_years(district: &DistrictData, units: &[UnitData]) -> Vec<u16> {
    let mut set: BTreeSet<u16> =
        crate::sorting::btree_set(district.policies.values().map(|p| p.year));
    set.extend(
        units
            .iter()
            .flat_map(|u| u.incomes.values().map(|i| i.year)),
    );
    set.into_iter().rev().collect()
}

/// One community worker's pay in two consecutive years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayRow {
    pub person_id: Id,
    pub name: String,
    pub previous_yuan: Option<i64>,
    pub pay_yuan: Option<i64>,
    /// `pay - previous` when both are recorded.
    pub rise_yuan: Option<i64>,
}

fn pay_in(unit: &UnitData, person: &Id, year: u16) -> Option<i64> {
    let v: Vec<i64> = unit
        .pay
        .values()
        .filter(|p| &p.person_id == person && p.year == year)
        .map(|p| p.annual_pay_yuan)
        .collect();
    (!v.is_empty()).then(|| v.iter().sum())
}

/// The pay of every community worker of `unit` with a record in `year` or
/// the year before, by name.
pub fn pay_rows(unit: &UnitData, year: u16) -> Vec<PayRow> {
    let mut out: Vec<PayRow> = unit
        .people
        .values()
        .filter(|p| p.category == PersonCategory::CommunityWorker)
        .filter_map(|p| {
            let pay = pay_in(unit, &p.id, year);
            let previous = year.checked_sub(1).and_then(|y| pay_in(unit, &p.id, y));
            if pay.is_none() && previous.is_none() {
                return None;
            }
            Some(PayRow {
                person_id: p.id.clone(),
                name: p.name.clone(),
                previous_yuan: previous,
                pay_yuan: pay,
                rise_yuan: pay.zip(previous).map(|(a, b)| a - b),
            })
        })
        .collect();
    sorting::sort_by(&mut out, |a, b| {
        a.name
            .cmp(&b.name)
            .then_with(|| a.person_id.cmp(&b.person_id))
    });
    out
}

/// Every year with a pay record, newest first.
pub fn pay_years<'a>(units: impl IntoIterator<Item = &'a UnitData>) -> Vec<u16> {
    let set: BTreeSet<u16> = crate::sorting::btree_set(
        units
            .into_iter()
            .flat_map(|u| u.pay.values().map(|p| p.year)),
    );
    set.into_iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;

    /// The server's demo seed (`yanzhen_server::demo::DEFAULT_SEED`).
    const SEED: u64 = 42;

    fn id(n: u8) -> Id {
        Id::from_random_bytes([n; 16])
    }

    fn a(n: u8, year: u16, score: f64, votes_for: u32) -> Assessment {
        Assessment {
            id: id(n),
            person: PersonRef {
                unit: id(100 + n),
                person: id(200 - n),
            },
            year,
            group: "g".into(),
            score,
            rank: 1,
            grade: Grade::Competent,
            votes_for,
            votes_total: 30,
            adjustment: None,
        }
    }

    fn district(list: Vec<Assessment>) -> DistrictData {
        let mut d = DistrictData::new("测试区");
        for x in list {
            d.assessments.insert(x.id.clone(), x);
        }
        d
    }

    #[test]
    fn higher_score_ranks_first_and_ties_go_to_the_approval_rate_then_share() {
        let list = [
            a(1, 2024, 90.0, 20),
            a(2, 2024, 95.0, 10),
            a(3, 2024, 90.0, 25), // same score as 1, more approval
            a(4, 2024, 80.0, 20),
            a(5, 2024, 80.0, 20), // same score and approval as 4: shared
            a(6, 2024, 70.0, 30),
        ];
        let refs: Vec<&Assessment> = list.iter().collect();
        let r = ranks(&refs);
        assert_eq!(
            r,
            vec![
                (id(2), 1),
                (id(3), 2),
                (id(1), 3),
                (id(4), 4),
                (id(5), 4),
                (id(6), 6)
            ]
        );
        // Input order does not matter.
        let rev: Vec<&Assessment> = list.iter().rev().collect();
        assert_eq!(ranks(&rev), r);
    }

    #[test]
    fn entering_a_score_reranks_the_group_and_returns_only_what_changed() {
        let mut list = vec![
            a(1, 2024, 95.0, 20),
            a(2, 2024, 90.0, 20),
            a(3, 2024, 85.0, 20),
            a(9, 2023, 10.0, 20), // another year: untouched
        ];
        list[0].rank = 1;
        list[1].rank = 2;
        list[2].rank = 3;
        let d = district(list);
        let mut e = d.assessments[&id(1)].clone();
        e.score = 50.0;
        let out = enter_score(&d, &e);
        let got: Vec<(Id, u32)> = out.iter().map(|x| (x.id.clone(), x.rank)).collect();
        assert_eq!(got, vec![(id(1), 3), (id(2), 1), (id(3), 2)]);
        assert_eq!(out[0].score, 50.0);
        // A new secretary in the middle shifts only those below.
        let mut n = a(7, 2024, 92.0, 20);
        n.rank = 99;
        let out = enter_score(&d, &n);
        let got: Vec<(Id, u32)> = out.iter().map(|x| (x.id.clone(), x.rank)).collect();
        assert_eq!(got, vec![(id(7), 2), (id(2), 3), (id(3), 4)]);
    }

    #[test]
    fn adjustments_split_done_and_pending_and_adjust_needs_two_bottom_years() {
        // Person of 3 last in 2022 and 2023; person of 4 last in 2024 only.
        let mut list = Vec::new();
        for (n, year, rank) in [
            (1u8, 2022u16, 1u32),
            (3, 2022, 2),
            (1, 2023, 1),
            (3, 2023, 2),
            (1, 2024, 2),
            (3, 2024, 1),
        ] {
            let mut x = a(n, year, 90.0, 1);
            x.id = Id::from_random_bytes([n, year as u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            x.rank = rank;
            list.push(x);
        }
        let d = district(list);
        let adj = adjustments(&d);
        assert!(adj.done.is_empty());
        assert_eq!(adj.pending.len(), 1);
        let case = &adj.pending[0];
        assert_eq!(case.person, a(3, 0, 0.0, 0).person);
        assert_eq!(case.year, 2023);
        let decision = Adjustment {
            date: Date::new(2024, 3, 1).unwrap(),
            by: "区委组织部".into(),
            reason: "连续两年末位".into(),
        };
        let done = adjust(&d, &case.id, decision.clone()).unwrap();
        assert_eq!(done.adjustment.as_ref(), Some(&decision));
        // Person 1 (last only in 2024) cannot be adjusted.
        let one_2024 = d
            .assessments
            .values()
            .find(|x| x.person == a(1, 0, 0.0, 0).person && x.year == 2024)
            .unwrap();
        assert!(adjust(&d, &one_2024.id, decision.clone()).is_none());
        // Recorded: done, no longer pending.
        let mut d2 = d.clone();
        d2.assessments.insert(done.id.clone(), done);
        let adj = adjustments(&d2);
        assert_eq!(adj.done.len(), 1);
        assert!(adj.pending.is_empty());
    }

    #[test]
    fn the_demo_has_one_adjustment_and_nobody_left_to_adjust() {
        let demo = crate::demo::generate(SEED);
        let adj = adjustments(&demo.district);
        assert_eq!(adj.done.len(), 1);
        assert!(adj.pending.is_empty());
        assert_eq!(rules::bottom_two_years(&demo.district, None).len(), 1);
    }

    #[test]
    fn demo_ranks_agree_with_the_ranking_rule() {
        let demo = crate::demo::generate(SEED);
        let d = &demo.district;
        for year in assessment_years(d) {
            for g in groups_in(d, year) {
                let list = group_year(d, &g, year);
                for (aid, rank) in ranks(&list) {
                    assert_eq!(d.assessments[&aid].rank, rank);
                }
            }
        }
    }

    #[test]
    fn vote_shares_use_the_recorded_total() {
        let mut r = DutyReport {
            id: id(1),
            person_id: id(2),
            year: 2023,
            date: Date::new(2024, 1, 10).unwrap(),
            votes_excellent: 20,
            votes_competent: 7,
            votes_basic: 2,
            votes_incompetent: 1,
            summary: String::new(),
            votes_total: Some(32),
        };
        let v = votes(&r);
        assert_eq!((v.cast, v.total), (30, 32));
        assert_eq!(v.approval_pct, 84); // 27 / 32 = 84.4 %
        r.votes_total = None;
        assert_eq!(votes(&r).total, 30);
        assert_eq!(votes(&r).approval_pct, 90);
    }

    #[test]
    fn economy_rows_show_the_inputs_of_the_rules_rewards() {
        let demo = crate::demo::generate(SEED);
        let rows = economy_rows(&demo.district, &demo.units, 2024).unwrap();
        let rewards = rules::rewards_for_year(&demo.district, &demo.units, 2024).unwrap();
        assert_eq!(rows.len(), rewards.len());
        let policy = policy_for(&demo.district, 2024).unwrap();
        for (row, (uid, reward)) in rows.iter().zip(&rewards) {
            assert_eq!(&row.unit, uid);
            assert_eq!(&row.reward, reward);
            assert_eq!(
                rules::reward(policy, row.income_yuan, row.previous_yuan, row.rank),
                row.reward
            );
        }
        assert!(
            rows.windows(2)
                .all(|w| w[0].income_yuan >= w[1].income_yuan)
        );
        assert!(economy_rows(&demo.district, &demo.units, 1990).is_none());
    }

    #[test]
    fn pay_rows_rise_matches_the_growth_rule() {
        let demo = crate::demo::generate(SEED);
        let mut rises = 0usize;
        let mut total = 0i64;
        for u in &demo.units {
            for r in pay_rows(u, 2024) {
                if let Some(x) = r.rise_yuan {
                    rises += 1;
                    total += x;
                }
            }
        }
        let g = rules::pay_growth(&demo.units, Some(2024));
        assert_eq!((rises, total), (g.rises, g.total_rise_yuan));
        assert!(g.average_yuan().unwrap() >= 4200);
    }

    /// Documents written before `Assessment::adjustment` and
    /// `DutyReport::votes_total` existed have no such keys: they load as None.
    #[test]
    fn records_without_the_new_fields_still_load() {
        use crate::store::{ChangeMeta, DistrictDocument, UnitDocument, collection_obj};
        use automerge::ReadDoc;
        use automerge::transaction::Transactable;
        let meta = ChangeMeta::new("t", "测试", "admin", 1_700_000_000_000);
        let mut d = DistrictDocument::new_district("测试区", &[1; 16], &meta).unwrap();
        let x = a(1, 2024, 90.0, 20);
        d.put(&x, &meta).unwrap();
        let mut u = UnitDocument::new_unit(&id(9), &[2; 16], &meta).unwrap();
        let p = crate::demo::minimal_person(id(8), &id(9), 1);
        u.put(&p, &meta).unwrap();
        let r = DutyReport {
            id: id(3),
            person_id: p.id.clone(),
            year: 2023,
            date: Date::new(2024, 1, 10).unwrap(),
            votes_excellent: 1,
            votes_competent: 2,
            votes_basic: 0,
            votes_incompetent: 0,
            summary: String::new(),
            votes_total: Some(3),
        };
        u.put(&r, &meta).unwrap();
        for (am, coll, rid, key) in [
            (
                d.automerge_mut(),
                "assessments",
                x.id.as_str(),
                "adjustment",
            ),
            (
                u.automerge_mut(),
                "duty_reports",
                r.id.as_str(),
                "votes_total",
            ),
        ] {
            let c = collection_obj(am, coll).unwrap();
            let (_, obj) = am.get(&c, rid).unwrap().unwrap();
            let mut tx = am.transaction();
            tx.delete(&obj, key).unwrap();
            tx.commit();
            assert!(am.get(&obj, key).unwrap().is_none());
        }
        let back: Assessment = d.get(&x.id).unwrap().unwrap();
        assert_eq!(back.adjustment, None);
        assert_eq!(back.score, 90.0);
        let back: DutyReport = u.get(&r.id).unwrap().unwrap();
        assert_eq!(back.votes_total, None);
        assert_eq!(back.votes_competent, 2);
        assert_eq!(d.data().unwrap().assessments.len(), 1);
    }

    #[test]
    fn the_model_refuses_more_votes_than_ballots_and_an_adjustment_without_reason() {
        use crate::validate::{Validate, ValidationError};
        let r = DutyReport {
            id: id(3),
            person_id: id(4),
            year: 2023,
            date: Date::new(2024, 1, 10).unwrap(),
            votes_excellent: 20,
            votes_competent: 10,
            votes_basic: 3,
            votes_incompetent: 0,
            summary: String::new(),
            votes_total: Some(32),
        };
        assert_eq!(
            r.validate(),
            Err(ValidationError::OutOfRange {
                field: "votes_total"
            })
        );
        let mut x = a(1, 2024, 90.0, 20);
        x.adjustment = Some(Adjustment {
            date: Date::new(2024, 3, 1).unwrap(),
            by: "区委组织部".into(),
            reason: " ".into(),
        });
        assert_eq!(
            x.validate(),
            Err(ValidationError::Required {
                field: "adjustment.reason"
            })
        );
    }
}
