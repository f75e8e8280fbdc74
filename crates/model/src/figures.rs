//! The reference figures of the programme (DOMAIN.md), computed from records
//! by the rules in [`crate::rules`], with an optional filter by
//! township/street, unit and year for the dashboard.

use std::collections::BTreeSet;

use crate::entities::*;
use crate::ids::Id;
use crate::rules;
use crate::store::{DistrictData, UnitData};

/// What to count. The default counts everything.
///
/// * `township`: only units of this township/street (and district records
///   tied to those units; district records tied to no unit are excluded).
/// * `unit`: only this village/community (same rule).
/// * `year`: reviews of batches of that year; pay rises into that year;
///   exam-preparation lectures in the three years ending that year;
///   bottom rankings up to that year. Other figures are cumulative.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub township: Option<Id>,
    pub unit: Option<Id>,
    pub year: Option<u16>,
}

impl Filter {
    /// Everything, as of `year`.
    pub fn year(year: u16) -> Self {
        Filter {
            year: Some(year),
            ..Default::default()
        }
    }

    fn unfiltered_units(&self) -> bool {
        self.township.is_none() && self.unit.is_none()
    }

    /// Whether records tied to `unit` are counted.
    pub fn includes_unit(&self, district: &DistrictData, unit: &Id) -> bool {
        if self.unit.as_ref().is_some_and(|u| u != unit) {
            return false;
        }
        match &self.township {
            None => true,
            Some(t) => rules::township_of(district, unit) == Some(t),
        }
    }

    fn includes_opt_unit(&self, district: &DistrictData, unit: Option<&Id>) -> bool {
        match unit {
            Some(u) => self.includes_unit(district, u),
            None => self.unfiltered_units(),
        }
    }
}

/// Every reference figure of DOMAIN.md.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferenceFigures {
    /// Candidates jointly reviewed (in batches of the filter year).
    pub candidates_reviewed: usize,
    /// Secretaries ranked last in their group two years running.
    pub secretaries_adjusted: usize,
    pub certified_workers: usize,
    pub community_workers: usize,
    /// `certified_workers / community_workers`, whole percent.
    pub certified_share_pct: u32,
    pub exam_prep_lectures: usize,
    pub master_studios: usize,
    /// Distinct secretaries trained by shadowing.
    pub shadowing_secretaries: usize,
    pub honorary_secretaries: usize,
    pub development_advisors: usize,
    pub investment_leads: usize,
    pub investment_visits: usize,
    pub investment_projects: usize,
    pub investment_funds_yuan: i64,
    pub school_pairs: usize,
    pub teachers_exchanged: usize,
    pub medical_staff_trained: usize,
    pub tech_commissioners: usize,
    pub demo_households: usize,
    pub reserve_selected: usize,
    pub reserve_entered_committee: usize,
    pub pool_recruited: usize,
    pub homecoming_moved: usize,
    pub career_posts: usize,
    /// Average annual pay rise of community workers (yuan).
    pub average_pay_rise_yuan: Option<i64>,
}

impl ReferenceFigures {
    /// Funds in 万元.
    pub fn investment_funds_wan(&self) -> f64 {
        self.investment_funds_yuan as f64 / 10_000.0
    }

    /// Compares with the published figures of DOMAIN.md ("60+" means at
    /// least 60). Returns a description of every mismatch (empty if all
    /// match).
    pub fn mismatches_with_published(&self) -> Vec<String> {
        let n = |v: usize| v as i64;
        // (figure, computed, published)
        let exact = [
            ("candidates reviewed", n(self.candidates_reviewed), 40),
            ("secretaries adjusted", n(self.secretaries_adjusted), 1),
            ("certified workers", n(self.certified_workers), 250),
            ("certified share %", i64::from(self.certified_share_pct), 39),
            ("exam-prep lectures", n(self.exam_prep_lectures), 6),
            ("master studios", n(self.master_studios), 3),
            ("shadowing secretaries", n(self.shadowing_secretaries), 5),
            ("honorary secretaries", n(self.honorary_secretaries), 42),
            ("development advisors", n(self.development_advisors), 96),
            ("investment leads", n(self.investment_leads), 17),
            ("investment visits", n(self.investment_visits), 13),
            ("investment projects", n(self.investment_projects), 4),
            (
                "investment funds (yuan)",
                self.investment_funds_yuan,
                10_300_000,
            ),
            ("school pairs", n(self.school_pairs), 12),
            ("tech commissioners", n(self.tech_commissioners), 20),
            ("demo households", n(self.demo_households), 105),
            ("reserve cadres selected", n(self.reserve_selected), 99),
            (
                "reserve cadres entered",
                n(self.reserve_entered_committee),
                25,
            ),
            ("pool recruited", n(self.pool_recruited), 60),
            ("home-coming moved", n(self.homecoming_moved), 11),
            ("career posts", n(self.career_posts), 26),
        ];
        // (figure, computed, published "N+")
        let at_least = [
            ("teachers exchanged", n(self.teachers_exchanged), 60),
            ("medical staff trained", n(self.medical_staff_trained), 400),
            (
                "average pay rise",
                self.average_pay_rise_yuan.unwrap_or(0),
                4_200,
            ),
        ];
        let mut out: Vec<String> = exact
            .into_iter()
            .filter(|(_, got, want)| got != want)
            .map(|(name, got, want)| format!("{name}: {got} != {want}"))
            .collect();
        out.extend(
            at_least
                .into_iter()
                .filter(|(_, got, min)| got < min)
                .map(|(name, got, min)| format!("{name}: {got} < {min}+")),
        );
        out
    }
}

/// Computes every reference figure from the merged documents.
pub fn compute(district: &DistrictData, units: &[UnitData], filter: &Filter) -> ReferenceFigures {
    compute_refs(district, units.iter(), filter)
}

/// [`compute`] over borrowed unit data (a dashboard keeps each hydrated
/// unit document once, shared, instead of copying them into a slice).
pub fn compute_refs<'a>(
    district: &DistrictData,
    units: impl IntoIterator<Item = &'a UnitData>,
    filter: &Filter,
) -> ReferenceFigures {
    let units: Vec<&UnitData> = units
        .into_iter()
        .filter(|u| filter.includes_unit(district, &u.unit_id))
        .collect();
    let year = filter.year;
    let mut f = ReferenceFigures::default();

    let batches: BTreeSet<&Id> = crate::sorting::btree_set(
        district
            .batches
            .values()
            .filter(|b| year.is_none_or(|y| b.year == y))
            .map(|b| &b.id),
    );
    f.candidates_reviewed = district
        .reviews
        .values()
        .filter(|r| batches.contains(&r.batch_id) && filter.includes_unit(district, &r.unit_id))
        .count();
    f.secretaries_adjusted = rules::bottom_two_years(district, year)
        .iter()
        .filter(|b| filter.includes_unit(district, &b.person.unit))
        .count();

    let share = rules::certified_share(units.iter().copied());
    f.certified_workers = share.certified;
    f.community_workers = share.workers;
    f.certified_share_pct = share.percent();

    if filter.unfiltered_units() {
        f.exam_prep_lectures = district
            .sessions
            .values()
            .filter(|s| {
                s.exam_prep && year.is_none_or(|y| s.date.year() <= y && s.date.year() + 2 >= y)
            })
            .count();
    }
    f.master_studios = district
        .studios
        .values()
        .filter(|s| filter.includes_unit(district, &s.unit_id))
        .count();
    f.shadowing_secretaries = crate::sorting::btree_set(
        district
            .mentorships
            .values()
            .filter(|m| {
                m.kind == MentorshipKind::Shadowing
                    && filter.includes_unit(district, &m.mentee.unit)
            })
            .map(|m| &m.mentee),
    )
    .len();

    let (h, a) = rules::appointments(units.iter().copied());
    f.honorary_secretaries = h;
    f.development_advisors = a;
    let funnel = rules::investment_funnel(units.iter().copied());
    f.investment_leads = funnel.leads;
    f.investment_visits = funnel.visits;
    f.investment_projects = funnel.projects;
    f.investment_funds_yuan = funnel.funds_yuan;

    for x in district.exchanges.values() {
        if !filter.includes_opt_unit(district, x.unit_id.as_ref()) {
            continue;
        }
        match x.kind {
            ExchangeKind::SchoolPair => f.school_pairs += 1,
            ExchangeKind::Teacher => f.teachers_exchanged += 1,
            ExchangeKind::MedicalTraining => f.medical_staff_trained += 1,
            ExchangeKind::TechCommissioner => f.tech_commissioners += 1,
            ExchangeKind::DemoHousehold => f.demo_households += 1,
        }
    }

    let r = rules::reserve_outcomes(units.iter().copied());
    f.reserve_selected = r.selected;
    f.reserve_entered_committee = r.entered_committee;
    f.pool_recruited = district
        .pool
        .values()
        .filter(|p| {
            p.status == PoolStatus::Recruited
                && filter.includes_opt_unit(district, p.recruited_unit.as_ref())
        })
        .count();
    f.homecoming_moved = district
        .homecoming
        .values()
        .filter(|c| {
            c.status == HomecomingStatus::Moved && filter.includes_unit(district, &c.person.unit)
        })
        .count();
    f.career_posts = units
        .iter()
        .flat_map(|u| u.career_moves.values())
        .filter(|m| m.kind == CareerMoveKind::CareerPost)
        .count();
    f.average_pay_rise_yuan = rules::pay_growth(units.iter().copied(), year).average_yuan();
    f
}
