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
//!
//! The records are built by programme module, in a fixed order (one random
//! stream, so the order of the calls in [`generate`] is part of the output):
//! `directory.rs` (the units), `lead.rs` (头雁: two committees, filings,
//! assessments, reviews, the reward policy), `flock.rs` (群雁: community
//! workers, training, studios), `young.rs` (雏雁: home-coming, career posts,
//! reserve cadres, the reserve pool) and `returning.rs` (归雁: appointments,
//! contacts, investment leads, talent exchange).

pub mod city;
mod directory;
mod flock;
mod lead;
mod returning;
mod young;

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

/// The generator's state: one random stream, the district's data and the
/// units' data by id, with the directory order (a unit's index).
struct Ctx {
    rng: DemoRng,
    district: DistrictData,
    units: BTreeMap<Id, UnitData>,
    order: Vec<Id>,
}

impl Ctx {
    /// The unit at directory index `i`.
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
    let (mut ctx, dir) = directory::build(rng);
    let secretaries = lead::committees(&mut ctx);
    lead::filings(&mut ctx, &secretaries);
    lead::assessments(&mut ctx, &dir, &secretaries);
    let workers = flock::workers(&mut ctx, &dir);
    young::homecoming(&mut ctx, &dir, &workers);
    flock::training(&mut ctx);
    flock::studios(&mut ctx, &dir, &secretaries);
    young::career_moves(&mut ctx, &dir, &secretaries);
    let advisors = returning::villages(&mut ctx, &dir);
    returning::leads(&mut ctx, &advisors);
    young::reserve_cadres(&mut ctx, &dir, &secretaries);
    lead::review_batches(&mut ctx);
    returning::talent_exchange(&mut ctx, &dir);
    young::reserve_pool(&mut ctx, &dir);
    lead::reward_policy(&mut ctx);
    lead::filing_gaps(&mut ctx);

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
        ethnicity: "汉族".into(),
        id_number: make_id_number("990000", birth, 1),
        ..Person::new(
            id,
            format!("人{n}"),
            Sex::Male,
            birth,
            unit.clone(),
            PersonCategory::CommunityWorker,
        )
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
