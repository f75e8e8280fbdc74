//! Programme rules as pure functions over merged (hydrated) documents:
//! [`DistrictData`] and the [`UnitData`] of each village/community. Nothing
//! here stores a total; every figure is counted from records.

use crate::sorting;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::date::Date;
use crate::entities::*;
use crate::ids::Id;
use crate::store::{DistrictData, UnitData};

// ---------------------------------------------------------------- directory

/// The kind of a unit, from the district directory.
pub fn unit_kind(district: &DistrictData, unit: &Id) -> Option<UnitKind> {
    district.units.get(unit).map(|u| u.kind)
}

/// The township/street a village/community belongs to (itself for a
/// township/street).
pub fn township_of<'a>(district: &'a DistrictData, unit: &'a Id) -> Option<&'a Id> {
    let u = district.units.get(unit)?;
    match u.kind {
        UnitKind::Township | UnitKind::Street => Some(&u.id),
        UnitKind::Village | UnitKind::Community => u.parent.as_ref(),
        UnitKind::District => None,
    }
}

/// The active secretary of a unit (an active person holding an open
/// `Secretary` post).
pub fn secretary(unit: &UnitData) -> Option<&Person> {
    unit.posts
        .values()
        .filter(|p| p.title == PostTitle::Secretary && p.end.is_none())
        .filter_map(|p| unit.people.get(&p.person_id))
        .find(|p| p.status == PersonStatus::Active)
}

// ---------------------------------------------------------------- 头雁

/// A secretary ranked last in their group in two consecutive years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BottomTwice {
    pub person: PersonRef,
    /// The second of the two years.
    pub year: u16,
}

/// Secretaries ranked last in their ranking group two years running (the
/// adjustment rule). With `up_to`, only years up to that year count.
pub fn bottom_two_years(district: &DistrictData, up_to: Option<u16>) -> Vec<BottomTwice> {
    // Last rank per (group, year).
    let mut worst: HashMap<(&str, u16), u32> = HashMap::new();
    for a in district.assessments.values() {
        let w = worst.entry((a.group.as_str(), a.year)).or_default();
        *w = (*w).max(a.rank);
    }
    let mut last: BTreeSet<(&PersonRef, u16)> = BTreeSet::new();
    for a in district.assessments.values() {
        if up_to.is_none_or(|y| a.year <= y) && worst[&(a.group.as_str(), a.year)] == a.rank {
            last.insert((&a.person, a.year));
        }
    }
    let mut out: BTreeMap<&PersonRef, u16> = BTreeMap::new();
    for (p, y) in &last {
        if *y > 0 && last.contains(&(*p, y - 1)) {
            out.entry(*p).or_insert(*y);
        }
    }
    out.into_iter()
        .map(|(p, year)| BottomTwice {
            person: p.clone(),
            year,
        })
        .collect()
}

/// The collective-economy reward of a village under `policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reward {
    pub base_yuan: i64,
    pub increment_yuan: i64,
    pub top_bonus_yuan: i64,
}

impl Reward {
    /// Sum of the three parts.
    pub fn total_yuan(&self) -> i64 {
        self.base_yuan + self.increment_yuan + self.top_bonus_yuan
    }
}

/// Reward for a village with `income` this year, `previous` last year and
/// income rank `rank` (1 = highest) among the district's villages.
pub fn reward(policy: &RewardPolicy, income: i64, previous: Option<i64>, rank: u32) -> Reward {
    let base = if income >= policy.base_threshold_yuan {
        policy.base_reward_yuan
    } else {
        0
    };
    let increase = previous.map(|p| (income - p).max(0)).unwrap_or(0);
    let increment =
        (increase * policy.increment_permille as i64 / 1000).min(policy.increment_cap_yuan);
    let top = if rank >= 1 && rank <= policy.top_n {
        policy.top_bonus_yuan
    } else {
        0
    };
    Reward {
        base_yuan: base,
        increment_yuan: increment,
        top_bonus_yuan: top,
    }
}

/// A unit's total income recorded for `year` (several records add up).
pub fn income_of(unit: &UnitData, year: u16) -> Option<i64> {
    let v: Vec<i64> = unit
        .incomes
        .values()
        .filter(|i| i.year == year)
        .map(|i| i.income_yuan)
        .collect();
    (!v.is_empty()).then(|| v.iter().sum())
}

/// Rewards of every village with an income record in `year`, under the
/// district's policy for that year (`None` if there is no policy).
pub fn rewards_for_year(
    district: &DistrictData,
    units: &[UnitData],
    year: u16,
) -> Option<Vec<(Id, Reward)>> {
    let policy = district.policies.values().find(|p| p.year == year)?;
    let mut incomes: Vec<(&Id, i64, Option<i64>)> = units
        .iter()
        .filter(|u| unit_kind(district, &u.unit_id) == Some(UnitKind::Village))
        .filter_map(|u| Some((&u.unit_id, income_of(u, year)?, income_of(u, year - 1))))
        .collect();
    sorting::sort_by(&mut incomes, |a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    Some(
        incomes
            .into_iter()
            .enumerate()
            .map(|(i, (id, inc, prev))| (id.clone(), reward(policy, inc, prev, i as u32 + 1)))
            .collect(),
    )
}

/// Average annual pay rise of community workers: the mean, over every
/// (worker, year) with a pay record for that year and the one before, of the
/// difference. With `year`, only rises into that year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PayGrowth {
    pub rises: usize,
    pub total_rise_yuan: i64,
}

impl PayGrowth {
    /// Mean rise in yuan (rounded down), if any rise was observed.
    pub fn average_yuan(&self) -> Option<i64> {
        (self.rises > 0).then(|| self.total_rise_yuan / self.rises as i64)
    }
}

/// See [`PayGrowth`].
pub fn pay_growth<'a>(
    units: impl IntoIterator<Item = &'a UnitData>,
    year: Option<u16>,
) -> PayGrowth {
    let mut g = PayGrowth::default();
    for u in units {
        let mut by: HashMap<(&Id, u16), i64> = HashMap::new();
        for p in u.pay.values() {
            *by.entry((&p.person_id, p.year)).or_default() += p.annual_pay_yuan;
        }
        for ((person, y), pay) in &by {
            if year.is_some_and(|yy| yy != *y) {
                continue;
            }
            let is_worker = u
                .people
                .get(*person)
                .is_some_and(|p| p.category == PersonCategory::CommunityWorker);
            if let (true, Some(prev)) = (is_worker, by.get(&(*person, y - 1))) {
                g.rises += 1;
                g.total_rise_yuan += pay - prev;
            }
        }
    }
    g
}

// ---------------------------------------------------------------- 群雁

/// Members covered by training.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Coverage {
    pub members: usize,
    pub trained: usize,
}

impl Coverage {
    /// Percentage, rounded to the nearest whole percent (100 if no members).
    pub fn percent(&self) -> u32 {
        if self.members == 0 {
            100
        } else {
            ((self.trained * 200 + self.members) / (self.members * 2)) as u32
        }
    }
    fn add(self, o: Coverage) -> Coverage {
        Coverage {
            members: self.members + o.members,
            trained: self.trained + o.trained,
        }
    }
}

/// The people of `unit` who attended at least one district session dated
/// `year`.
pub fn trained_in<'a>(district: &DistrictData, unit: &'a UnitData, year: u16) -> BTreeSet<&'a Id> {
    let sessions: BTreeSet<&Id> = crate::sorting::btree_set(
        district
            .sessions
            .values()
            .filter(|s| s.date.year() == year)
            .map(|s| &s.id),
    );
    crate::sorting::btree_set(
        unit.attendance
            .values()
            .filter(|a| sessions.contains(&a.session_id))
            .map(|a| &a.person_id),
    )
}

/// Training coverage of a unit in `year`: active two-committee members who
/// attended at least one district session dated that year.
pub fn training_coverage(district: &DistrictData, unit: &UnitData, year: u16) -> Coverage {
    let trained = trained_in(district, unit, year);
    let members: Vec<&Person> = unit
        .people
        .values()
        .filter(|p| {
            p.status == PersonStatus::Active && p.category == PersonCategory::TwoCommitteeMember
        })
        .collect();
    Coverage {
        members: members.len(),
        trained: members.iter().filter(|p| trained.contains(&p.id)).count(),
    }
}

/// District-wide training coverage (sum over units).
pub fn district_training_coverage<'a>(
    district: &DistrictData,
    units: impl IntoIterator<Item = &'a UnitData>,
    year: u16,
) -> Coverage {
    units
        .into_iter()
        .map(|u| training_coverage(district, u, year))
        .fold(Coverage::default(), Coverage::add)
}

/// Certified community workers and all community workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CertifiedShare {
    pub certified: usize,
    pub workers: usize,
}

impl CertifiedShare {
    /// Share in whole percent, rounded half up.
    pub fn percent(&self) -> u32 {
        if self.workers == 0 {
            0
        } else {
            ((self.certified * 200 + self.workers) / (self.workers * 2)) as u32
        }
    }
}

/// Active community workers (category `CommunityWorker`) and how many hold a
/// social-worker certificate.
pub fn certified_share<'a>(units: impl IntoIterator<Item = &'a UnitData>) -> CertifiedShare {
    let mut s = CertifiedShare::default();
    for u in units {
        let holders: BTreeSet<&Id> =
            crate::sorting::btree_set(u.certificates.values().map(|c| &c.person_id));
        for p in u.people.values() {
            if p.status == PersonStatus::Active && p.category == PersonCategory::CommunityWorker {
                s.workers += 1;
                if holders.contains(&p.id) {
                    s.certified += 1;
                }
            }
        }
    }
    s
}

// ---------------------------------------------------------------- 归雁

/// Contact-duty status of an honorary secretary / advisor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DutyStatus {
    /// Contacted in the current calendar month.
    ContactedThisMonth,
    /// Not yet contacted this month, but every earlier month is covered.
    DueThisMonth,
    /// A whole calendar month passed without contact, since this date (the
    /// first day of the first missed month).
    Overdue { since: Date },
}

/// Contact duty for one appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactDuty {
    pub appointment_id: Id,
    pub name: String,
    pub kind: AppointmentKind,
    pub last_contact: Option<Date>,
    pub status: DutyStatus,
}

/// Contact duty of every active appointment of a village on `today` (the
/// duty is one contact per calendar month from the appointment month on).
pub fn contact_duty(unit: &UnitData, today: Date) -> Vec<ContactDuty> {
    let mut months: HashMap<&Id, BTreeSet<i32>> = HashMap::new();
    let mut last: HashMap<&Id, Date> = HashMap::new();
    for c in unit.contacts.values().filter(|c| c.date <= today) {
        months
            .entry(&c.appointment_id)
            .or_default()
            .insert(c.date.month_index());
        let l = last.entry(&c.appointment_id).or_insert(c.date);
        *l = (*l).max(c.date);
    }
    let now = today.month_index();
    let mut out: Vec<ContactDuty> = unit
        .appointments
        .values()
        .filter(|a| a.active)
        .map(|a| {
            let m = months.get(&a.id);
            let covered = |i: i32| m.is_some_and(|s| s.contains(&i));
            let first_missed = (a.appointed.month_index()..now).find(|i| !covered(*i));
            let status = if covered(now) && first_missed.is_none() {
                DutyStatus::ContactedThisMonth
            } else if let Some(i) = first_missed {
                DutyStatus::Overdue {
                    since: Date::first_of_month_index(i).unwrap_or(today),
                }
            } else {
                DutyStatus::DueThisMonth
            };
            ContactDuty {
                appointment_id: a.id.clone(),
                name: a.name.clone(),
                kind: a.kind,
                last_contact: last.get(&a.id).copied(),
                status,
            }
        })
        .collect();
    sorting::sort_by(&mut out, |a, b| {
        a.name
            .cmp(&b.name)
            .then(a.appointment_id.cmp(&b.appointment_id))
    });
    out
}

/// Counts of the investment funnel (valid leads only; a lead counts in every
/// stage it reached).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Funnel {
    pub leads: usize,
    pub visits: usize,
    pub projects: usize,
    pub funds_yuan: i64,
}

impl Funnel {
    /// Funds in 万元 (may have decimals).
    pub fn funds_wan(&self) -> f64 {
        self.funds_yuan as f64 / 10_000.0
    }
}

/// The investment funnel over some units.
pub fn investment_funnel<'a>(units: impl IntoIterator<Item = &'a UnitData>) -> Funnel {
    let mut f = Funnel::default();
    for l in units
        .into_iter()
        .flat_map(|u| u.leads.values())
        .filter(|l| l.valid)
    {
        f.leads += 1;
        f.visits += usize::from(l.stage >= LeadStage::Visited);
        f.projects += usize::from(l.stage >= LeadStage::Project);
        f.funds_yuan += l.funds_yuan;
    }
    f
}

/// Appointments by kind: (honorary secretaries, development advisors).
pub fn appointments<'a>(units: impl IntoIterator<Item = &'a UnitData>) -> (usize, usize) {
    let mut h = (0, 0);
    for a in units
        .into_iter()
        .flat_map(|u| u.appointments.values())
        .filter(|a| a.active)
    {
        match a.kind {
            AppointmentKind::HonorarySecretary => h.0 += 1,
            AppointmentKind::DevelopmentAdvisor => h.1 += 1,
        }
    }
    h
}

// ---------------------------------------------------------------- 雏雁

/// Reserve-cadre outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReserveSummary {
    pub selected: usize,
    pub in_training: usize,
    pub entered_committee: usize,
    pub left: usize,
}

/// Reserve-cadre outcomes over some units.
pub fn reserve_outcomes<'a>(units: impl IntoIterator<Item = &'a UnitData>) -> ReserveSummary {
    let mut s = ReserveSummary::default();
    for r in units.into_iter().flat_map(|u| u.reserve_cadres.values()) {
        s.selected += 1;
        match r.outcome {
            ReserveOutcome::InTraining => s.in_training += 1,
            ReserveOutcome::EnteredCommittee => s.entered_committee += 1,
            ReserveOutcome::Left => s.left += 1,
        }
    }
    s
}

/// A person whose residence unit differs from the unit they work in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomecomingMismatch {
    pub person: PersonRef,
    pub name: String,
    pub residence_unit: Id,
    pub work_unit: Id,
    /// Residence and work are in different townships/streets.
    pub cross_street: bool,
}

/// Active community workers and two-committee members living in a
/// different unit than the one they work in.
pub fn homecoming_mismatches<'a>(
    district: &DistrictData,
    units: impl IntoIterator<Item = &'a UnitData>,
) -> Vec<HomecomingMismatch> {
    let mut out = Vec::new();
    for u in units {
        for p in u.people.values() {
            if p.status != PersonStatus::Active
                || p.category == PersonCategory::Other
                || p.residence_unit == u.unit_id
            {
                continue;
            }
            out.push(HomecomingMismatch {
                person: PersonRef {
                    unit: u.unit_id.clone(),
                    person: p.id.clone(),
                },
                name: p.name.clone(),
                residence_unit: p.residence_unit.clone(),
                work_unit: u.unit_id.clone(),
                cross_street: township_of(district, &p.residence_unit)
                    != township_of(district, &u.unit_id),
            });
        }
    }
    out
}
