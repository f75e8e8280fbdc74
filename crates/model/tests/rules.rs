//! One test per programme rule, on small hand-made data.

use yanzhen_model::demo::DemoRng;
use yanzhen_model::entities::*;
use yanzhen_model::rules::*;
use yanzhen_model::store::{DistrictData, UnitData};
use yanzhen_model::validate::make_id_number;
use yanzhen_model::{Date, Id};

fn d(y: u16, m: u8, day: u8) -> Date {
    Date::new(y, m, day).unwrap()
}

struct World {
    rng: DemoRng,
    district: DistrictData,
    street_a: Id,
    street_b: Id,
}

impl World {
    fn new() -> Self {
        let mut rng = DemoRng::new(7);
        let mut district = DistrictData::new("测试区");
        let root = rng.id();
        district.units.insert(
            root.clone(),
            Unit {
                id: root.clone(),
                name: "区".into(),
                kind: UnitKind::District,
                parent: None,
                doc_id: None,
            },
        );
        let street_a = rng.id();
        let street_b = rng.id();
        for s in [&street_a, &street_b] {
            district.units.insert(
                s.clone(),
                Unit {
                    id: s.clone(),
                    name: "街道".into(),
                    kind: UnitKind::Street,
                    parent: Some(root.clone()),
                    doc_id: None,
                },
            );
        }
        World {
            rng,
            district,
            street_a,
            street_b,
        }
    }
    fn unit(&mut self, kind: UnitKind, street: &Id) -> UnitData {
        let id = self.rng.id();
        self.district.units.insert(
            id.clone(),
            Unit {
                id: id.clone(),
                name: "单位".into(),
                kind,
                parent: Some(street.clone()),
                doc_id: None,
            },
        );
        UnitData::new(id)
    }
    fn person(&mut self, u: &mut UnitData, category: PersonCategory) -> Id {
        let id = self.rng.id();
        let birth = d(1985, 1, 1);
        u.people.insert(
            id.clone(),
            Person {
                ethnicity: "汉族".into(),
                id_number: make_id_number("990000", birth, 1),
                ..Person::new(
                    id.clone(),
                    "某某".into(),
                    Sex::Male,
                    birth,
                    u.unit_id.clone(),
                    category,
                )
            },
        );
        id
    }
}

#[test]
fn bottom_ranked_two_years_running() {
    let mut w = World::new();
    let people: Vec<PersonRef> = (0..3)
        .map(|_| PersonRef {
            unit: w.rng.id(),
            person: w.rng.id(),
        })
        .collect();
    // Ranks per year: person 2 last in 2022 and 2023; person 1 last in 2024 only.
    for (year, order) in [(2022, [0, 1, 2]), (2023, [1, 0, 2]), (2024, [0, 2, 1])] {
        for (rank, &p) in order.iter().enumerate() {
            let id = w.rng.id();
            w.district.assessments.insert(
                id.clone(),
                Assessment {
                    id,
                    person: people[p].clone(),
                    year,
                    group: "g".into(),
                    score: 90.0,
                    rank: rank as u32 + 1,
                    grade: Grade::Competent,
                    votes_for: 1,
                    votes_total: 1,
                    adjustment: None,
                },
            );
        }
    }
    let b = bottom_two_years(&w.district, None);
    assert_eq!(
        b,
        vec![BottomTwice {
            person: people[2].clone(),
            year: 2023
        }]
    );
    assert!(bottom_two_years(&w.district, Some(2022)).is_empty());
}

#[test]
fn contact_duty_per_appointment() {
    let mut w = World::new();
    let sa = w.street_a.clone();
    let mut u = w.unit(UnitKind::Village, &sa);
    let appt = |w: &mut World, u: &mut UnitData, name: &str, contacts: &[Date]| {
        let id = w.rng.id();
        u.appointments.insert(
            id.clone(),
            Appointment {
                id: id.clone(),
                kind: AppointmentKind::DevelopmentAdvisor,
                name: name.into(),
                origin: String::new(),
                phone: String::new(),
                appointed: d(2024, 5, 10),
                certificate_no: String::new(),
                active: true,
                term_end: None,
            },
        );
        for c in contacts {
            let cid = w.rng.id();
            u.contacts.insert(
                cid.clone(),
                ContactLog {
                    id: cid,
                    appointment_id: id.clone(),
                    date: *c,
                    kind: ContactKind::Talk,
                    note: String::new(),
                },
            );
        }
    };
    appt(
        &mut w,
        &mut u,
        "a",
        &[d(2024, 5, 12), d(2024, 6, 1), d(2024, 7, 3), d(2024, 8, 2)],
    );
    appt(
        &mut w,
        &mut u,
        "b",
        &[d(2024, 5, 12), d(2024, 6, 1), d(2024, 7, 3)],
    );
    appt(&mut w, &mut u, "c", &[d(2024, 5, 12), d(2024, 8, 1)]);
    appt(&mut w, &mut u, "d", &[]);
    let duty = contact_duty(&u, d(2024, 8, 22));
    assert_eq!(duty[0].status, DutyStatus::ContactedThisMonth);
    assert_eq!(duty[1].status, DutyStatus::DueThisMonth);
    assert_eq!(duty[1].last_contact, Some(d(2024, 7, 3)));
    assert_eq!(
        duty[2].status,
        DutyStatus::Overdue {
            since: d(2024, 6, 1)
        }
    );
    assert_eq!(
        duty[3].status,
        DutyStatus::Overdue {
            since: d(2024, 5, 1)
        }
    );
    assert_eq!(duty[3].last_contact, None);
}

#[test]
fn training_coverage_and_certified_share() {
    let mut w = World::new();
    let sa = w.street_a.clone();
    let mut u = w.unit(UnitKind::Community, &sa);
    let s = w.rng.id();
    w.district.sessions.insert(
        s.clone(),
        TrainingSession {
            id: s.clone(),
            title: "t".into(),
            kind: TrainingKind::OnDuty,
            date: d(2024, 5, 1),
            hours: 8,
            first_topic: true,
            teacher_source: TeacherSource::PartySchool,
            exam_prep: false,
            location: String::new(),
        },
    );
    let members: Vec<Id> = (0..3)
        .map(|_| w.person(&mut u, PersonCategory::TwoCommitteeMember))
        .collect();
    for m in &members[..2] {
        let id = w.rng.id();
        u.attendance.insert(
            id.clone(),
            Attendance {
                id,
                session_id: s.clone(),
                person_id: m.clone(),
                hours: 8,
            },
        );
    }
    let c = training_coverage(&w.district, &u, 2024);
    assert_eq!((c.members, c.trained, c.percent()), (3, 2, 67));
    assert_eq!(training_coverage(&w.district, &u, 2023).trained, 0);
    assert_eq!(
        district_training_coverage(&w.district, [&u, &u], 2024).members,
        6
    );

    let workers: Vec<Id> = (0..5)
        .map(|_| w.person(&mut u, PersonCategory::CommunityWorker))
        .collect();
    for p in &workers[..2] {
        for _ in 0..2 {
            let id = w.rng.id();
            u.certificates.insert(
                id.clone(),
                Certificate {
                    id,
                    person_id: p.clone(),
                    level: CertificateLevel::Assistant,
                    obtained: d(2023, 1, 1),
                    number: "n".into(),
                },
            );
        }
    }
    let s = certified_share([&u]);
    assert_eq!((s.certified, s.workers, s.percent()), (2, 5, 40));
}

#[test]
fn reward_per_policy() {
    let p = RewardPolicy {
        id: Id::from_random_bytes([1; 16]),
        year: 2024,
        base_threshold_yuan: 100_000,
        base_reward_yuan: 20_000,
        increment_permille: 100,
        increment_cap_yuan: 50_000,
        top_n: 2,
        top_bonus_yuan: 30_000,
    };
    assert_eq!(reward(&p, 90_000, None, 5).total_yuan(), 0);
    let r = reward(&p, 300_000, Some(200_000), 1);
    assert_eq!(
        (r.base_yuan, r.increment_yuan, r.top_bonus_yuan),
        (20_000, 10_000, 30_000)
    );
    assert_eq!(reward(&p, 2_000_000, Some(0), 3).increment_yuan, 50_000);
    assert_eq!(reward(&p, 150_000, Some(200_000), 3).increment_yuan, 0);

    let mut w = World::new();
    w.district.policies.insert(p.id.clone(), p);
    let sa = w.street_a.clone();
    let mut units = Vec::new();
    for inc in [500_000, 300_000, 120_000] {
        let mut u = w.unit(UnitKind::Village, &sa);
        let id = w.rng.id();
        u.incomes.insert(
            id.clone(),
            CollectiveIncome {
                id,
                year: 2024,
                income_yuan: inc,
            },
        );
        units.push(u);
    }
    let rewards = rewards_for_year(&w.district, &units, 2024).unwrap();
    assert_eq!(rewards.len(), 3);
    assert_eq!(rewards[0].1.top_bonus_yuan, 30_000);
    assert_eq!(rewards[2].1.top_bonus_yuan, 0);
    assert!(rewards_for_year(&w.district, &units, 2023).is_none());
}

#[test]
fn homecoming_mismatches_flag_cross_street() {
    let mut w = World::new();
    let (sa, sb) = (w.street_a.clone(), w.street_b.clone());
    let mut a1 = w.unit(UnitKind::Community, &sa);
    let a2 = w.unit(UnitKind::Community, &sa);
    let b1 = w.unit(UnitKind::Community, &sb);
    let home = w.person(&mut a1, PersonCategory::CommunityWorker);
    let same_street = w.person(&mut a1, PersonCategory::CommunityWorker);
    let cross = w.person(&mut a1, PersonCategory::CommunityWorker);
    a1.people.get_mut(&same_street).unwrap().residence_unit = a2.unit_id.clone();
    a1.people.get_mut(&cross).unwrap().residence_unit = b1.unit_id.clone();
    let m = homecoming_mismatches(&w.district, [&a1]);
    assert_eq!(m.len(), 2);
    assert!(m.iter().all(|x| x.person.person != home));
    assert!(m.iter().any(|x| x.person.person == cross && x.cross_street));
    assert!(
        m.iter()
            .any(|x| x.person.person == same_street && !x.cross_street)
    );
}

#[test]
fn funnel_reserve_and_pay_growth() {
    let mut w = World::new();
    let sa = w.street_a.clone();
    let mut u = w.unit(UnitKind::Village, &sa);
    let adv = w.rng.id();
    for (stage, valid, funds) in [
        (LeadStage::Lead, true, 0),
        (LeadStage::Visited, true, 0),
        (LeadStage::FundsArrived, true, 5_000_000),
        (LeadStage::Visited, false, 0),
    ] {
        let id = w.rng.id();
        u.leads.insert(
            id.clone(),
            InvestmentLead {
                id,
                advisor_id: adv.clone(),
                title: "x".into(),
                valid,
                stage,
                lead_date: d(2024, 1, 1),
                visit_date: Some(d(2024, 2, 1)),
                project_date: Some(d(2024, 3, 1)),
                funds_yuan: funds,
            },
        );
    }
    let f = investment_funnel([&u]);
    assert_eq!(
        (f.leads, f.visits, f.projects, f.funds_yuan),
        (3, 2, 1, 5_000_000)
    );
    assert_eq!(f.funds_wan(), 500.0);

    for (i, outcome) in [
        ReserveOutcome::InTraining,
        ReserveOutcome::EnteredCommittee,
        ReserveOutcome::Left,
    ]
    .into_iter()
    .enumerate()
    {
        let id = w.rng.id();
        u.reserve_cadres.insert(
            id.clone(),
            ReserveCadre {
                id,
                name: format!("r{i}"),
                sex: Sex::Female,
                birth_date: d(1995, 1, 1),
                id_number: String::new(),
                selected: d(2022, 1, 1),
                mentor_person_id: None,
                log: vec![],
                outcome,
                outcome_date: None,
            },
        );
    }
    let r = reserve_outcomes([&u]);
    assert_eq!(
        (r.selected, r.in_training, r.entered_committee, r.left),
        (3, 1, 1, 1)
    );

    let p1 = w.person(&mut u, PersonCategory::CommunityWorker);
    let p2 = w.person(&mut u, PersonCategory::CommunityWorker);
    let member = w.person(&mut u, PersonCategory::TwoCommitteeMember);
    for (p, y, pay) in [
        (&p1, 2022, 40_000),
        (&p1, 2023, 44_000),
        (&p1, 2024, 48_500),
        (&p2, 2024, 50_000),
        (&member, 2023, 1),
        (&member, 2024, 99_999),
    ] {
        let id = w.rng.id();
        u.pay.insert(
            id.clone(),
            PayRecord {
                id,
                person_id: p.clone(),
                year: y,
                annual_pay_yuan: pay,
            },
        );
    }
    let g = pay_growth([&u], None);
    assert_eq!((g.rises, g.average_yuan()), (2, Some(4_250)));
    assert_eq!(pay_growth([&u], Some(2024)).average_yuan(), Some(4_500));
    assert_eq!(pay_growth([&u], Some(2021)).average_yuan(), None);
}
