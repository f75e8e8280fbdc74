//! The records of the 群雁工程 programme as plain Rust structs. Each derives
//! serde (for the UI, JSON fixtures and reading documents: [`crate::whole`])
//! and autosurgeon `Reconcile` (writing documents), plus `Hydrate`, which
//! only the native tests use, as a second reader to check serde's against
//! (the Automerge mapping: a struct is a map, a unit enum a string, a date a
//! `YYYY-MM-DD` string, an amount an integer number of yuan). A field added
//! later carries `#[serde(default)]` and `#[autosurgeon(missing = …)]`.
//!
//! Which document a record lives in is fixed by [`crate::store::Record`]:
//! unit documents hold a unit's people, posts and logs; the district document
//! holds programme-wide records. Cross-document references use [`PersonRef`].
//!
//! Long file: the schema of the programme's records in one place: every
//! record type the documents hold.

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::ids::{DocId, Id};

macro_rules! unit_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Hydrate, Reconcile)]
        pub enum $name { $($(#[$vm])* $v),+ }
        impl $name {
            /// Every variant, in declaration order (for pickers and property tests).
            pub const ALL: &'static [$name] = &[$($name::$v),+];
        }
    };
}

/// A reference to a person kept in a unit document.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Hydrate, Reconcile,
)]
pub struct PersonRef {
    /// The unit whose document holds the person.
    pub unit: Id,
    /// The person's record id in that document.
    pub person: Id,
}

// ---------------------------------------------------------------- units

unit_enum!(
    /// Level of a unit in the district tree.
    UnitKind { District, Township, Street, Village, Community }
);

/// An entry of the district's unit directory (district → township/street →
/// village/community). Villages and communities have their own document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct Unit {
    pub id: Id,
    pub name: String,
    pub kind: UnitKind,
    /// The parent unit (`None` for the district).
    pub parent: Option<Id>,
    /// The unit's own Automerge document (villages and communities).
    pub doc_id: Option<DocId>,
}

// ---------------------------------------------------------------- people

unit_enum!(
    /// Sex as recorded (and derivable from the resident ID).
    Sex { Male, Female }
);
unit_enum!(
    /// 政治面貌.
    PoliticalStatus { PartyMember, ProbationaryMember, LeagueMember, NonParty, Masses }
);
unit_enum!(
    /// Which group of the unit's workforce a person belongs to.
    PersonCategory {
        /// 两委成员.
        TwoCommitteeMember,
        /// 社区工作者 (not in the two committees).
        CommunityWorker,
        /// Other staff.
        Other
    }
);
unit_enum!(
    /// Whether the person still works in this unit.
    PersonStatus { Active, Left, MovedOut }
);
unit_enum!(
    /// 学历.
    EducationLevel { Primary, JuniorHigh, SeniorHigh, Vocational, College, Bachelor, Master, Doctor }
);

/// One education entry (全日制 or 在职).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct Education {
    pub level: EducationLevel,
    /// 学位 (may be empty).
    pub degree: String,
    pub school: String,
    pub major: String,
}

/// One row of a 简历: a period and what the person did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct ResumeRow {
    pub from: Date,
    pub to: Option<Date>,
    pub text: String,
}

/// One 奖惩 entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct RewardPunishment {
    pub date: Date,
    pub is_reward: bool,
    pub text: String,
}

/// 一人一档: the cadre record of a person working in a unit. Lives in the
/// document of the unit of work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct Person {
    pub id: Id,
    pub name: String,
    pub sex: Sex,
    pub ethnicity: String,
    pub birth_date: Date,
    pub native_place: String,
    /// 18-character resident ID (may be empty only if not yet collected).
    pub id_number: String,
    pub political_status: PoliticalStatus,
    pub party_join_date: Option<Date>,
    pub work_start_date: Option<Date>,
    pub education_full_time: Option<Education>,
    pub education_in_service: Option<Education>,
    /// 专业技术职称/资格.
    pub professional_title: String,
    /// Mobile number (may be empty).
    pub phone: String,
    /// 现居住地: the unit the person lives in.
    pub residence_unit: Id,
    pub category: PersonCategory,
    pub status: PersonStatus,
    pub resume: Vec<ResumeRow>,
    pub rewards: Vec<RewardPunishment>,
}

impl Person {
    /// An active person of `category` living in `residence_unit`, with
    /// nothing else recorded yet (no resident ID, 群众, no dates, titles,
    /// phone, resume or rewards).
    pub fn new(
        id: Id,
        name: String,
        sex: Sex,
        birth_date: Date,
        residence_unit: Id,
        category: PersonCategory,
    ) -> Person {
        Person {
            id,
            name,
            sex,
            ethnicity: String::new(),
            birth_date,
            native_place: String::new(),
            id_number: String::new(),
            political_status: PoliticalStatus::Masses,
            party_join_date: None,
            work_start_date: None,
            education_full_time: None,
            education_in_service: None,
            professional_title: String::new(),
            phone: String::new(),
            residence_unit,
            category,
            status: PersonStatus::Active,
            resume: Vec::new(),
            rewards: Vec::new(),
        }
    }
}

unit_enum!(
    /// 职务.
    PostTitle { Secretary, DeputySecretary, Director, DeputyDirector, CommitteeMember, Other }
);
unit_enum!(
    /// 产生方式.
    HowObtained { Election, ByElection, Appointment, Other }
);

/// A position held in the unit (职务 with 任职时间/离任时间/产生方式).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct Post {
    pub id: Id,
    pub person_id: Id,
    pub title: PostTitle,
    pub start: Date,
    pub end: Option<Date>,
    pub how_obtained: HowObtained,
    /// 一肩挑: the secretary is also the committee director.
    pub concurrent_director: bool,
}

// ---------------------------------------------------------------- 头雁 lead geese

unit_enum!(
    /// 换届 or 补选.
    BatchKind { Election, ByElection }
);

/// A batch of the joint qualification review (资格联审).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct ReviewBatch {
    pub id: Id,
    pub name: String,
    pub kind: BatchKind,
    pub year: u16,
    pub opened: Date,
}

unit_enum!(
    /// Departments that sign off a candidate.
    Department { Discipline, PoliticalLegal, Police, Court, Procuratorate, Justice, Petitions, Health, CivilAffairs }
);
unit_enum!(
    /// A department's verdict.
    SignOffResult { Pending, Pass, Fail }
);
unit_enum!(
    /// Stage of a candidate's review.
    ReviewStage { Submitted, DepartmentReview, Publicity, Concluded }
);
unit_enum!(
    /// Final outcome of a candidate's review.
    ReviewResult { Approved, Blocked }
);

/// One department's sign-off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct SignOff {
    pub department: Department,
    pub result: SignOffResult,
    pub reviewer: String,
    pub date: Option<Date>,
    /// Required when the result is `Fail`.
    pub reason: String,
}

/// A candidate for a two-committee seat in the joint review. Sign-offs are a
/// list with one entry per department.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct CandidateReview {
    pub id: Id,
    pub batch_id: Id,
    pub unit_id: Id,
    pub candidate_name: String,
    pub candidate_id_number: String,
    pub seat: PostTitle,
    pub stage: ReviewStage,
    pub signoffs: Vec<SignOff>,
    pub publicity_start: Option<Date>,
    pub publicity_end: Option<Date>,
    pub final_result: Option<ReviewResult>,
}

/// A unit's nomination of a candidate for the joint review (资格联审), kept
/// in the unit's own document (schema 3) because a village/township tablet
/// may only read the district document. The district accepts it into the
/// batch as a [`CandidateReview`] with the **same id**, so "not yet in
/// review" is "no review with this id".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct Nomination {
    pub id: Id,
    /// The district's [`ReviewBatch`] (a cross-document reference).
    pub batch_id: Id,
    pub candidate_name: String,
    /// 18-character resident ID (MOD 11-2 check digit).
    pub candidate_id_number: String,
    /// The seat the candidate stands for.
    pub seat: PostTitle,
    pub submitted: Date,
    pub note: String,
}

/// 备案 of a village/community party secretary at district level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct Filing {
    pub id: Id,
    pub person: PersonRef,
    pub post_id: Id,
    pub filed: Date,
    pub note: String,
}

unit_enum!(
    /// 年度考核 grade.
    Grade { Excellent, Competent, BasicallyCompetent, Incompetent }
);

/// 年度考核 of a secretary: score and rank within a ranking group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct Assessment {
    pub id: Id,
    pub person: PersonRef,
    pub year: u16,
    /// The ranking group (e.g. the township/street id, or "villages").
    pub group: String,
    pub score: f64,
    /// 1 = best.
    pub rank: u32,
    pub grade: Grade,
    pub votes_for: u32,
    pub votes_total: u32,
    /// The adjustment (调整) decided because this year was the second bottom
    /// ranking in a row; `None` until decided (and in documents written
    /// before the field existed).
    #[serde(default)]
    #[autosurgeon(missing = "Default::default")]
    pub adjustment: Option<Adjustment>,
}

/// 调整: the decision to replace a secretary ranked last two years running.
/// Kept on the assessment of the second bottom year (a district-document
/// record, so only the district writes it); who wrote it and when is also in
/// the record's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct Adjustment {
    /// The day of the decision.
    pub date: Date,
    /// Who decided (e.g. 区委组织部).
    pub by: String,
    /// Why, in plain words.
    pub reason: String,
}

/// 任期承诺 with its progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct TermCommitment {
    pub id: Id,
    pub person_id: Id,
    pub term_start_year: u16,
    pub text: String,
    /// 0–100.
    pub progress_pct: u8,
    pub updated: Date,
}

/// 述职评议: an annual duty report and the vote on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct DutyReport {
    pub id: Id,
    pub person_id: Id,
    pub year: u16,
    pub date: Date,
    pub votes_excellent: u32,
    pub votes_competent: u32,
    pub votes_basic: u32,
    pub votes_incompetent: u32,
    pub summary: String,
    /// Ballots cast (参评票数); the four counts add up to at most this.
    /// `None` in documents written before the field existed.
    #[serde(default)]
    #[autosurgeon(missing = "Default::default")]
    pub votes_total: Option<u32>,
}

/// A village's collective income for a year (yuan).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct CollectiveIncome {
    pub id: Id,
    pub year: u16,
    pub income_yuan: i64,
}

/// The district's collective-economy reward policy for a year: a base reward
/// above a threshold, a share of the increase over the previous year (capped),
/// and a bonus for the top-ranked villages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct RewardPolicy {
    pub id: Id,
    pub year: u16,
    pub base_threshold_yuan: i64,
    pub base_reward_yuan: i64,
    /// Per mille of the income increase paid as the incremental reward.
    pub increment_permille: u32,
    pub increment_cap_yuan: i64,
    pub top_n: u32,
    pub top_bonus_yuan: i64,
}

/// A community worker's pay for a year (yuan).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct PayRecord {
    pub id: Id,
    pub person_id: Id,
    pub year: u16,
    pub annual_pay_yuan: i64,
}

// ---------------------------------------------------------------- 群雁 the flock

unit_enum!(
    /// 岗前 / 履职 / 专业.
    TrainingKind { PreJob, OnDuty, Professional }
);
unit_enum!(
    /// Where the teacher comes from.
    TeacherSource { PartySchool, AgricultureBureau, CivilAffairsBureau, FinanceBureau, University, Other }
);

/// A training session run by the district.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct TrainingSession {
    pub id: Id,
    pub title: String,
    pub kind: TrainingKind,
    pub date: Date,
    /// Class hours (学时).
    pub hours: u32,
    /// The first topic is political theory (第一议题).
    pub first_topic: bool,
    pub teacher_source: TeacherSource,
    /// A social-worker exam-preparation lecture.
    pub exam_prep: bool,
    pub location: String,
}

/// A person's attendance at a session (kept in the person's unit document).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct Attendance {
    pub id: Id,
    pub session_id: Id,
    pub person_id: Id,
    pub hours: u32,
}

unit_enum!(
    /// Social-worker qualification levels.
    CertificateLevel { Assistant, Intermediate, Senior }
);

/// A social-worker certificate (持证上岗).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct Certificate {
    pub id: Id,
    pub person_id: Id,
    pub level: CertificateLevel,
    pub obtained: Date,
    pub number: String,
}

/// A master studio (名师工作室).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct MasterStudio {
    pub id: Id,
    pub name: String,
    pub leader_name: String,
    pub unit_id: Id,
    pub founded: Date,
}

unit_enum!(
    /// 导师帮带 or 跟班学习.
    MentorshipKind { Mentoring, Shadowing }
);

unit_enum!(
    /// How a placement ended: 结业合格 / 延期继续 / 中止.
    MentorshipOutcome { Completed, Extended, Discontinued }
);

/// A mentoring or shadowing placement in a studio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct Mentorship {
    pub id: Id,
    pub studio_id: Id,
    pub mentee: PersonRef,
    pub kind: MentorshipKind,
    pub start: Date,
    pub end: Option<Date>,
    pub note: String,
    /// The placement's outcome once assessed (added without a schema
    /// change: documents written before it hydrate it as `None`).
    #[serde(default)]
    #[autosurgeon(missing = "Default::default")]
    pub outcome: Option<MentorshipOutcome>,
}

// ---------------------------------------------------------------- 归雁 returning geese

unit_enum!(
    /// 荣誉书记 or 发展顾问.
    AppointmentKind { HonorarySecretary, DevelopmentAdvisor }
);

/// An honorary secretary / development advisor appointed by a village.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct Appointment {
    pub id: Id,
    pub kind: AppointmentKind,
    pub name: String,
    /// Where the person works now (city, company).
    pub origin: String,
    pub phone: String,
    pub appointed: Date,
    pub certificate_no: String,
    pub active: bool,
    /// The last day of the appointment's term (added without a schema
    /// change: documents written before hydrate it as `None`, "no term
    /// recorded").
    #[serde(default)]
    #[autosurgeon(missing = "Default::default")]
    pub term_end: Option<Date>,
}

unit_enum!(
    /// 恳谈 / 节日问候 / 拜访亲属.
    ContactKind { Talk, HolidayGreeting, RelativesVisit }
);

/// One contact with an honorary secretary or advisor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct ContactLog {
    pub id: Id,
    pub appointment_id: Id,
    pub date: Date,
    pub kind: ContactKind,
    pub note: String,
}

unit_enum!(
    /// How far an investment lead got.
    LeadStage { Lead, Visited, Project, FundsArrived }
);

/// An investment lead brought by an advisor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct InvestmentLead {
    pub id: Id,
    /// The appointment (advisor / honorary secretary) who brought it.
    pub advisor_id: Id,
    pub title: String,
    pub valid: bool,
    pub stage: LeadStage,
    pub lead_date: Date,
    pub visit_date: Option<Date>,
    pub project_date: Option<Date>,
    /// Funds arrived, in yuan (1 万元 = 10 000 yuan).
    pub funds_yuan: i64,
}

unit_enum!(
    /// Kinds of rural-talent exchange.
    ExchangeKind { SchoolPair, Teacher, MedicalTraining, TechCommissioner, DemoHousehold }
);

/// A talent-exchange record: a school pair, an exchanged teacher, a trained
/// medical worker, a tech commissioner or a demonstration household.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct TalentExchange {
    pub id: Id,
    pub kind: ExchangeKind,
    pub name: String,
    pub from_org: String,
    pub to_org: String,
    /// The village served, if any.
    pub unit_id: Option<Id>,
    /// For teachers: the school pair.
    pub pair_id: Option<Id>,
    pub start: Date,
}

// ---------------------------------------------------------------- 雏雁 young geese

unit_enum!(
    /// Where a reserve cadre ended up.
    ReserveOutcome { InTraining, EnteredCommittee, Left }
);

/// One 传帮带 mentoring note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct MentoringNote {
    pub date: Date,
    pub mentor: String,
    pub note: String,
}

/// A village reserve cadre (村级后备干部).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct ReserveCadre {
    pub id: Id,
    pub name: String,
    pub sex: Sex,
    pub birth_date: Date,
    pub id_number: String,
    pub selected: Date,
    pub mentor_person_id: Option<Id>,
    pub log: Vec<MentoringNote>,
    pub outcome: ReserveOutcome,
    pub outcome_date: Option<Date>,
}

unit_enum!(
    /// Status of a reserve-pool candidate.
    PoolStatus { Waiting, Recruited, Withdrawn }
);

/// A candidate in the community-worker reserve pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct PoolCandidate {
    pub id: Id,
    pub name: String,
    pub id_number: String,
    pub registered: Date,
    pub status: PoolStatus,
    pub recruited_unit: Option<Id>,
    pub recruited_date: Option<Date>,
}

unit_enum!(
    /// Status of a home-coming case.
    HomecomingStatus { Open, Moved, Declined }
);

/// A 回家工程 case: a community worker living in one community and working in
/// another, and whether they were moved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct HomecomingCase {
    pub id: Id,
    pub person: PersonRef,
    pub residence_unit: Id,
    pub work_unit: Id,
    pub identified: Date,
    pub status: HomecomingStatus,
    pub moved_date: Option<Date>,
}

unit_enum!(
    /// Kinds of career move.
    CareerMoveKind { CivilService, CareerPost }
);

/// A cadre recruited into the civil service or brought into career-post
/// (事业岗位) management.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct CareerMove {
    pub id: Id,
    pub person_id: Id,
    pub kind: CareerMoveKind,
    pub date: Date,
    pub post_name: String,
}
