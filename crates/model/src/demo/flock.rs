//! 群雁 (the flock) records of the demo: community workers with their
//! certificates and pay, training sessions (with the exam-preparation
//! lectures) and attendance, the master studios and their mentoring.

use std::collections::BTreeMap;

use super::directory::Directory;
use super::lead::Secretary;
use super::{Ctx, name};
use crate::date::Date;
use crate::entities::*;
use crate::ids::Id;

/// A community worker: (unit index, person).
pub(super) type Worker = (usize, Id);

/// Community workers (641), certificates (250), pay (2023, 2024); returns
/// the workers.
pub(super) fn workers(ctx: &mut Ctx, dir: &Directory) -> Vec<Worker> {
    let communities = &dir.communities;
    let mut workers: Vec<(usize, Id)> = Vec::new();
    for (ci, &u) in communities.iter().enumerate() {
        let n = if ci < 11 { 15 } else { 14 };
        for _ in 0..n {
            let pid = {
                let by = 1975 + ctx.rng.below(25) as u16;
                ctx.person(u, PersonCategory::CommunityWorker, by, None)
            };
            workers.push((u, pid));
        }
    }
    let mut per_unit: BTreeMap<usize, usize> = BTreeMap::new();
    let mut certified = 0;
    for (i, (u, pid)) in workers.iter().enumerate() {
        let k = per_unit.entry(*u).or_default();
        let ci = communities.iter().position(|c| c == u).expect("community");
        let quota = if ci < 25 { 6 } else { 5 };
        if *k < quota {
            *k += 1;
            certified += 1;
            let c = Certificate {
                id: ctx.rng.id(),
                person_id: pid.clone(),
                level: if i % 5 == 0 {
                    CertificateLevel::Intermediate
                } else {
                    CertificateLevel::Assistant
                },
                obtained: ctx.rng.date_span(2021, 3, 6, 12),
                number: format!("DEMO-SW-{:05}", certified),
            };
            ctx.unit(*u).certificates.insert(c.id.clone(), c);
        }
        let base = 48_000 + ctx.rng.below(8_000) as i64;
        let rise = 4_200 + (i % 11) as i64 * 10;
        for (year, pay) in [(2023, base), (2024, base + rise)] {
            let r = PayRecord {
                id: ctx.rng.id(),
                person_id: pid.clone(),
                year,
                annual_pay_yuan: pay,
            };
            ctx.unit(*u).pay.insert(r.id.clone(), r);
        }
    }
    workers
}

/// Training: sessions, 6 exam-prep lectures in 2022–2024, attendance.
pub(super) fn training(ctx: &mut Ctx) {
    let mut session_2024 = None;
    for (title, kind, date, exam, src) in [
        (
            "新任村（社区）干部岗前培训",
            TrainingKind::PreJob,
            (2024, 3, 12),
            false,
            TeacherSource::PartySchool,
        ),
        (
            "两委成员履职能力全覆盖培训",
            TrainingKind::OnDuty,
            (2024, 5, 20),
            false,
            TeacherSource::PartySchool,
        ),
        (
            "集体经济发展专题培训",
            TrainingKind::Professional,
            (2024, 6, 18),
            false,
            TeacherSource::AgricultureBureau,
        ),
        (
            "社区治理赴外学习考察",
            TrainingKind::Professional,
            (2023, 10, 10),
            false,
            TeacherSource::CivilAffairsBureau,
        ),
        (
            "村级财务规范化培训",
            TrainingKind::Professional,
            (2023, 4, 8),
            false,
            TeacherSource::FinanceBureau,
        ),
        (
            "社区干部学院专题班",
            TrainingKind::OnDuty,
            (2023, 9, 5),
            false,
            TeacherSource::University,
        ),
        (
            "社工职业资格考前辅导（一）",
            TrainingKind::Professional,
            (2022, 5, 14),
            true,
            TeacherSource::University,
        ),
        (
            "社工职业资格考前辅导（二）",
            TrainingKind::Professional,
            (2022, 5, 28),
            true,
            TeacherSource::University,
        ),
        (
            "社工职业资格考前辅导（三）",
            TrainingKind::Professional,
            (2023, 5, 13),
            true,
            TeacherSource::University,
        ),
        (
            "社工职业资格考前辅导（四）",
            TrainingKind::Professional,
            (2023, 5, 27),
            true,
            TeacherSource::University,
        ),
        (
            "社工职业资格考前辅导（五）",
            TrainingKind::Professional,
            (2024, 5, 11),
            true,
            TeacherSource::University,
        ),
        (
            "社工职业资格考前辅导（六）",
            TrainingKind::Professional,
            (2024, 5, 25),
            true,
            TeacherSource::University,
        ),
    ] {
        let s = TrainingSession {
            id: ctx.rng.id(),
            title: title.into(),
            kind,
            date: Date::new(date.0, date.1, date.2).expect("valid"),
            hours: if exam { 4 } else { 16 },
            first_topic: true,
            teacher_source: src,
            exam_prep: exam,
            location: "区委党校".into(),
        };
        if kind == TrainingKind::OnDuty && date.0 == 2024 {
            session_2024 = Some(s.id.clone());
        }
        ctx.district.sessions.insert(s.id.clone(), s);
    }
    let session = session_2024.expect("2024 session");
    for u in 0..ctx.order.len() {
        let members: Vec<Id> = ctx
            .unit(u)
            .people
            .values()
            .filter(|p| p.category == PersonCategory::TwoCommitteeMember)
            .map(|p| p.id.clone())
            .collect();
        for (k, pid) in members.iter().enumerate() {
            if u % 9 == 4 && k == 0 {
                continue; // a few members still to be trained this year
            }
            let a = Attendance {
                id: ctx.rng.id(),
                session_id: session.clone(),
                person_id: pid.clone(),
                hours: 16,
            };
            ctx.unit(u).attendance.insert(a.id.clone(), a);
        }
    }
}

/// Studios (3), mentoring and shadowing (community secretaries).
pub(super) fn studios(ctx: &mut Ctx, dir: &Directory, secretaries: &[Secretary]) {
    let communities = &dir.communities;
    let studio_names = ["春燕工作室", "红枫工作室", "晨光工作室"];
    let mut studios = Vec::new();
    for (i, n) in studio_names.iter().enumerate() {
        let s = MasterStudio {
            id: ctx.rng.id(),
            name: n.to_string(),
            leader_name: name(&mut ctx.rng),
            unit_id: ctx.order[communities[i * 10]].clone(),
            founded: Date::new(2022, 3 + i as u8, 1).expect("valid"),
        };
        studios.push(s.id.clone());
        ctx.district.studios.insert(s.id.clone(), s);
    }
    let community_secretaries: Vec<&Secretary> = secretaries
        .iter()
        .filter(|(u, _, _)| communities.contains(u))
        .collect();
    for (i, (u, pid, _)) in community_secretaries.iter().enumerate().skip(30).take(15) {
        let m = Mentorship {
            id: ctx.rng.id(),
            studio_id: studios[i % 3].clone(),
            mentee: PersonRef {
                unit: ctx.order[*u].clone(),
                person: pid.clone(),
            },
            kind: if i < 35 {
                MentorshipKind::Shadowing
            } else {
                MentorshipKind::Mentoring
            },
            start: ctx.rng.date(2023, 3, 9),
            end: None,
            note: String::new(),
            outcome: None,
        };
        ctx.district.mentorships.insert(m.id.clone(), m);
    }
}
