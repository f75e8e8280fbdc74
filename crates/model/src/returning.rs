//! 归雁 (returning geese) rules beyond [`crate::rules`]: checking a new
//! appointment against the others (certificate number required and unique,
//! the term ends after it starts), the contact-duty list a village works
//! from (who to contact this month, who is overdue — a contact this month
//! clears a person), compliance per village, advancing an investment lead
//! one stage, and the rural-talent register's counts and checks.
//!
//! Pure functions over hydrated documents; "today" is always an argument.
//!
//! Long file: 归雁's rules (appointments, the contact-due list, lead stages,
//! talent counts) with their tests beside them.

use crate::sorting;
use std::collections::BTreeMap;

use thiserror::Error;

use crate::date::Date;
use crate::entities::*;
use crate::ids::Id;
use crate::store::{DistrictData, UnitData};
use crate::validate::{Validate, ValidationError};

/// Why an appointment (or another 归雁 record) was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReturningError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// Another appointment already has this certificate number.
    #[error("certificate number already used")]
    DuplicateCertificate,
}

/// Message key of [`ReturningError::DuplicateCertificate`] (translated by
/// the app's 归雁 message table).
pub const DUPLICATE_CERTIFICATE_KEY: &str = "returning.certificate.duplicate";

impl ReturningError {
    /// The message key (a model key, or [`DUPLICATE_CERTIFICATE_KEY`]).
    pub fn message_key(&self) -> &'static str {
        match self {
            ReturningError::Invalid(v) => v.message_key(),
            ReturningError::DuplicateCertificate => DUPLICATE_CERTIFICATE_KEY,
        }
    }

    /// The field the message belongs next to.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            ReturningError::Invalid(v) => v.field(),
            ReturningError::DuplicateCertificate => Some("certificate_no"),
        }
    }
}

// ---------------------------------------------------------------- appointments

/// A certificate number as compared: trimmed, upper case, no inner spaces.
pub fn normalize_certificate(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Checks an appointment before it is written: the model's own validation,
/// a certificate number (required, and no `other` appointment with another
/// id has the same one), and a term that ends after it starts.
pub fn check_appointment<'a>(
    a: &Appointment,
    others: impl IntoIterator<Item = &'a Appointment>,
) -> Result<(), ReturningError> {
    a.validate()?;
    let cert = normalize_certificate(&a.certificate_no);
    if cert.is_empty() {
        return Err(ValidationError::Required {
            field: "certificate_no",
        }
        .into());
    }
    if let Some(end) = a.term_end
        && end <= a.appointed
    {
        return Err(ValidationError::DateRange { field: "term_end" }.into());
    }
    if others
        .into_iter()
        .any(|o| o.id != a.id && normalize_certificate(&o.certificate_no) == cert)
    {
        return Err(ReturningError::DuplicateCertificate);
    }
    Ok(())
}

// ---------------------------------------------------------------- contact duty

/// Where one appointee stands this month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Due {
    /// Not contacted since the start of an earlier month: `since` is the
    /// first day of the first month without contact, `months` how many
    /// whole months have passed without one.
    Overdue { since: Date, months: u32 },
    /// Contacted last month (or appointed this month) but not yet this month.
    DueThisMonth,
    /// Contacted this month: nothing to do.
    Contacted,
}

/// One active appointee's contact duty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueRow {
    pub appointment_id: Id,
    pub name: String,
    pub kind: AppointmentKind,
    pub last_contact: Option<Date>,
    pub due: Due,
}

/// The contact duty of every active appointee of `unit` on `today`: a
/// person is due each calendar month from the month of appointment on;
/// a contact this month settles them (earlier missed months show as
/// overdue until then). Overdue first (longest first), then due, then
/// contacted; by name within each.
pub fn contact_status(unit: &UnitData, today: Date) -> Vec<DueRow> {
    let mut last: BTreeMap<&Id, Date> = BTreeMap::new();
    for c in unit.contacts.values().filter(|c| c.date <= today) {
        let l = last.entry(&c.appointment_id).or_insert(c.date);
        *l = (*l).max(c.date);
    }
    let now = today.month_index();
    let mut out: Vec<DueRow> = unit
        .appointments
        .values()
        .filter(|a| a.active)
        .map(|a| {
            let l = last.get(&a.id).copied();
            let first_missing = l
                .map_or(i32::MIN, |d| d.month_index() + 1)
                .max(a.appointed.month_index());
            let due = if l.is_some_and(|d| d.month_index() == now) || first_missing > now {
                Due::Contacted
            } else if first_missing == now {
                Due::DueThisMonth
            } else {
                Due::Overdue {
                    since: Date::first_of_month_index(first_missing).unwrap_or(today),
                    months: (now - first_missing) as u32,
                }
            };
            DueRow {
                appointment_id: a.id.clone(),
                name: a.name.clone(),
                kind: a.kind,
                last_contact: l,
                due,
            }
        })
        .collect();
    sorting::sort_by(&mut out, |a, b| {
        (a.due, &a.name, &a.appointment_id).cmp(&(b.due, &b.name, &b.appointment_id))
    });
    out
}

/// The people to contact: due this month or overdue (see [`contact_status`]).
pub fn due_list(unit: &UnitData, today: Date) -> Vec<DueRow> {
    contact_status(unit, today)
        .into_iter()
        .filter(|r| r.due != Due::Contacted)
        .collect()
}

/// How many active appointees a unit has and how many were contacted this
/// month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Compliance {
    pub appointees: usize,
    pub contacted: usize,
}

impl Compliance {
    /// Percentage contacted this month, rounded half up (`None` without
    /// appointees).
    pub fn percent(&self) -> Option<u32> {
        (self.appointees > 0)
            .then(|| ((self.contacted * 200 + self.appointees) / (self.appointees * 2)) as u32)
    }
}

/// A unit's contact compliance this month.
pub fn compliance(unit: &UnitData, today: Date) -> Compliance {
    let rows = contact_status(unit, today);
    Compliance {
        appointees: rows.len(),
        contacted: rows.iter().filter(|r| r.due == Due::Contacted).count(),
    }
}

/// One village's compliance, for the district's chart and table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VillageCompliance {
    pub unit_id: Id,
    pub name: String,
    /// The township or street (empty if unknown).
    pub township: String,
    pub compliance: Compliance,
}

/// Compliance of every given unit with at least one active appointee,
/// named from the district directory, ordered by township then unit name.
pub fn district_compliance<'a>(
    district: &DistrictData,
    units: impl IntoIterator<Item = &'a UnitData>,
    today: Date,
) -> Vec<VillageCompliance> {
    let mut out: Vec<VillageCompliance> = units
        .into_iter()
        .filter_map(|u| {
            let c = compliance(u, today);
            if c.appointees == 0 {
                return None;
            }
            let entry = district.units.get(&u.unit_id);
            let township = entry
                .and_then(|e| e.parent.as_ref())
                .and_then(|p| district.units.get(p))
                .map(|p| p.name.clone())
                .unwrap_or_default();
            Some(VillageCompliance {
                unit_id: u.unit_id.clone(),
                name: entry.map_or_else(|| u.unit_id.as_str().to_owned(), |e| e.name.clone()),
                township,
                compliance: c,
            })
        })
        .collect();
    sorting::sort_by(&mut out, |a, b| {
        (&a.township, &a.name, &a.unit_id).cmp(&(&b.township, &b.name, &b.unit_id))
    });
    out
}

/// Totals over villages: (appointees, contacted this month).
pub fn compliance_total(rows: &[VillageCompliance]) -> Compliance {
    rows.iter().fold(Compliance::default(), |t, r| Compliance {
        appointees: t.appointees + r.compliance.appointees,
        contacted: t.contacted + r.compliance.contacted,
    })
}

// ---------------------------------------------------------------- investment leads

/// The stage after `stage` (线索 → 考察 → 落地 → 资金到位), if any.
pub fn next_stage(stage: LeadStage) -> Option<LeadStage> {
    match stage {
        LeadStage::Lead => Some(LeadStage::Visited),
        LeadStage::Visited => Some(LeadStage::Project),
        LeadStage::Project => Some(LeadStage::FundsArrived),
        LeadStage::FundsArrived => None,
    }
}

/// The lead moved one stage on, on day `on`: the visit or project date is
/// `on` (never before the previous stage's date); arriving funds are
/// `funds_yuan` (must not be negative). The result is validated; an error
/// means nothing should be written.
pub fn advance_lead(
    lead: &InvestmentLead,
    on: Date,
    funds_yuan: i64,
) -> Result<InvestmentLead, ValidationError> {
    let next =
        next_stage(lead.stage).ok_or(ValidationError::StageInconsistent { field: "stage" })?;
    let mut l = lead.clone();
    l.stage = next;
    match next {
        LeadStage::Lead => {}
        LeadStage::Visited => l.visit_date = Some(on.max(lead.lead_date)),
        LeadStage::Project => {
            l.project_date = Some(on.max(lead.visit_date.unwrap_or(lead.lead_date)))
        }
        LeadStage::FundsArrived => {
            if funds_yuan < 0 {
                return Err(ValidationError::NegativeAmount {
                    field: "funds_yuan",
                });
            }
            l.funds_yuan = funds_yuan;
        }
    }
    l.validate()?;
    Ok(l)
}

// ---------------------------------------------------------------- rural talent

/// Counts of the rural-talent register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TalentCounts {
    pub school_pairs: usize,
    pub teachers: usize,
    pub medical_trained: usize,
    pub tech_commissioners: usize,
    pub demo_households: usize,
}

impl TalentCounts {
    /// The count of one kind.
    pub fn of(&self, kind: ExchangeKind) -> usize {
        match kind {
            ExchangeKind::SchoolPair => self.school_pairs,
            ExchangeKind::Teacher => self.teachers,
            ExchangeKind::MedicalTraining => self.medical_trained,
            ExchangeKind::TechCommissioner => self.tech_commissioners,
            ExchangeKind::DemoHousehold => self.demo_households,
        }
    }
}

/// The register's counts by kind.
pub fn talent_counts(district: &DistrictData) -> TalentCounts {
    let mut c = TalentCounts::default();
    for x in district.exchanges.values() {
        match x.kind {
            ExchangeKind::SchoolPair => c.school_pairs += 1,
            ExchangeKind::Teacher => c.teachers += 1,
            ExchangeKind::MedicalTraining => c.medical_trained += 1,
            ExchangeKind::TechCommissioner => c.tech_commissioners += 1,
            ExchangeKind::DemoHousehold => c.demo_households += 1,
        }
    }
    c
}

/// Checks a register entry: the model's validation, both schools of a
/// school pair, and a teacher's pair being a school pair of the register.
pub fn check_exchange(x: &TalentExchange, district: &DistrictData) -> Result<(), ValidationError> {
    x.validate()?;
    if x.kind == ExchangeKind::SchoolPair {
        if x.from_org.trim().is_empty() {
            return Err(ValidationError::Required { field: "from_org" });
        }
        if x.to_org.trim().is_empty() {
            return Err(ValidationError::Required { field: "to_org" });
        }
    }
    if let Some(p) = &x.pair_id
        && district
            .exchanges
            .get(p)
            .is_none_or(|p| p.kind != ExchangeKind::SchoolPair)
    {
        return Err(ValidationError::UnknownReference { field: "pair_id" });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{ChangeMeta, ChangeOp, UnitDocument};

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    fn id(n: u8) -> Id {
        Id::from_random_bytes([n; 16])
    }

    fn appt(n: u8, name: &str, cert: &str, appointed: Date) -> Appointment {
        Appointment {
            id: id(n),
            kind: AppointmentKind::DevelopmentAdvisor,
            name: name.into(),
            origin: "武汉".into(),
            phone: String::new(),
            appointed,
            certificate_no: cert.into(),
            active: true,
            term_end: None,
        }
    }

    fn contact(n: u8, a: &Appointment, date: Date) -> ContactLog {
        ContactLog {
            id: id(n),
            appointment_id: a.id.clone(),
            date,
            kind: ContactKind::Talk,
            note: String::new(),
        }
    }

    #[test]
    fn certificate_required_unique_and_term_after_start() {
        let a = appt(1, "甲", "PIN-001", d(2024, 1, 1));
        let b = appt(2, "乙", " pin-001 ", d(2024, 1, 1));
        assert_eq!(
            check_appointment(&a, [&a]),
            Ok(()),
            "itself is no duplicate"
        );
        assert_eq!(
            check_appointment(&b, [&a]),
            Err(ReturningError::DuplicateCertificate)
        );
        assert_eq!(
            check_appointment(&b, [&a]).unwrap_err().field(),
            Some("certificate_no")
        );
        let mut c = appt(3, "丙", "  ", d(2024, 1, 1));
        let e = check_appointment(&c, [&a]).unwrap_err();
        assert_eq!(e.message_key(), "validation.required");
        assert_eq!(e.field(), Some("certificate_no"));
        c.certificate_no = "PIN-003".into();
        c.term_end = Some(d(2024, 1, 1));
        let e = check_appointment(&c, [&a]).unwrap_err();
        assert_eq!(
            (e.field(), e.message_key()),
            (Some("term_end"), "validation.date.range")
        );
        c.term_end = Some(d(2027, 1, 1));
        assert_eq!(check_appointment(&c, [&a, &b]), Ok(()));
        c.name = String::new();
        assert_eq!(check_appointment(&c, []).unwrap_err().field(), Some("name"));
    }

    #[test]
    fn due_list_clears_with_a_contact_this_month() {
        let today = d(2026, 11, 25);
        let mut u = UnitData::new(id(100));
        let a = appt(1, "甲", "1", d(2024, 1, 10)); // last contact 2026-10: due
        let b = appt(2, "乙", "2", d(2024, 1, 10)); // last contact 2026-08: overdue since 09
        let c = appt(3, "丙", "3", d(2024, 1, 10)); // contacted 2026-11
        let e = appt(4, "丁", "4", d(2026, 11, 2)); // appointed this month: due
        let f = appt(5, "戊", "5", d(2026, 9, 2)); // never contacted: overdue since 09
        let mut g = appt(6, "己", "6", d(2020, 1, 1));
        g.active = false;
        for (n, x, date) in [
            (10, &a, d(2026, 10, 3)),
            (11, &b, d(2026, 8, 31)),
            (12, &c, d(2026, 11, 1)),
            (13, &c, d(2026, 12, 1)), // in the future: ignored
        ] {
            let k = contact(n, x, date);
            u.contacts.insert(k.id.clone(), k);
        }
        for x in [&a, &b, &c, &e, &f, &g] {
            u.appointments.insert(x.id.clone(), x.clone());
        }
        let rows = contact_status(&u, today);
        let got: Vec<(&str, Due)> = rows.iter().map(|r| (r.name.as_str(), r.due)).collect();
        let since = d(2026, 9, 1);
        assert_eq!(
            got,
            [
                ("乙", Due::Overdue { since, months: 2 }),
                ("戊", Due::Overdue { since, months: 2 }),
                ("丁", Due::DueThisMonth),
                ("甲", Due::DueThisMonth),
                ("丙", Due::Contacted),
            ]
        );
        assert_eq!(rows[4].last_contact, Some(d(2026, 11, 1)));
        assert_eq!(due_list(&u, today).len(), 4);
        let comp = compliance(&u, today);
        assert_eq!(
            comp,
            Compliance {
                appointees: 5,
                contacted: 1
            }
        );
        assert_eq!(comp.percent(), Some(20));

        // One contact today takes 乙 off the list.
        let k = contact(20, &b, today);
        u.contacts.insert(k.id.clone(), k);
        assert!(due_list(&u, today).iter().all(|r| r.name != "乙"));
        assert_eq!(compliance(&u, today).contacted, 2);
        assert_eq!(Compliance::default().percent(), None);
        assert_eq!(
            Compliance {
                appointees: 3,
                contacted: 2
            }
            .percent(),
            Some(67)
        );
    }

    #[test]
    fn demo_district_compliance_on_the_article_date() {
        let demo = crate::demo::generate(7);
        let today = crate::demo::today();
        let rows = district_compliance(&demo.district, &demo.units, today);
        assert_eq!(rows.len(), 60, "every village has appointees");
        let total = compliance_total(&rows);
        let (h, a) = crate::rules::appointments(&demo.units);
        assert_eq!(total.appointees, h + a);
        // Agrees with the model's stricter rule on who was contacted in August.
        let strict: usize = demo
            .units
            .iter()
            .flat_map(|u| crate::rules::contact_duty(u, today))
            .filter(|r| r.status == crate::rules::DutyStatus::ContactedThisMonth)
            .count();
        assert_eq!(total.contacted, strict);
        assert!(total.contacted < total.appointees);
        assert!(rows.iter().all(|r| !r.township.is_empty()));
    }

    #[test]
    fn advancing_a_lead_one_stage_at_a_time() {
        let lead = InvestmentLead {
            id: id(1),
            advisor_id: id(2),
            title: "食品加工厂".into(),
            valid: true,
            stage: LeadStage::Lead,
            lead_date: d(2026, 3, 1),
            visit_date: None,
            project_date: None,
            funds_yuan: 0,
        };
        let v = advance_lead(&lead, d(2026, 2, 1), 0).unwrap();
        assert_eq!(
            (v.stage, v.visit_date),
            (LeadStage::Visited, Some(d(2026, 3, 1)))
        );
        let p = advance_lead(&v, d(2026, 6, 1), 0).unwrap();
        assert_eq!(
            (p.stage, p.project_date),
            (LeadStage::Project, Some(d(2026, 6, 1)))
        );
        assert_eq!(
            advance_lead(&p, d(2026, 7, 1), -1),
            Err(ValidationError::NegativeAmount {
                field: "funds_yuan"
            })
        );
        let f = advance_lead(&p, d(2026, 7, 1), 2_500_000).unwrap();
        assert_eq!(
            (f.stage, f.funds_yuan),
            (LeadStage::FundsArrived, 2_500_000)
        );
        assert!(advance_lead(&f, d(2026, 8, 1), 0).is_err());
        let before = crate::rules::investment_funnel([&unit_with(&[&lead])]);
        let after = crate::rules::investment_funnel([&unit_with(&[&v])]);
        assert_eq!((before.visits, after.visits), (0, 1));
    }

    fn unit_with(leads: &[&InvestmentLead]) -> UnitData {
        let mut u = UnitData::new(id(100));
        for l in leads {
            u.leads.insert(l.id.clone(), (*l).clone());
        }
        u
    }

    #[test]
    fn talent_counts_of_the_demo_and_entry_checks() {
        let demo = crate::demo::generate(7);
        let c = talent_counts(&demo.district);
        assert_eq!(c.school_pairs, 12);
        assert!(c.teachers >= 60 && c.medical_trained >= 400);
        assert_eq!((c.tech_commissioners, c.demo_households), (20, 105));
        assert_eq!(c.of(ExchangeKind::DemoHousehold), 105);

        let pair = demo
            .district
            .exchanges
            .values()
            .find(|x| x.kind == ExchangeKind::SchoolPair)
            .unwrap();
        let household = demo
            .district
            .exchanges
            .values()
            .find(|x| x.kind == ExchangeKind::DemoHousehold)
            .unwrap();
        let mut t = TalentExchange {
            id: id(9),
            kind: ExchangeKind::Teacher,
            name: "测试教师".into(),
            from_org: String::new(),
            to_org: String::new(),
            unit_id: None,
            pair_id: None,
            start: d(2026, 9, 1),
        };
        assert_eq!(
            check_exchange(&t, &demo.district),
            Err(ValidationError::Required { field: "pair_id" })
        );
        t.pair_id = Some(household.id.clone());
        assert_eq!(
            check_exchange(&t, &demo.district),
            Err(ValidationError::UnknownReference { field: "pair_id" })
        );
        t.pair_id = Some(pair.id.clone());
        assert_eq!(check_exchange(&t, &demo.district), Ok(()));
        let mut s = t.clone();
        s.kind = ExchangeKind::SchoolPair;
        s.pair_id = None;
        assert_eq!(
            check_exchange(&s, &demo.district),
            Err(ValidationError::Required { field: "from_org" })
        );
    }

    #[test]
    fn an_appointment_written_without_a_term_still_loads() {
        // A document written by a build without `term_end`: the field is
        // removed from the stored map, as an older build would have left it.
        let meta = ChangeMeta::new("t", "测试", "office", 0);
        let mut u = UnitData::new(id(100));
        let a = appt(1, "甲", "PIN-1", d(2024, 1, 1));
        u.appointments.insert(a.id.clone(), a.clone());
        let doc = UnitDocument::create(&u, &[1; 16], &meta, ChangeOp::Import).unwrap();
        let mut am = doc.into_automerge();
        {
            use automerge::transaction::Transactable;
            use automerge::{ObjType, ROOT, ReadDoc, Value};
            let mut tx = am.transaction();
            let Some((Value::Object(ObjType::Map), c)) = tx.get(ROOT, "appointments").unwrap()
            else {
                panic!("appointments map")
            };
            let Some((Value::Object(ObjType::Map), r)) = tx.get(&c, a.id.as_str()).unwrap() else {
                panic!("record map")
            };
            tx.delete(&r, "term_end").unwrap();
            assert!(tx.get(&r, "term_end").unwrap().is_none());
            tx.commit();
        }
        let doc = UnitDocument::load(&am.save(), &[2; 16]).unwrap();
        let back = doc.get::<Appointment>(&a.id).unwrap().unwrap();
        assert_eq!(back.term_end, None);
        assert_eq!(back.certificate_no, "PIN-1");
    }
}
