//! The deterministic demo district: a Shashi-like district (4 towns with 60
//! villages, 5 streets with 45 communities) with synthetic people whose
//! figures, computed by [`crate::figures::compute`] from the records,
//! reproduce every reference figure of DOMAIN.md.
//!
//! All names are synthetic (surname + given-name characters), resident IDs
//! use the unused region prefix `99` (with valid check digits), phones are
//! left empty. All ids (records, documents, actors) derive from the seed.
//!
//! Entry points: [`generate`] (plain data) and [`build_documents`]
//! (Automerge documents, one per unit plus the district document).

use std::collections::BTreeMap;

use crate::date::Date;
use crate::entities::*;
use crate::ids::{DocId, Id};
use crate::store::{
    ChangeMeta, ChangeOp, DistrictData, DistrictDocument, ModelError, UnitData, UnitDocument,
};
use crate::validate::make_id_number;

/// The demo's "today" (the date of the source article).
pub fn today() -> Date {
    Date::new(2024, 8, 22).expect("valid")
}

/// The year the reference figures refer to.
pub const REFERENCE_YEAR: u16 = 2024;

/// SplitMix64: small, deterministic, good enough for synthetic data.
#[derive(Debug, Clone)]
pub struct DemoRng(u64);

impl DemoRng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        DemoRng(seed ^ 0x05EE_D0F6_EE5E)
    }
    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// 16 random bytes.
    pub fn bytes16(&mut self) -> [u8; 16] {
        let mut b = [0; 16];
        b[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        b[8..].copy_from_slice(&self.next_u64().to_le_bytes());
        b
    }
    /// A new record id.
    pub fn id(&mut self) -> Id {
        Id::from_random_bytes(self.bytes16())
    }
    fn pick<'a>(&mut self, xs: &'a [&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
    fn date_span(&mut self, year: u16, spread: u64, from_month: u8, to_month: u8) -> Date {
        let y = year + self.below(spread) as u16;
        self.date(y, from_month, to_month)
    }
    fn date(&mut self, year: u16, from_month: u8, to_month: u8) -> Date {
        let m = from_month + self.below((to_month - from_month + 1) as u64) as u8;
        Date::new(year, m, 1 + self.below(28) as u8).expect("valid")
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹",
    "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "文", "玉", "兰", "志", "红", "海", "春",
    "燕", "鹏", "波", "慧", "宁", "晨", "雁", "琳",
];
const PLACE_A: &[&str] = &[
    "清", "柳", "桃", "荷", "松", "梅", "石", "青", "金", "杨", "白", "新", "东", "西", "丰", "和",
];
const PLACE_B: &[&str] = &[
    "河", "湾", "岭", "塘", "桥", "林", "坪", "港", "园", "岗", "堤", "洲", "湖", "庄", "台", "源",
];

/// A synthetic Chinese name.
pub fn name(rng: &mut DemoRng) -> String {
    let mut n = rng.pick(SURNAMES).to_string();
    n.push_str(rng.pick(GIVEN));
    if rng.below(3) > 0 {
        n.push_str(rng.pick(GIVEN));
    }
    n
}

/// The demo district as plain data (before it becomes documents).
#[derive(Debug, Clone)]
pub struct Demo {
    pub district: DistrictData,
    /// One entry per village/community, in directory order.
    pub units: Vec<UnitData>,
    /// Actor for the import changes, derived from the seed.
    pub actor: [u8; 16],
}

struct Ctx {
    rng: DemoRng,
    district: DistrictData,
    units: BTreeMap<Id, UnitData>,
    order: Vec<Id>,
}

impl Ctx {
    fn unit(&mut self, i: usize) -> &mut UnitData {
        let id = &self.order[i];
        self.units.get_mut(id).expect("unit")
    }

    fn person(
        &mut self,
        unit: usize,
        category: PersonCategory,
        birth_year: u16,
        residence: Option<Id>,
    ) -> Id {
        let rng = &mut self.rng;
        let sex = if rng.below(2) == 0 {
            Sex::Male
        } else {
            Sex::Female
        };
        let birth = rng.date(birth_year, 1, 12);
        let seq = (rng.below(499) * 2 + if sex == Sex::Male { 1 } else { 0 }) as u16;
        let region = format!("99{:02}{:02}", unit % 100, 1 + rng.below(9));
        let id = rng.id();
        let name = name(rng);
        let party = rng.below(4) > 0;
        let party_join_date = party.then(|| rng.date_span(birth_year + 20, 5, 1, 12));
        let work_start = rng.date_span(birth_year + 19, 4, 7, 9);
        let level = [
            EducationLevel::SeniorHigh,
            EducationLevel::College,
            EducationLevel::Bachelor,
        ][rng.below(3) as usize];
        let uid = self.order[unit].clone();
        let p = Person {
            id: id.clone(),
            name,
            sex,
            ethnicity: if rng.below(20) == 0 {
                "土家族"
            } else {
                "汉族"
            }
            .into(),
            birth_date: birth,
            native_place: "湖北".into(),
            id_number: make_id_number(&region, birth, seq),
            political_status: if party {
                PoliticalStatus::PartyMember
            } else {
                PoliticalStatus::Masses
            },
            party_join_date,
            work_start_date: Some(work_start),
            education_full_time: Some(Education {
                level,
                degree: String::new(),
                school: String::new(),
                major: String::new(),
            }),
            education_in_service: None,
            professional_title: String::new(),
            phone: String::new(),
            residence_unit: residence.unwrap_or_else(|| uid.clone()),
            category,
            status: PersonStatus::Active,
            resume: vec![ResumeRow {
                from: work_start,
                to: None,
                text: "在本单位工作".into(),
            }],
            rewards: vec![],
        };
        self.unit(unit).people.insert(id.clone(), p);
        id
    }
}

const TOWNS: &[&str] = &["岭东镇", "河西镇", "湖南镇", "山北镇"];
const STREETS: &[&str] = &["文华街道", "春晖街道", "新河街道", "长湖街道", "云台街道"];
const VILLAGES_PER_TOWN: usize = 15;
const COMMUNITIES_PER_STREET: usize = 9;
/// Units (by directory index) whose secretary is not filed yet.
pub const NOT_FILED_UNITS: &[usize] = &[5, 17, 29, 44, 66, 88];
/// Units (by directory index) whose secretary changed after the filing.
pub const SECRETARY_CHANGED_UNITS: &[usize] = &[12, 73];

/// Generates the demo district for `seed`. The same seed gives the same
/// records, ids and names.
pub fn generate(seed: u64) -> Demo {
    let mut rng = DemoRng::new(seed);
    let actor = rng.bytes16();
    let mut district = DistrictData::new("雁城区（演示）");
    let district_id = rng.id();
    district.units.insert(
        district_id.clone(),
        Unit {
            id: district_id.clone(),
            name: district.name.clone(),
            kind: UnitKind::District,
            parent: None,
            doc_id: None,
        },
    );
    let mut ctx = Ctx {
        rng,
        district,
        units: BTreeMap::new(),
        order: Vec::new(),
    };
    let mut villages = Vec::new();
    let mut communities = Vec::new();
    let mut town_ids = Vec::new();
    for (names, kind, child_kind, per, suffix) in [
        (
            TOWNS,
            UnitKind::Township,
            UnitKind::Village,
            VILLAGES_PER_TOWN,
            "村",
        ),
        (
            STREETS,
            UnitKind::Street,
            UnitKind::Community,
            COMMUNITIES_PER_STREET,
            "社区",
        ),
    ] {
        for n in names.iter() {
            let tid = ctx.rng.id();
            town_ids.push(tid.clone());
            ctx.district.units.insert(
                tid.clone(),
                Unit {
                    id: tid.clone(),
                    name: n.to_string(),
                    kind,
                    parent: Some(district_id.clone()),
                    doc_id: None,
                },
            );
            for k in 0..per {
                let uid = ctx.rng.id();
                let doc = DocId(ctx.rng.bytes16());
                let uname = format!(
                    "{}{}{}",
                    PLACE_A[(k + town_ids.len() * 3) % PLACE_A.len()],
                    PLACE_B[(k * 7 + town_ids.len()) % PLACE_B.len()],
                    suffix
                );
                ctx.district.units.insert(
                    uid.clone(),
                    Unit {
                        id: uid.clone(),
                        name: uname,
                        kind: child_kind,
                        parent: Some(tid.clone()),
                        doc_id: Some(doc),
                    },
                );
                ctx.units.insert(uid.clone(), UnitData::new(uid.clone()));
                if child_kind == UnitKind::Village {
                    villages.push(ctx.order.len());
                } else {
                    communities.push(ctx.order.len());
                }
                ctx.order.push(uid);
            }
        }
    }

    // ---- two committees, posts, filings, commitments, duty reports
    let mut secretaries: Vec<(usize, Id, Id)> = Vec::new(); // (unit index, person, post)
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
    for (u, pid, post) in &secretaries {
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

    // ---- annual assessments: ranked within township/street; exactly one
    // secretary is last two years running (group 0, 2022 and 2023).
    for (g, tid) in town_ids.iter().enumerate() {
        let members: Vec<&(usize, Id, Id)> = secretaries
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

    // ---- community workers (641), certificates (250), pay (2023, 2024)
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

    // ---- home-coming: 11 moved (now living = working), 9 open (4 cross-street)
    let community_ids: Vec<Id> = communities.iter().map(|&u| ctx.order[u].clone()).collect();
    for (i, (u, pid)) in workers
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 31 == 3)
        .take(20)
    {
        let work = ctx.order[*u].clone();
        let ci = communities.iter().position(|c| c == u).expect("community");
        let moved =
            i % 2 == 1 || ctx.district.homecoming.len() < 11 && ctx.district.homecoming.len() >= 9;
        let n_moved = ctx
            .district
            .homecoming
            .values()
            .filter(|c| c.status == HomecomingStatus::Moved)
            .count();
        let n_open = ctx.district.homecoming.len() - n_moved;
        let moved = if n_moved >= 11 {
            false
        } else if n_open >= 9 {
            true
        } else {
            moved
        };
        // Another community: same street (+1) or, for every other open case, the next street (+9).
        let cross = !moved && n_open.is_multiple_of(2);
        let other = community_ids
            [(ci + if cross { COMMUNITIES_PER_STREET } else { 1 }) % community_ids.len()]
        .clone();
        let identified = ctx.rng.date(2023, 3, 9);
        let case = if moved {
            // Lived in `work` but worked in `other`; moved to work where they live.
            HomecomingCase {
                id: ctx.rng.id(),
                person: PersonRef {
                    unit: work.clone(),
                    person: pid.clone(),
                },
                residence_unit: work.clone(),
                work_unit: other,
                identified,
                status: HomecomingStatus::Moved,
                moved_date: Some(identified.add_days(90 + ctx.rng.below(120) as i64)),
            }
        } else {
            if let Some(p) = ctx.unit(*u).people.get_mut(pid) {
                p.residence_unit = other.clone();
            }
            HomecomingCase {
                id: ctx.rng.id(),
                person: PersonRef {
                    unit: work.clone(),
                    person: pid.clone(),
                },
                residence_unit: other,
                work_unit: work,
                identified,
                status: HomecomingStatus::Open,
                moved_date: None,
            }
        };
        ctx.district.homecoming.insert(case.id.clone(), case);
    }

    // ---- training: sessions, 6 exam-prep lectures in 2022–2024, attendance
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

    // ---- studios (3), mentoring and shadowing (5 community secretaries)
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
    let community_secretaries: Vec<&(usize, Id, Id)> = secretaries
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

    // ---- career posts: 26 community secretaries; 3 village cadres to civil service
    for (u, pid, _) in community_secretaries.iter().take(26) {
        let m = CareerMove {
            id: ctx.rng.id(),
            person_id: pid.clone(),
            kind: CareerMoveKind::CareerPost,
            date: ctx.rng.date(2023, 1, 12),
            post_name: "社区党组织书记（事业岗位管理）".into(),
        };
        ctx.unit(*u).career_moves.insert(m.id.clone(), m);
    }
    for &u in villages.iter().take(3) {
        let pid = ctx
            .unit(u)
            .people
            .values()
            .find(|p| p.category == PersonCategory::TwoCommitteeMember)
            .map(|p| p.id.clone())
            .expect("member");
        let m = CareerMove {
            id: ctx.rng.id(),
            person_id: pid,
            kind: CareerMoveKind::CivilService,
            date: ctx.rng.date(2023, 6, 9),
            post_name: "乡镇公务员（定向招录）".into(),
        };
        ctx.unit(u).career_moves.insert(m.id.clone(), m);
    }

    // ---- villages: income, appointments (42 + 96), contacts, leads, reserve cadres
    let today = today();
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
    let mut n_reserve = 0;
    for (vi, &u) in villages.iter().enumerate() {
        let n = if vi < 39 { 2 } else { 1 };
        let mentor = secretaries
            .iter()
            .find(|(su, _, _)| *su == u)
            .map(|s| s.1.clone());
        for _ in 0..n {
            let sex = if ctx.rng.below(2) == 0 {
                Sex::Male
            } else {
                Sex::Female
            };
            let birth = ctx.rng.date_span(1990, 10, 1, 12);
            let seq = (ctx.rng.below(499) * 2 + if sex == Sex::Male { 1 } else { 0 }) as u16;
            let selected = ctx.rng.date(2022, 3, 6);
            let outcome = match n_reserve {
                0..=24 => ReserveOutcome::EnteredCommittee,
                25..=28 => ReserveOutcome::Left,
                _ => ReserveOutcome::InTraining,
            };
            n_reserve += 1;
            let r = ReserveCadre {
                id: ctx.rng.id(),
                name: name(&mut ctx.rng),
                sex,
                birth_date: birth,
                id_number: make_id_number(&format!("99{:02}01", u % 100), birth, seq),
                selected,
                mentor_person_id: mentor.clone(),
                log: vec![MentoringNote {
                    date: selected.add_days(60),
                    mentor: "书记".into(),
                    note: "传帮带谈心".into(),
                }],
                outcome,
                outcome_date: (outcome != ReserveOutcome::InTraining)
                    .then(|| selected.add_days(400)),
            };
            ctx.unit(u).reserve_cadres.insert(r.id.clone(), r);
        }
    }

    // ---- district: review batches (40 candidates in 2024, 8 in 2023)
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

    // ---- talent exchange: 12 pairs, 63 teachers, 412 medical, 20 + 105
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
    add(&mut ctx, ExchangeKind::Teacher, 63, false, true);
    add(&mut ctx, ExchangeKind::MedicalTraining, 412, false, false);
    add(&mut ctx, ExchangeKind::TechCommissioner, 20, true, false);
    add(&mut ctx, ExchangeKind::DemoHousehold, 105, true, false);

    // ---- reserve pool: 84 candidates, 60 recruited
    for i in 0..84usize {
        let registered = ctx.rng.date(2022, 1, 12);
        let status = match i {
            0..=59 => PoolStatus::Recruited,
            60..=77 => PoolStatus::Waiting,
            _ => PoolStatus::Withdrawn,
        };
        let recruited = status == PoolStatus::Recruited;
        let c = PoolCandidate {
            id: ctx.rng.id(),
            name: name(&mut ctx.rng),
            id_number: String::new(),
            registered,
            status,
            recruited_unit: recruited.then(|| community_ids[i % community_ids.len()].clone()),
            recruited_date: recruited.then(|| registered.add_days(200)),
        };
        ctx.district.pool.insert(c.id.clone(), c);
    }

    // ---- reward policy
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

    // ---- 备案 not complete: the secretaries of a few units are not filed
    // yet, and in two units the secretary changed after the filing (the
    // filing names a former secretary who has left). Done last, so the
    // records above are the same as without it.
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

    let Ctx {
        district,
        mut units,
        order,
        ..
    } = ctx;
    let units = order
        .iter()
        .map(|id| units.remove(id).expect("unit"))
        .collect();
    Demo {
        district,
        units,
        actor,
    }
}

/// A minimal valid community worker, person `n` of `unit`: the synthetic
/// record benchmarks, load tests and property tests write in bulk (name
/// `人n`, an ID number with region 99, no phone).
pub fn minimal_person(id: Id, unit: &Id, n: u32) -> Person {
    let birth = Date::new(1980, 1, 1 + (n % 28) as u8).expect("a valid date");
    Person {
        id,
        name: format!("人{n}"),
        sex: Sex::Male,
        ethnicity: "汉族".into(),
        birth_date: birth,
        native_place: String::new(),
        id_number: make_id_number("990000", birth, 1),
        political_status: PoliticalStatus::Masses,
        party_join_date: None,
        work_start_date: None,
        education_full_time: None,
        education_in_service: None,
        professional_title: String::new(),
        phone: String::new(),
        residence_unit: unit.clone(),
        category: PersonCategory::CommunityWorker,
        status: PersonStatus::Active,
        resume: vec![],
        rewards: vec![],
    }
}

/// The import metadata of the demo documents.
pub fn import_meta() -> ChangeMeta {
    ChangeMeta::new("demo-generator", "演示数据", "system", today().unix_ms())
}

/// The demo as Automerge documents: the district document and, for each
/// village/community, its [`DocId`] (from the directory) and document.
pub fn build_documents(
    demo: &Demo,
) -> Result<(DistrictDocument, Vec<(DocId, UnitDocument)>), ModelError> {
    let meta = import_meta();
    let district = DistrictDocument::create(&demo.district, &demo.actor, &meta, ChangeOp::Import)?;
    let mut units = Vec::with_capacity(demo.units.len());
    for u in &demo.units {
        let doc_id = demo
            .district
            .units
            .get(&u.unit_id)
            .and_then(|e| e.doc_id)
            .ok_or(ModelError::NotFound)?;
        units.push((
            doc_id,
            UnitDocument::create(u, &demo.actor, &meta, ChangeOp::Import)?,
        ));
    }
    Ok((district, units))
}
