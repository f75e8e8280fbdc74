//! 归雁 (returning geese) records of the demo: per village its collective
//! income (a 头雁 record, drawn in the same pass), the appointments
//! (honorary secretaries and development advisors) with their monthly
//! contacts, the advisors' investment leads, and the talent exchange.

use super::directory::Directory;
use super::{Ctx, TOWNS, name};
use crate::date::Date;
use crate::entities::*;
use crate::ids::Id;

/// An advisor's appointment: (unit index, appointment).
pub(super) type Advisor = (usize, Id);

/// Villages: income, appointments (42 + 96) and contacts; returns the
/// appointments.
pub(super) fn villages(ctx: &mut Ctx, dir: &Directory) -> Vec<Advisor> {
    let villages = &dir.villages;
    let today = super::today();
    let mut advisors: Vec<(usize, Id)> = Vec::new();
    let mut n_appt = 0usize;
    for (vi, &u) in villages.iter().enumerate() {
        let inc2023 = 150_000 + ctx.rng.below(600_000) as i64;
        for (year, inc) in [
            (2023, inc2023),
            (2024, inc2023 + ctx.rng.below(120_000) as i64 - 20_000),
        ] {
            let r = CollectiveIncome {
                id: ctx.rng.id(),
                year,
                income_yuan: inc.max(0),
            };
            ctx.unit(u).incomes.insert(r.id.clone(), r);
        }
        let mut kinds = Vec::new();
        if vi < 42 {
            kinds.push(AppointmentKind::HonorarySecretary);
        }
        kinds.push(AppointmentKind::DevelopmentAdvisor);
        if vi < 36 {
            kinds.push(AppointmentKind::DevelopmentAdvisor);
        }
        for kind in kinds {
            n_appt += 1;
            let mut a = Appointment {
                id: ctx.rng.id(),
                kind,
                name: name(&mut ctx.rng),
                origin: ["武汉", "深圳", "上海", "广州", "北京"][ctx.rng.below(5) as usize].into(),
                phone: String::new(),
                appointed: ctx.rng.date(2023, 1, 6),
                certificate_no: format!("DEMO-PIN-{n_appt:04}"),
                active: true,
                term_end: None,
            };
            // A three-year term (聘期三年).
            a.term_end = Date::new(
                a.appointed.year() + 3,
                a.appointed.month(),
                a.appointed.day().min(28),
            );
            // Contacts every month up to today; some miss August (due),
            // some miss July and August (overdue since July).
            let skip_from = match n_appt % 13 {
                0 => Some(7),
                5 | 9 => Some(8),
                _ => None,
            };
            let mut idx = a.appointed.month_index();
            while idx <= today.month_index() {
                let first = Date::first_of_month_index(idx).expect("valid");
                let in_skip = first.year() == 2024 && skip_from.is_some_and(|m| first.month() >= m);
                if !in_skip {
                    let day = 1 + ctx.rng.below(if idx == today.month_index() {
                        today.day() as u64
                    } else {
                        28
                    }) as u8;
                    let c = ContactLog {
                        id: ctx.rng.id(),
                        appointment_id: a.id.clone(),
                        date: Date::new(first.year(), first.month(), day).expect("valid"),
                        kind: [
                            ContactKind::Talk,
                            ContactKind::HolidayGreeting,
                            ContactKind::RelativesVisit,
                        ][ctx.rng.below(3) as usize],
                        note: String::new(),
                    };
                    ctx.unit(u).contacts.insert(c.id.clone(), c);
                }
                idx += 1;
            }
            advisors.push((u, a.id.clone()));
            ctx.unit(u).appointments.insert(a.id.clone(), a);
        }
    }
    advisors
}

/// Investment leads (20, 4 with funds arrived).
pub(super) fn leads(ctx: &mut Ctx, advisors: &[Advisor]) {
    let funds = [3_800_000i64, 2_900_000, 2_100_000, 1_500_000];
    for i in 0..20usize {
        let (u, adv) = advisors[(i * 7) % advisors.len()].clone();
        let lead_date = ctx.rng.date(2023, 2, 8);
        let (stage, valid) = match i {
            0..=3 => (LeadStage::FundsArrived, true),
            4..=12 => (LeadStage::Visited, true),
            13..=16 => (LeadStage::Lead, true),
            _ => (LeadStage::Lead, false),
        };
        let visit = (stage >= LeadStage::Visited).then(|| lead_date.add_days(30));
        let project = (stage >= LeadStage::Project).then(|| lead_date.add_days(120));
        let l = InvestmentLead {
            id: ctx.rng.id(),
            advisor_id: adv,
            title: format!("招商线索 {}", i + 1),
            valid,
            stage,
            lead_date,
            visit_date: visit,
            project_date: project,
            funds_yuan: if i < 4 { funds[i] } else { 0 },
        };
        ctx.unit(u).leads.insert(l.id.clone(), l);
    }
}

/// Talent exchange: 12 pairs, 63 teachers, 412 medical, 20 + 105.
pub(super) fn talent_exchange(ctx: &mut Ctx, dir: &Directory) {
    let villages = &dir.villages;
    let mut pairs = Vec::new();
    for i in 0..12 {
        let x = TalentExchange {
            id: ctx.rng.id(),
            kind: ExchangeKind::SchoolPair,
            name: format!("城乡学校结对 {}", i + 1),
            from_org: format!("城区第{}小学", i + 1),
            to_org: format!("{}中心学校", TOWNS[i % TOWNS.len()]),
            unit_id: None,
            pair_id: None,
            start: Date::new(2022, 9, 1).expect("valid"),
        };
        pairs.push(x.id.clone());
        ctx.district.exchanges.insert(x.id.clone(), x);
    }
    let add = |ctx: &mut Ctx, kind: ExchangeKind, n: usize, unit: bool, pair: bool| {
        for i in 0..n {
            let x = TalentExchange {
                id: ctx.rng.id(),
                kind,
                name: name(&mut ctx.rng),
                from_org: String::new(),
                to_org: String::new(),
                unit_id: unit.then(|| ctx.order[villages[i % villages.len()]].clone()),
                pair_id: pair.then(|| pairs[i % pairs.len()].clone()),
                start: ctx.rng.date_span(2022, 3, 1, 6),
            };
            ctx.district.exchanges.insert(x.id.clone(), x);
        }
    };
    add(ctx, ExchangeKind::Teacher, 63, false, true);
    add(ctx, ExchangeKind::MedicalTraining, 412, false, false);
    add(ctx, ExchangeKind::TechCommissioner, 20, true, false);
    add(ctx, ExchangeKind::DemoHousehold, 105, true, false);
}
