//! The rank screens' forms as typed (text, choices) and their conversion to
//! model records. A form with problems converts to nothing (so nothing is
//! written), and each problem is placed at its field: what cannot be read
//! (not a number, negative votes, a score out of range, a missing choice)
//! here, and then whatever the model's own validation refuses (e.g. a
//! negative income), placed by the model's field name.
//!
//! Long file: the forms of the three rank screens (assessment, commitments,
//! economy with pay and policy) share their field parsing and messages; tests
//! beside them.

use yanzhen_model::entities::{
    Adjustment, Assessment, CollectiveIncome, DutyReport, Grade, PayRecord, PersonRef,
    RewardPolicy, TermCommitment,
};
use yanzhen_model::validate::{Validate, ValidationError};
use yanzhen_model::{Date, Id};

use crate::modules::lead::messages::rank::RankMsg;
use crate::ui::form_errors::{FormWords, Problem};

/// A problem's words: a RankMsg or a model message key.
pub type RankErr = Problem<RankMsg>;

const REQUIRED: RankErr = RankErr::Model("validation.required");

/// Problems of a form, by the model's field name (first problem per field).
pub type RankErrors = crate::ui::form_errors::FieldMap<RankErr>;

impl FormWords for RankErr {
    const REQUIRED: Self = REQUIRED;
    const DATE_INVALID: Self = RankErr::Model("validation.date.invalid");
    fn refusal(e: &ValidationError) -> Self {
        RankErr::Model(e.message_key())
    }
}

impl RankErrors {
    fn check<T: Validate>(self, record: T, fallback: &str) -> Result<T, RankErrors> {
        if !self.is_empty() {
            return Err(self);
        }
        record
            .validate()
            .map_err(|e| RankErrors::from_validation(&e, fallback))?;
        Ok(record)
    }
}

/// A number as typed: spaces and thousands separators (`,` `，`) ignored.
fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != ',' && *c != '，')
        .collect()
}

/// A whole number, required. Negative numbers are read (the caller decides).
fn whole(s: &str, field: &str, errors: &mut RankErrors) -> Option<i64> {
    let s = clean(s);
    if s.is_empty() {
        errors.add(field, REQUIRED);
        return None;
    }
    match s.parse::<i64>() {
        Ok(v) => Some(v),
        Err(_) => {
            let e = if s.parse::<f64>().is_ok() {
                RankMsg::NotAWholeNumber
            } else {
                RankMsg::NotANumber
            };
            errors.add(field, RankErr::App(e));
            None
        }
    }
}

/// A vote count: a whole number ≥ 0.
fn count(
    s: &str,
    field: &str,
    required: RankMsg,
    negative: RankMsg,
    errors: &mut RankErrors,
) -> Option<u32> {
    if clean(s).is_empty() {
        errors.add(field, RankErr::App(required));
        return None;
    }
    let v = whole(s, field, errors)?;
    if v < 0 {
        errors.add(field, RankErr::App(negative));
        return None;
    }
    match u32::try_from(v) {
        Ok(v) => Some(v),
        Err(_) => {
            errors.add(field, RankErr::Model("validation.number.out_of_range"));
            None
        }
    }
}

/// A year as typed.
pub fn parse_year(s: &str, field: &str, errors: &mut RankErrors) -> Option<u16> {
    let v = whole(s, field, errors)?;
    match u16::try_from(v) {
        Ok(y) if (1949..=2100).contains(&y) => Some(y),
        _ => {
            errors.add(field, RankErr::App(RankMsg::YearInvalid));
            None
        }
    }
}

// ---------------------------------------------------------------- scores

/// A score entry as typed. `person` is the chosen secretary.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScoreForm {
    pub person: Option<PersonRef>,
    pub score: String,
    pub grade: Option<Grade>,
    pub votes_for: String,
    pub votes_total: String,
}

impl ScoreForm {
    /// The form filled from an existing assessment.
    pub fn from_assessment(a: &Assessment) -> Self {
        ScoreForm {
            person: Some(a.person.clone()),
            score: format_score(a.score),
            grade: Some(a.grade),
            votes_for: a.votes_for.to_string(),
            votes_total: a.votes_total.to_string(),
        }
    }

    /// The assessment to enter (rank 1 until re-ranked by
    /// `yanzhen_model::rank::enter_score`). `existing` is the person's
    /// assessment of that year, if any (its id and adjustment are kept).
    pub fn to_assessment(
        &self,
        new_id: Id,
        year: u16,
        group: &str,
        existing: Option<&Assessment>,
    ) -> Result<Assessment, RankErrors> {
        let mut e = RankErrors::default();
        if self.person.is_none() {
            e.add("person", REQUIRED);
        }
        let score = clean(&self.score).replace('，', ".");
        let score = if score.is_empty() {
            e.add("score", REQUIRED);
            None
        } else {
            match score.parse::<f64>() {
                Ok(v) if v.is_finite() && (0.0..=100.0).contains(&v) => Some(v),
                Ok(_) => {
                    e.add("score", RankErr::App(RankMsg::ScoreRange));
                    None
                }
                Err(_) => {
                    e.add("score", RankErr::App(RankMsg::NotANumber));
                    None
                }
            }
        };
        if self.grade.is_none() {
            e.add("grade", REQUIRED);
        }
        let opt_count = |s: &str, field: &str, e: &mut RankErrors| {
            if clean(s).is_empty() {
                Some(0)
            } else {
                count(s, field, RankMsg::VotesRequired, RankMsg::VotesNegative, e)
            }
        };
        let votes_for = opt_count(&self.votes_for, "votes_for", &mut e);
        let votes_total = opt_count(&self.votes_total, "votes_total", &mut e);
        if let (Some(f), Some(t)) = (votes_for, votes_total)
            && f > t
        {
            e.add("votes_for", RankErr::App(RankMsg::VotesForOverTotal));
        }
        let (Some(person), Some(score), Some(grade), Some(votes_for), Some(votes_total), true) = (
            self.person.clone(),
            score,
            self.grade,
            votes_for,
            votes_total,
            e.is_empty(),
        ) else {
            return Err(e);
        };
        let a = Assessment {
            id: existing.map_or(new_id, |x| x.id.clone()),
            person,
            year,
            group: group.to_owned(),
            score,
            rank: existing.map_or(1, |x| x.rank),
            grade,
            votes_for,
            votes_total,
            adjustment: existing.and_then(|x| x.adjustment.clone()),
        };
        e.check(a, "score")
    }
}

/// A score as shown: whole numbers without decimals, else one or two.
pub fn format_score(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').to_owned()
    }
}

// ---------------------------------------------------------------- adjustment

/// The adjustment as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AdjustForm {
    pub date: String,
    pub reason: String,
}

impl AdjustForm {
    /// The adjustment decided by `by`.
    pub fn to_adjustment(&self, by: &str) -> Result<Adjustment, RankErrors> {
        let mut e = RankErrors::default();
        let date = Date::parse(self.date.trim());
        if self.date.trim().is_empty() {
            e.add("adjustment.date", REQUIRED);
        } else if date.is_none() {
            e.add("adjustment.date", RankErr::Model("validation.date.invalid"));
        }
        if self.reason.trim().is_empty() {
            e.add("adjustment.reason", REQUIRED);
        }
        match (date, e.is_empty()) {
            (Some(date), true) => Ok(Adjustment {
                date,
                by: by.trim().to_owned(),
                reason: self.reason.trim().to_owned(),
            }),
            _ => Err(e),
        }
    }
}

// ---------------------------------------------------------------- commitments, duty reports

/// A commitment's new progress as typed.
pub fn progress(
    c: &TermCommitment,
    typed: &str,
    today: Date,
) -> Result<TermCommitment, RankErrors> {
    let mut e = RankErrors::default();
    let v = whole(typed, "progress_pct", &mut e);
    let pct = match v {
        Some(v) if (0..=100).contains(&v) => Some(v as u8),
        Some(_) => {
            e.add("progress_pct", RankErr::App(RankMsg::ProgressRange));
            None
        }
        None => None,
    };
    let mut c = c.clone();
    if let Some(p) = pct {
        c.progress_pct = p;
        c.updated = today;
    }
    e.check(c, "progress_pct")
}

/// A duty report's votes as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VotesForm {
    pub excellent: String,
    pub competent: String,
    pub basic: String,
    pub incompetent: String,
    pub total: String,
}

impl VotesForm {
    /// The form filled from a report (the ballots default to the votes cast).
    pub fn from_report(d: &DutyReport) -> Self {
        let cast = d.votes_excellent + d.votes_competent + d.votes_basic + d.votes_incompetent;
        VotesForm {
            excellent: d.votes_excellent.to_string(),
            competent: d.votes_competent.to_string(),
            basic: d.votes_basic.to_string(),
            incompetent: d.votes_incompetent.to_string(),
            total: d.votes_total.unwrap_or(cast).to_string(),
        }
    }

    /// The report with these votes.
    pub fn apply(&self, d: &DutyReport) -> Result<DutyReport, RankErrors> {
        let mut e = RankErrors::default();
        let r = RankMsg::VotesRequired;
        let ex = count(
            &self.excellent,
            "votes_excellent",
            r,
            RankMsg::VotesNegative,
            &mut e,
        );
        let co = count(
            &self.competent,
            "votes_competent",
            r,
            RankMsg::VotesNegative,
            &mut e,
        );
        let ba = count(
            &self.basic,
            "votes_basic",
            r,
            RankMsg::VotesNegative,
            &mut e,
        );
        let inc = count(
            &self.incompetent,
            "votes_incompetent",
            r,
            RankMsg::VotesNegative,
            &mut e,
        );
        let total = count(
            &self.total,
            "votes_total",
            r,
            RankMsg::VotesNegative,
            &mut e,
        );
        if let (Some(a), Some(b), Some(c), Some(d), Some(t)) = (ex, co, ba, inc, total)
            && u64::from(a) + u64::from(b) + u64::from(c) + u64::from(d) > u64::from(t)
        {
            e.add("votes_total", RankErr::App(RankMsg::VotesOverTotal));
        }
        let mut d = d.clone();
        if e.is_empty() {
            d.votes_excellent = ex.unwrap_or_default();
            d.votes_competent = co.unwrap_or_default();
            d.votes_basic = ba.unwrap_or_default();
            d.votes_incompetent = inc.unwrap_or_default();
            d.votes_total = total;
        }
        e.check(d, "votes_total")
    }
}

// ---------------------------------------------------------------- income

/// A year's income as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IncomeForm {
    pub year: String,
    pub amount: String,
}

impl IncomeForm {
    /// The income record: the year's existing record (updated) or a new one.
    /// A negative amount is refused by the model's validation.
    pub fn to_income(
        &self,
        new_id: Id,
        existing: impl Fn(u16) -> Option<Id>,
    ) -> Result<CollectiveIncome, RankErrors> {
        let mut e = RankErrors::default();
        let year = parse_year(&self.year, "year", &mut e);
        let amount = whole(&self.amount, "income_yuan", &mut e);
        let (Some(year), Some(amount)) = (year, amount) else {
            return Err(e);
        };
        let r = CollectiveIncome {
            id: existing(year).unwrap_or(new_id),
            year,
            income_yuan: amount,
        };
        e.check(r, "income_yuan")
    }
}

// ---------------------------------------------------------------- pay

/// A community worker's pay for a year as typed. `person` is the chosen
/// worker's id (empty: none chosen).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PayForm {
    pub person: String,
    pub year: String,
    pub amount: String,
}

impl PayForm {
    /// The pay record: the worker's existing record of the year (updated) or
    /// a new one. The worker must be one of `workers` (the unit's community
    /// workers); a negative amount is refused by the model's validation.
    pub fn to_pay(
        &self,
        new_id: Id,
        workers: &[Id],
        existing: impl Fn(&Id, u16) -> Option<Id>,
    ) -> Result<PayRecord, RankErrors> {
        let mut e = RankErrors::default();
        let person = workers
            .iter()
            .find(|w| w.as_str() == self.person.trim())
            .cloned();
        if person.is_none() {
            e.add("person_id", RankErr::App(RankMsg::PayWorkerMissing));
        }
        let year = parse_year(&self.year, "year", &mut e);
        let amount = whole(&self.amount, "annual_pay_yuan", &mut e);
        let (Some(person), Some(year), Some(amount)) = (person, year, amount) else {
            return Err(e);
        };
        let r = PayRecord {
            id: existing(&person, year).unwrap_or(new_id),
            person_id: person,
            year,
            annual_pay_yuan: amount,
        };
        e.check(r, "annual_pay_yuan")
    }
}

// ---------------------------------------------------------------- policy

/// The district's reward policy of a year as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicyForm {
    pub year: String,
    pub base_threshold: String,
    pub base_reward: String,
    pub permille: String,
    pub cap: String,
    pub top_n: String,
    pub top_bonus: String,
}

impl PolicyForm {
    /// The form filled with `p` (to edit it).
    pub fn from_policy(p: &RewardPolicy) -> Self {
        PolicyForm {
            year: p.year.to_string(),
            base_threshold: p.base_threshold_yuan.to_string(),
            base_reward: p.base_reward_yuan.to_string(),
            permille: p.increment_permille.to_string(),
            cap: p.increment_cap_yuan.to_string(),
            top_n: p.top_n.to_string(),
            top_bonus: p.top_bonus_yuan.to_string(),
        }
    }

    /// The policy: the year's existing policy (updated) or a new one.
    /// Negative amounts and a per mille over 1000 are refused by the model.
    pub fn to_policy(
        &self,
        new_id: Id,
        existing: impl Fn(u16) -> Option<Id>,
    ) -> Result<RewardPolicy, RankErrors> {
        let mut e = RankErrors::default();
        let year = parse_year(&self.year, "year", &mut e);
        let threshold = whole(&self.base_threshold, "base_threshold_yuan", &mut e);
        let base = whole(&self.base_reward, "base_reward_yuan", &mut e);
        let (req, neg) = (RankMsg::PolicyRequired, RankMsg::PolicyNegative);
        let permille = count(&self.permille, "increment_permille", req, neg, &mut e);
        let cap = whole(&self.cap, "increment_cap_yuan", &mut e);
        let top_n = count(&self.top_n, "top_n", req, neg, &mut e);
        let bonus = whole(&self.top_bonus, "top_bonus_yuan", &mut e);
        let (
            Some(year),
            Some(threshold),
            Some(base),
            Some(permille),
            Some(cap),
            Some(top_n),
            Some(bonus),
        ) = (year, threshold, base, permille, cap, top_n, bonus)
        else {
            return Err(e);
        };
        let r = RewardPolicy {
            id: existing(year).unwrap_or(new_id),
            year,
            base_threshold_yuan: threshold,
            base_reward_yuan: base,
            increment_permille: permille,
            increment_cap_yuan: cap,
            top_n,
            top_bonus_yuan: bonus,
        };
        e.check(r, "base_reward_yuan")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> Id {
        Id::from_random_bytes([n; 16])
    }

    fn person() -> PersonRef {
        PersonRef {
            unit: id(1),
            person: id(2),
        }
    }

    fn score_form(score: &str) -> ScoreForm {
        ScoreForm {
            person: Some(person()),
            score: score.into(),
            grade: Some(Grade::Excellent),
            votes_for: "28".into(),
            votes_total: "30".into(),
        }
    }

    #[test]
    fn a_score_must_be_given_between_0_and_100_with_a_secretary_and_grade() {
        let ok = score_form("91.5")
            .to_assessment(id(9), 2024, "g", None)
            .unwrap();
        assert_eq!((ok.score, ok.year, ok.votes_for), (91.5, 2024, 28));
        for (typed, msg) in [
            ("120", RankErr::App(RankMsg::ScoreRange)),
            ("-1", RankErr::App(RankMsg::ScoreRange)),
            ("九十", RankErr::App(RankMsg::NotANumber)),
            ("", REQUIRED),
        ] {
            let e = score_form(typed)
                .to_assessment(id(9), 2024, "g", None)
                .unwrap_err();
            assert_eq!(e.get("score"), Some(msg), "{typed}");
        }
        let mut f = score_form("90");
        f.person = None;
        f.grade = None;
        let e = f.to_assessment(id(9), 2024, "g", None).unwrap_err();
        assert_eq!(e.get("person"), Some(REQUIRED));
        assert_eq!(e.get("grade"), Some(REQUIRED));
        let mut f = score_form("90");
        f.votes_for = "31".into();
        let e = f.to_assessment(id(9), 2024, "g", None).unwrap_err();
        assert_eq!(
            e.get("votes_for"),
            Some(RankErr::App(RankMsg::VotesForOverTotal))
        );
    }

    #[test]
    fn an_existing_assessment_keeps_its_id_and_adjustment() {
        let mut old = score_form("80")
            .to_assessment(id(5), 2023, "g", None)
            .unwrap();
        old.adjustment = Some(Adjustment {
            date: Date::new(2024, 3, 1).unwrap(),
            by: "区委组织部".into(),
            reason: "连续两年末位".into(),
        });
        let new = score_form("70")
            .to_assessment(id(9), 2023, "g", Some(&old))
            .unwrap();
        assert_eq!(new.id, id(5));
        assert_eq!(new.score, 70.0);
        assert_eq!(new.adjustment, old.adjustment);
        assert_eq!(ScoreForm::from_assessment(&new).score, "70");
    }

    #[test]
    fn votes_cannot_be_negative_or_add_up_past_the_ballots() {
        let d = DutyReport {
            id: id(1),
            person_id: id(2),
            year: 2023,
            date: Date::new(2024, 1, 10).unwrap(),
            votes_excellent: 20,
            votes_competent: 8,
            votes_basic: 2,
            votes_incompetent: 0,
            summary: String::new(),
            votes_total: None,
        };
        let f = VotesForm::from_report(&d);
        assert_eq!(f.total, "30");
        let mut bad = f.clone();
        bad.basic = "-2".into();
        let e = bad.apply(&d).unwrap_err();
        assert_eq!(
            e.get("votes_basic"),
            Some(RankErr::App(RankMsg::VotesNegative))
        );
        let mut bad = f.clone();
        bad.total = "25".into();
        let e = bad.apply(&d).unwrap_err();
        assert_eq!(
            e.get("votes_total"),
            Some(RankErr::App(RankMsg::VotesOverTotal))
        );
        let mut bad = f.clone();
        bad.incompetent = "".into();
        assert_eq!(
            bad.apply(&d).unwrap_err().get("votes_incompetent"),
            Some(RankErr::App(RankMsg::VotesRequired))
        );
        let mut good = f.clone();
        good.excellent = "22".into();
        good.total = "35".into();
        let r = good.apply(&d).unwrap();
        assert_eq!((r.votes_excellent, r.votes_total), (22, Some(35)));
    }

    #[test]
    fn progress_is_a_whole_percent() {
        let c = TermCommitment {
            id: id(1),
            person_id: id(2),
            term_start_year: 2021,
            text: "发展集体经济".into(),
            progress_pct: 40,
            updated: Date::new(2024, 1, 1).unwrap(),
        };
        let today = Date::new(2024, 11, 1).unwrap();
        let r = progress(&c, "85", today).unwrap();
        assert_eq!((r.progress_pct, r.updated), (85, today));
        for (typed, msg) in [
            ("101", RankErr::App(RankMsg::ProgressRange)),
            ("-5", RankErr::App(RankMsg::ProgressRange)),
            ("8.5", RankErr::App(RankMsg::NotAWholeNumber)),
            ("", REQUIRED),
        ] {
            assert_eq!(
                progress(&c, typed, today).unwrap_err().get("progress_pct"),
                Some(msg),
                "{typed}"
            );
        }
    }

    #[test]
    fn a_negative_income_is_refused_by_the_model_and_a_year_replaces_its_record() {
        let f = IncomeForm {
            year: "2024".into(),
            amount: "-5000".into(),
        };
        let e = f.to_income(id(1), |_| None).unwrap_err();
        assert_eq!(
            e.get("income_yuan"),
            Some(RankErr::Model("validation.amount.negative"))
        );
        let f = IncomeForm {
            year: "2024".into(),
            amount: "650,000".into(),
        };
        let r = f.to_income(id(1), |y| (y == 2024).then(|| id(7))).unwrap();
        assert_eq!((r.id, r.income_yuan), (id(7), 650_000));
        let f = IncomeForm {
            year: "24".into(),
            amount: "1".into(),
        };
        assert_eq!(
            f.to_income(id(1), |_| None).unwrap_err().get("year"),
            Some(RankErr::App(RankMsg::YearInvalid))
        );
    }

    #[test]
    fn an_adjustment_needs_a_date_and_a_reason() {
        let f = AdjustForm {
            date: "2025-03-01".into(),
            reason: "  ".into(),
        };
        let e = f.to_adjustment("区委组织部").unwrap_err();
        assert_eq!(e.get("adjustment.reason"), Some(REQUIRED));
        let f = AdjustForm {
            date: "2025-02-30".into(),
            reason: "连续两年末位".into(),
        };
        assert_eq!(
            f.to_adjustment("x").unwrap_err().get("adjustment.date"),
            Some(RankErr::Model("validation.date.invalid"))
        );
        let f = AdjustForm {
            date: "2025-03-01".into(),
            reason: "连续两年末位".into(),
        };
        assert_eq!(
            f.to_adjustment("区委组织部").unwrap().reason,
            "连续两年末位"
        );
    }

    #[test]
    fn a_pay_record_needs_a_worker_a_year_and_a_non_negative_amount() {
        let workers = [id(7), id(8)];
        let none = |_: &Id, _: u16| None;
        let f = PayForm {
            person: String::new(),
            year: "2024".into(),
            amount: "-1".into(),
        };
        let e = f.to_pay(id(1), &workers, none).unwrap_err();
        assert_eq!(
            e.get("person_id"),
            Some(RankErr::App(RankMsg::PayWorkerMissing))
        );
        // Someone who is not one of the unit's workers is no choice either.
        let f = PayForm {
            person: id(9).as_str().to_owned(),
            ..f
        };
        assert!(
            f.to_pay(id(1), &workers, none)
                .unwrap_err()
                .get("person_id")
                .is_some()
        );
        let f = PayForm {
            person: id(7).as_str().to_owned(),
            ..f
        };
        assert_eq!(
            f.to_pay(id(1), &workers, none)
                .unwrap_err()
                .get("annual_pay_yuan"),
            Some(RankErr::Model("validation.amount.negative"))
        );
        let f = PayForm {
            amount: "58,800".into(),
            ..f
        };
        let r = f.to_pay(id(1), &workers, none).unwrap();
        assert_eq!(
            (r.id.clone(), r.year, r.annual_pay_yuan),
            (id(1), 2024, 58_800)
        );
        // The worker's record of the year is updated, not doubled.
        let r = f
            .to_pay(id(1), &workers, |p, y| {
                (*p == id(7) && y == 2024).then(|| id(3))
            })
            .unwrap();
        assert_eq!(r.id, id(3));
    }

    #[test]
    fn a_policy_is_read_field_by_field_and_refused_where_wrong() {
        let p = RewardPolicy {
            id: id(4),
            year: 2024,
            base_threshold_yuan: 500_000,
            base_reward_yuan: 20_000,
            increment_permille: 50,
            increment_cap_yuan: 50_000,
            top_n: 5,
            top_bonus_yuan: 30_000,
        };
        let f = PolicyForm::from_policy(&p);
        assert_eq!(
            f.to_policy(id(1), |y| (y == 2024).then(|| id(4))).unwrap(),
            p
        );
        let bad = PolicyForm {
            base_reward: "-100".into(),
            permille: "1001".into(),
            top_n: "-1".into(),
            cap: String::new(),
            ..f.clone()
        };
        let e = bad.to_policy(id(1), |_| None).unwrap_err();
        assert_eq!(e.get("top_n"), Some(RankErr::App(RankMsg::PolicyNegative)));
        assert_eq!(e.get("increment_cap_yuan"), Some(REQUIRED));
        // What the form reads, the model then judges: a negative base reward.
        let bad = PolicyForm {
            base_reward: "-100".into(),
            ..f.clone()
        };
        assert_eq!(
            bad.to_policy(id(1), |_| None)
                .unwrap_err()
                .get("base_reward_yuan"),
            Some(RankErr::Model("validation.amount.negative"))
        );
        let bad = PolicyForm {
            permille: "1001".into(),
            ..f.clone()
        };
        assert!(
            bad.to_policy(id(1), |_| None)
                .unwrap_err()
                .get("increment_permille")
                .is_some()
        );
        // A new year's policy gets the new id.
        let next = PolicyForm {
            year: "2025".into(),
            ..f
        };
        assert_eq!(next.to_policy(id(1), |_| None).unwrap().id, id(1));
    }
}
