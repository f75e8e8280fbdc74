//! The demo district reproduces every DOMAIN.md reference figure from its
//! records (after a round trip through Automerge documents), every record is
//! valid, and generation is deterministic.

use std::sync::OnceLock;

use yanzhen_model::demo::{self, Demo};
use yanzhen_model::entities::*;
use yanzhen_model::figures::{self, Filter};
use yanzhen_model::store::{DistrictData, UnitData, UnitDocument};
use yanzhen_model::validate::{Validate, parse_id_number};

fn demo() -> &'static Demo {
    static D: OnceLock<Demo> = OnceLock::new();
    D.get_or_init(|| demo::generate(42))
}

/// The demo after save → load → hydrate of every document.
fn loaded() -> &'static (DistrictData, Vec<UnitData>) {
    static L: OnceLock<(DistrictData, Vec<UnitData>)> = OnceLock::new();
    L.get_or_init(|| {
        let (district, units) = demo::build_documents(demo()).unwrap();
        let d = yanzhen_model::DistrictDocument::load(&district.save(), &[3; 16]).unwrap();
        let units = units
            .iter()
            .map(|(_, u)| {
                UnitDocument::load(&u.save(), &[3; 16])
                    .unwrap()
                    .data()
                    .unwrap()
            })
            .collect();
        (d.data().unwrap(), units)
    })
}

#[test]
fn reproduces_every_reference_figure() {
    let (district, units) = loaded();
    let f = figures::compute(district, units, &Filter::year(demo::REFERENCE_YEAR));
    assert_eq!(
        f.mismatches_with_published(),
        Vec::<String>::new(),
        "{f:#?}"
    );
    // Spelled out, with the "+" semantics.
    assert_eq!(f.candidates_reviewed, 40);
    assert_eq!(f.secretaries_adjusted, 1);
    assert_eq!((f.certified_workers, f.certified_share_pct), (250, 39));
    assert_eq!(f.exam_prep_lectures, 6);
    assert_eq!((f.master_studios, f.shadowing_secretaries), (3, 5));
    assert_eq!((f.honorary_secretaries, f.development_advisors), (42, 96));
    assert_eq!(
        (
            f.investment_leads,
            f.investment_visits,
            f.investment_projects,
            f.investment_funds_wan()
        ),
        (17, 13, 4, 1030.0)
    );
    assert_eq!(f.school_pairs, 12);
    assert!(f.teachers_exchanged >= 60);
    assert!(f.medical_staff_trained >= 400);
    assert_eq!((f.tech_commissioners, f.demo_households), (20, 105));
    assert_eq!((f.reserve_selected, f.reserve_entered_committee), (99, 25));
    assert_eq!(f.pool_recruited, 60);
    assert_eq!(f.homecoming_moved, 11);
    assert_eq!(f.career_posts, 26);
    assert!(f.average_pay_rise_yuan.unwrap() >= 4_200);
    // Same figures from the in-memory data.
    let direct = figures::compute(&demo().district, &demo().units, &Filter::year(2024));
    assert_eq!(direct, f);
}

#[test]
fn realistic_size() {
    let d = demo();
    let villages = d
        .district
        .units
        .values()
        .filter(|u| u.kind == UnitKind::Village)
        .count();
    let communities = d
        .district
        .units
        .values()
        .filter(|u| u.kind == UnitKind::Community)
        .count();
    assert_eq!((villages, communities), (60, 45));
    assert_eq!(d.units.len(), 105);
    for u in &d.units {
        let members = u
            .people
            .values()
            .filter(|p| p.category == PersonCategory::TwoCommitteeMember)
            .count();
        assert!((5..=15).contains(&members));
        if d.district.units[&u.unit_id].kind == UnitKind::Community {
            let workers = u
                .people
                .values()
                .filter(|p| p.category == PersonCategory::CommunityWorker)
                .count();
            assert!((10..=30).contains(&workers));
        }
    }
}

#[test]
fn filters_partition_the_district() {
    let (district, units) = loaded();
    let all = figures::compute(district, units, &Filter::year(2024));
    let towns: Vec<_> = district
        .units
        .values()
        .filter(|u| matches!(u.kind, UnitKind::Township | UnitKind::Street))
        .collect();
    let mut workers = 0;
    let mut advisors = 0;
    for t in &towns {
        let f = figures::compute(
            district,
            units,
            &Filter {
                township: Some(t.id.clone()),
                unit: None,
                year: Some(2024),
            },
        );
        workers += f.community_workers;
        advisors += f.development_advisors;
    }
    assert_eq!(workers, all.community_workers);
    assert_eq!(advisors, all.development_advisors);
    let one = &units[0];
    let f = figures::compute(
        district,
        units,
        &Filter {
            township: None,
            unit: Some(one.unit_id.clone()),
            year: None,
        },
    );
    assert_eq!(
        f.development_advisors,
        one.appointments
            .values()
            .filter(|a| a.kind == AppointmentKind::DevelopmentAdvisor)
            .count()
    );
    // Without a year, the 2023 batch counts too.
    assert_eq!(
        figures::compute(district, units, &Filter::default()).candidates_reviewed,
        48
    );
}

#[test]
fn every_record_is_valid_and_synthetic() {
    let d = demo();
    fn all<T: Validate>(m: &std::collections::BTreeMap<yanzhen_model::Id, T>) {
        for r in m.values() {
            r.validate().unwrap();
        }
    }
    let dd = &d.district;
    all(&dd.units);
    all(&dd.policies);
    all(&dd.batches);
    all(&dd.reviews);
    all(&dd.filings);
    all(&dd.assessments);
    all(&dd.sessions);
    all(&dd.studios);
    all(&dd.mentorships);
    all(&dd.exchanges);
    all(&dd.pool);
    all(&dd.homecoming);
    for u in &d.units {
        all(&u.people);
        all(&u.posts);
        all(&u.commitments);
        all(&u.duty_reports);
        all(&u.incomes);
        all(&u.pay);
        all(&u.attendance);
        all(&u.certificates);
        all(&u.appointments);
        all(&u.contacts);
        all(&u.leads);
        all(&u.reserve_cadres);
        all(&u.career_moves);
        for p in u.people.values() {
            assert!(p.id_number.starts_with("99"));
            parse_id_number(&p.id_number, "id_number").unwrap();
            assert!(p.phone.is_empty());
        }
    }
}

#[test]
fn deterministic() {
    let a = demo::generate(42);
    assert_eq!(a.district, demo().district);
    assert_eq!(a.units, demo().units);
    assert_ne!(demo::generate(43).district, a.district);
    let (d1, _) = demo::build_documents(&a).unwrap();
    let (d2, _) = demo::build_documents(demo()).unwrap();
    assert_eq!(d1.heads(), d2.heads());
}
