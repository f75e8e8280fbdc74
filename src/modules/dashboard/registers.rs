//! Every register (登记簿) as a spreadsheet: the roster and the programme's
//! records of the units in scope (and the district records tied to them),
//! one [`Sheet`] each, with Chinese headers and values. People referred to
//! by id are written by name (and ID number where a register is about a
//! person).
//!
//! Long file: every register of the programme as a sheet (one function per
//! register, the same shape each), so an export and its columns are found in
//! one place; tests beside them.

use std::collections::HashMap;
use yanzhen_model::sorting;

use yanzhen_model::entities::*;
use yanzhen_model::store::{DistrictData, UnitData};
use yanzhen_model::{Id, rules};

use crate::i18n::Lang;
use crate::i18n::labels;
use crate::modules::dashboard::excel::{Cell, Sheet};
use crate::modules::dashboard::messages::DashMsg;
use crate::modules::dashboard::roster_sheet;

/// A register that can be exported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Register {
    Roster,
    Posts,
    Appointments,
    Contacts,
    Leads,
    ReserveCadres,
    Pool,
    Homecoming,
    CareerMoves,
    Sessions,
    Attendance,
    Certificates,
    Assessments,
    Filings,
    Incomes,
    Pay,
    Commitments,
    DutyReports,
}

impl Register {
    /// Every register, in the order offered.
    pub const ALL: [Register; 18] = [
        Register::Roster,
        Register::Posts,
        Register::Appointments,
        Register::Contacts,
        Register::Leads,
        Register::ReserveCadres,
        Register::Pool,
        Register::Homecoming,
        Register::CareerMoves,
        Register::Sessions,
        Register::Attendance,
        Register::Certificates,
        Register::Assessments,
        Register::Filings,
        Register::Incomes,
        Register::Pay,
        Register::Commitments,
        Register::DutyReports,
    ];

    /// A stable key (the picker's value and the file name).
    pub const fn key(self) -> &'static str {
        match self {
            Register::Roster => "roster",
            Register::Posts => "posts",
            Register::Appointments => "appointments",
            Register::Contacts => "contacts",
            Register::Leads => "leads",
            Register::ReserveCadres => "reserve",
            Register::Pool => "pool",
            Register::Homecoming => "homecoming",
            Register::CareerMoves => "career",
            Register::Sessions => "sessions",
            Register::Attendance => "attendance",
            Register::Certificates => "certificates",
            Register::Assessments => "assessments",
            Register::Filings => "filings",
            Register::Incomes => "incomes",
            Register::Pay => "pay",
            Register::Commitments => "commitments",
            Register::DutyReports => "duty-reports",
        }
    }

    /// The register by [`Self::key`].
    pub fn from_key(k: &str) -> Option<Register> {
        Register::ALL.into_iter().find(|r| r.key() == k)
    }

    /// The register's name in the picker.
    pub const fn title(self) -> DashMsg {
        match self {
            Register::Roster => DashMsg::RegRoster,
            Register::Posts => DashMsg::RegPosts,
            Register::Appointments => DashMsg::RegAppointments,
            Register::Contacts => DashMsg::RegContacts,
            Register::Leads => DashMsg::RegLeads,
            Register::ReserveCadres => DashMsg::RegReserve,
            Register::Pool => DashMsg::RegPool,
            Register::Homecoming => DashMsg::RegHomecoming,
            Register::CareerMoves => DashMsg::RegCareer,
            Register::Sessions => DashMsg::RegSessions,
            Register::Attendance => DashMsg::RegAttendance,
            Register::Certificates => DashMsg::RegCertificates,
            Register::Assessments => DashMsg::RegAssessments,
            Register::Filings => DashMsg::RegFilings,
            Register::Incomes => DashMsg::RegIncomes,
            Register::Pay => DashMsg::RegPay,
            Register::Commitments => DashMsg::RegCommitments,
            Register::DutyReports => DashMsg::RegDutyReports,
        }
    }

    /// The worksheet's name (the register's Chinese name).
    pub const fn sheet_name(self) -> &'static str {
        match self {
            Register::Roster => roster_sheet::SHEET_NAME,
            Register::Posts => "任职情况",
            Register::Appointments => "荣誉书记与发展顾问",
            Register::Contacts => "联系记录",
            Register::Leads => "招商线索",
            Register::ReserveCadres => "村级后备干部",
            Register::Pool => "社区工作者储备库",
            Register::Homecoming => "回家工程",
            Register::CareerMoves => "职业发展",
            Register::Sessions => "培训班次",
            Register::Attendance => "参训记录",
            Register::Certificates => "持证上岗",
            Register::Assessments => "年度考核",
            Register::Filings => "书记备案",
            Register::Incomes => "村集体收入",
            Register::Pay => "社区工作者薪酬",
            Register::Commitments => "任期承诺",
            Register::DutyReports => "述职评议",
        }
    }
}

fn zh(m: crate::i18n::Msg) -> String {
    m.text(Lang::ZhCn).to_owned()
}

fn appointment_kind(k: AppointmentKind) -> &'static str {
    match k {
        AppointmentKind::HonorarySecretary => "荣誉书记",
        AppointmentKind::DevelopmentAdvisor => "发展顾问",
    }
}
fn contact_kind(k: ContactKind) -> &'static str {
    match k {
        ContactKind::Talk => "恳谈",
        ContactKind::HolidayGreeting => "节日问候",
        ContactKind::RelativesVisit => "拜访亲属",
    }
}
fn lead_stage(s: LeadStage) -> &'static str {
    match s {
        LeadStage::Lead => "线索",
        LeadStage::Visited => "已考察",
        LeadStage::Project => "已落地",
        LeadStage::FundsArrived => "资金到位",
    }
}
fn reserve_outcome(o: ReserveOutcome) -> &'static str {
    match o {
        ReserveOutcome::InTraining => "培养中",
        ReserveOutcome::EnteredCommittee => "已进入两委",
        ReserveOutcome::Left => "已退出",
    }
}
fn pool_status(s: PoolStatus) -> &'static str {
    match s {
        PoolStatus::Waiting => "储备中",
        PoolStatus::Recruited => "已招录",
        PoolStatus::Withdrawn => "已退出",
    }
}
fn homecoming_status(s: HomecomingStatus) -> &'static str {
    match s {
        HomecomingStatus::Open => "待调整",
        HomecomingStatus::Moved => "已调整",
        HomecomingStatus::Declined => "不调整",
    }
}
fn career_kind(k: CareerMoveKind) -> &'static str {
    match k {
        CareerMoveKind::CivilService => "考录公务员",
        CareerMoveKind::CareerPost => "纳入事业岗位管理",
    }
}
fn training_kind(k: TrainingKind) -> &'static str {
    match k {
        TrainingKind::PreJob => "岗前培训",
        TrainingKind::OnDuty => "履职培训",
        TrainingKind::Professional => "专业培训",
    }
}
fn teacher_source(s: TeacherSource) -> &'static str {
    match s {
        TeacherSource::PartySchool => "党校",
        TeacherSource::AgricultureBureau => "农业农村局",
        TeacherSource::CivilAffairsBureau => "民政局",
        TeacherSource::FinanceBureau => "财政局",
        TeacherSource::University => "高校",
        TeacherSource::Other => "其他",
    }
}
fn certificate_level(l: CertificateLevel) -> &'static str {
    match l {
        CertificateLevel::Assistant => "助理社会工作师",
        CertificateLevel::Intermediate => "社会工作师",
        CertificateLevel::Senior => "高级社会工作师",
    }
}
/// 年度考核 grade in Chinese.
pub fn grade(g: Grade) -> &'static str {
    match g {
        Grade::Excellent => "优秀",
        Grade::Competent => "称职",
        Grade::BasicallyCompetent => "基本称职",
        Grade::Incompetent => "不称职",
    }
}

/// Names of people, for registers that refer to them.
struct People<'a> {
    by_ref: HashMap<(&'a Id, &'a Id), &'a Person>,
}

impl<'a> People<'a> {
    fn new(units: &[&'a UnitData]) -> Self {
        People {
            by_ref: units
                .iter()
                .flat_map(|u| u.people.values().map(move |p| ((&u.unit_id, &p.id), p)))
                .collect(),
        }
    }
    fn get(&self, unit: &Id, person: &Id) -> Option<&'a Person> {
        self.by_ref.get(&(unit, person)).copied()
    }
    fn name(&self, unit: &Id, person: &Id) -> String {
        self.get(unit, person)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    }
    fn id_number(&self, unit: &Id, person: &Id) -> String {
        self.get(unit, person)
            .map(|p| p.id_number.clone())
            .unwrap_or_default()
    }
}

fn unit_name(district: Option<&DistrictData>, id: &Id) -> String {
    district
        .and_then(|d| d.units.get(id))
        .map(|u| u.name.clone())
        .unwrap_or_default()
}

/// Rows of one unit-document collection: 单位 first, then `f`'s cells;
/// rows sorted by their cells.
fn per_unit<'a, T: 'a>(
    district: Option<&DistrictData>,
    units: &[&'a UnitData],
    items: impl Fn(&'a UnitData) -> Vec<&'a T>,
    f: impl Fn(&'a UnitData, &'a T) -> Vec<Cell>,
) -> Vec<Vec<Cell>> {
    let mut out = Vec::new();
    for u in units {
        let name = unit_name(district, &u.unit_id);
        let mut rows: Vec<Vec<Cell>> = items(u)
            .into_iter()
            .map(|x| {
                let mut r: Vec<Cell> = vec![name.clone().into()];
                r.extend(f(u, x));
                r
            })
            .collect();
        sorting::sort_by_key(&mut rows, |r| r.iter().map(Cell::text).collect::<Vec<_>>());
        out.extend(rows);
    }
    out
}

/// The sheet of `register` for `units` (the units in scope) and the
/// district records tied to them. District-wide records tied to no unit
/// (training sessions, pool candidates not yet recruited) are included
/// when `whole_district`.
pub fn sheet(
    register: Register,
    district: Option<&DistrictData>,
    units: &[&UnitData],
    whole_district: bool,
) -> Sheet {
    let people = People::new(units);
    let in_scope = |unit: &Id| units.iter().any(|u| &u.unit_id == unit);
    let name = register.sheet_name();
    let (headers, rows): (Vec<&'static str>, Vec<Vec<Cell>>) = match register {
        Register::Roster => return roster_sheet::roster_sheet(district, units),
        Register::Posts => (
            vec![
                "单位",
                "姓名",
                "职务",
                "任职时间",
                "离任时间",
                "产生方式",
                "一肩挑",
            ],
            per_unit(
                district,
                units,
                |u| u.posts.values().collect(),
                |u, p| {
                    vec![
                        people.name(&u.unit_id, &p.person_id).into(),
                        zh(labels::post_title(p.title)).into(),
                        p.start.into(),
                        p.end.into(),
                        zh(labels::how_obtained(p.how_obtained)).into(),
                        p.concurrent_director.into(),
                    ]
                },
            ),
        ),
        Register::Appointments => (
            vec![
                "单位",
                "类别",
                "姓名",
                "现工作地",
                "联系电话",
                "聘任日期",
                "聘书编号",
                "在任",
            ],
            per_unit(
                district,
                units,
                |u| u.appointments.values().collect(),
                |_, a| {
                    vec![
                        appointment_kind(a.kind).into(),
                        a.name.clone().into(),
                        a.origin.clone().into(),
                        a.phone.clone().into(),
                        a.appointed.into(),
                        a.certificate_no.clone().into(),
                        a.active.into(),
                    ]
                },
            ),
        ),
        Register::Contacts => (
            vec!["单位", "联系对象", "日期", "方式", "备注"],
            per_unit(
                district,
                units,
                |u| u.contacts.values().collect(),
                |u, c| {
                    vec![
                        u.appointments
                            .get(&c.appointment_id)
                            .map(|a| a.name.clone())
                            .unwrap_or_default()
                            .into(),
                        c.date.into(),
                        contact_kind(c.kind).into(),
                        c.note.clone().into(),
                    ]
                },
            ),
        ),
        Register::Leads => (
            vec![
                "单位",
                "项目名称",
                "引荐人",
                "有效",
                "进展",
                "线索日期",
                "考察日期",
                "落地日期",
                "到村资金（元）",
            ],
            per_unit(
                district,
                units,
                |u| u.leads.values().collect(),
                |u, l| {
                    vec![
                        l.title.clone().into(),
                        u.appointments
                            .get(&l.advisor_id)
                            .map(|a| a.name.clone())
                            .unwrap_or_default()
                            .into(),
                        l.valid.into(),
                        lead_stage(l.stage).into(),
                        l.lead_date.into(),
                        l.visit_date.into(),
                        l.project_date.into(),
                        l.funds_yuan.into(),
                    ]
                },
            ),
        ),
        Register::ReserveCadres => (
            vec![
                "单位",
                "姓名",
                "性别",
                "出生年月",
                "身份证号",
                "选拔日期",
                "培养人",
                "去向",
                "去向日期",
                "帮带记录数",
            ],
            per_unit(
                district,
                units,
                |u| u.reserve_cadres.values().collect(),
                |u, r| {
                    vec![
                        r.name.clone().into(),
                        zh(labels::sex(r.sex)).into(),
                        r.birth_date.into(),
                        r.id_number.clone().into(),
                        r.selected.into(),
                        r.mentor_person_id
                            .as_ref()
                            .map(|m| people.name(&u.unit_id, m))
                            .unwrap_or_default()
                            .into(),
                        reserve_outcome(r.outcome).into(),
                        r.outcome_date.into(),
                        (r.log.len() as u32).into(),
                    ]
                },
            ),
        ),
        Register::CareerMoves => (
            vec!["单位", "姓名", "身份证号", "类别", "日期", "岗位"],
            per_unit(
                district,
                units,
                |u| u.career_moves.values().collect(),
                |u, m| {
                    vec![
                        people.name(&u.unit_id, &m.person_id).into(),
                        people.id_number(&u.unit_id, &m.person_id).into(),
                        career_kind(m.kind).into(),
                        m.date.into(),
                        m.post_name.clone().into(),
                    ]
                },
            ),
        ),
        Register::Attendance => {
            let sessions = district.map(|d| &d.sessions);
            (
                vec!["单位", "姓名", "培训班次", "培训日期", "学时"],
                per_unit(
                    district,
                    units,
                    |u| u.attendance.values().collect(),
                    |u, a| {
                        let s = sessions.and_then(|s| s.get(&a.session_id));
                        vec![
                            people.name(&u.unit_id, &a.person_id).into(),
                            s.map(|s| s.title.clone()).unwrap_or_default().into(),
                            s.map(|s| s.date).into(),
                            a.hours.into(),
                        ]
                    },
                ),
            )
        }
        Register::Certificates => (
            vec!["单位", "姓名", "身份证号", "等级", "取得日期", "证书编号"],
            per_unit(
                district,
                units,
                |u| u.certificates.values().collect(),
                |u, c| {
                    vec![
                        people.name(&u.unit_id, &c.person_id).into(),
                        people.id_number(&u.unit_id, &c.person_id).into(),
                        certificate_level(c.level).into(),
                        c.obtained.into(),
                        c.number.clone().into(),
                    ]
                },
            ),
        ),
        Register::Incomes => (
            vec!["单位", "年度", "集体经济收入（元）"],
            per_unit(
                district,
                units,
                |u| u.incomes.values().collect(),
                |_, i| vec![i.year.into(), i.income_yuan.into()],
            ),
        ),
        Register::Pay => (
            vec!["单位", "姓名", "年度", "年薪（元）"],
            per_unit(
                district,
                units,
                |u| u.pay.values().collect(),
                |u, p| {
                    vec![
                        people.name(&u.unit_id, &p.person_id).into(),
                        p.year.into(),
                        p.annual_pay_yuan.into(),
                    ]
                },
            ),
        ),
        Register::Commitments => (
            vec![
                "单位",
                "姓名",
                "任期起始年",
                "承诺内容",
                "完成进度（%）",
                "更新日期",
            ],
            per_unit(
                district,
                units,
                |u| u.commitments.values().collect(),
                |u, c| {
                    vec![
                        people.name(&u.unit_id, &c.person_id).into(),
                        c.term_start_year.into(),
                        c.text.clone().into(),
                        c.progress_pct.into(),
                        c.updated.into(),
                    ]
                },
            ),
        ),
        Register::DutyReports => (
            vec![
                "单位",
                "姓名",
                "年度",
                "述职日期",
                "优秀票",
                "称职票",
                "基本称职票",
                "不称职票",
                "摘要",
            ],
            per_unit(
                district,
                units,
                |u| u.duty_reports.values().collect(),
                |u, r| {
                    vec![
                        people.name(&u.unit_id, &r.person_id).into(),
                        r.year.into(),
                        r.date.into(),
                        r.votes_excellent.into(),
                        r.votes_competent.into(),
                        r.votes_basic.into(),
                        r.votes_incompetent.into(),
                        r.summary.clone().into(),
                    ]
                },
            ),
        ),
        Register::Pool => {
            let mut rows: Vec<Vec<Cell>> = district
                .map(|d| {
                    d.pool
                        .values()
                        .filter(|p| match &p.recruited_unit {
                            Some(u) => in_scope(u),
                            None => whole_district,
                        })
                        .map(|p| {
                            vec![
                                p.name.clone().into(),
                                p.id_number.clone().into(),
                                p.registered.into(),
                                pool_status(p.status).into(),
                                p.recruited_unit
                                    .as_ref()
                                    .map(|u| unit_name(district, u))
                                    .unwrap_or_default()
                                    .into(),
                                p.recruited_date.into(),
                            ]
                        })
                        .collect()
                })
                .unwrap_or_default();
            sorting::sort_by_key(&mut rows, |r| r.iter().map(Cell::text).collect::<Vec<_>>());
            (
                vec![
                    "姓名",
                    "身份证号",
                    "入库日期",
                    "状态",
                    "招录单位",
                    "招录日期",
                ],
                rows,
            )
        }
        Register::Homecoming => {
            let mut rows: Vec<Vec<Cell>> = district
                .map(|d| {
                    d.homecoming
                        .values()
                        .filter(|c| in_scope(&c.person.unit) || in_scope(&c.residence_unit))
                        .map(|c| {
                            vec![
                                people.name(&c.person.unit, &c.person.person).into(),
                                unit_name(district, &c.work_unit).into(),
                                unit_name(district, &c.residence_unit).into(),
                                (rules::township_of(d, &c.work_unit)
                                    != rules::township_of(d, &c.residence_unit))
                                .into(),
                                c.identified.into(),
                                homecoming_status(c.status).into(),
                                c.moved_date.into(),
                            ]
                        })
                        .collect()
                })
                .unwrap_or_default();
            sorting::sort_by_key(&mut rows, |r| r.iter().map(Cell::text).collect::<Vec<_>>());
            (
                vec![
                    "姓名",
                    "工作单位",
                    "居住单位",
                    "跨街道",
                    "发现日期",
                    "状态",
                    "调整日期",
                ],
                rows,
            )
        }
        Register::Sessions => {
            let mut rows: Vec<Vec<Cell>> = district
                .filter(|_| whole_district || !units.is_empty())
                .map(|d| {
                    d.sessions
                        .values()
                        .map(|s| {
                            let attended = units
                                .iter()
                                .flat_map(|u| u.attendance.values())
                                .filter(|a| a.session_id == s.id)
                                .count() as u32;
                            vec![
                                s.title.clone().into(),
                                training_kind(s.kind).into(),
                                s.date.into(),
                                s.hours.into(),
                                s.first_topic.into(),
                                teacher_source(s.teacher_source).into(),
                                s.exam_prep.into(),
                                s.location.clone().into(),
                                attended.into(),
                            ]
                        })
                        .collect()
                })
                .unwrap_or_default();
            sorting::sort_by_key(&mut rows, |r| (r[2].text(), r[0].text()));
            (
                vec![
                    "班次名称",
                    "类别",
                    "日期",
                    "学时",
                    "第一议题",
                    "师资来源",
                    "考前辅导",
                    "地点",
                    "参训人次",
                ],
                rows,
            )
        }
        Register::Assessments => {
            let mut rows: Vec<Vec<Cell>> = district
                .map(|d| {
                    d.assessments
                        .values()
                        .filter(|a| in_scope(&a.person.unit))
                        .map(|a| {
                            vec![
                                unit_name(district, &a.person.unit).into(),
                                people.name(&a.person.unit, &a.person.person).into(),
                                a.year.into(),
                                a.score.into(),
                                a.rank.into(),
                                grade(a.grade).into(),
                                a.votes_for.into(),
                                a.votes_total.into(),
                            ]
                        })
                        .collect()
                })
                .unwrap_or_default();
            sorting::sort_by_key(&mut rows, |r| (r[2].text(), r[0].text(), r[1].text()));
            (
                vec![
                    "单位",
                    "姓名",
                    "年度",
                    "得分",
                    "排名",
                    "等次",
                    "赞成票",
                    "总票数",
                ],
                rows,
            )
        }
        Register::Filings => {
            let mut rows: Vec<Vec<Cell>> = district
                .map(|d| {
                    d.filings
                        .values()
                        .filter(|f| in_scope(&f.person.unit))
                        .map(|f| {
                            vec![
                                unit_name(district, &f.person.unit).into(),
                                people.name(&f.person.unit, &f.person.person).into(),
                                people.id_number(&f.person.unit, &f.person.person).into(),
                                f.filed.into(),
                                f.note.clone().into(),
                            ]
                        })
                        .collect()
                })
                .unwrap_or_default();
            sorting::sort_by_key(&mut rows, |r| r.iter().map(Cell::text).collect::<Vec<_>>());
            (vec!["单位", "姓名", "身份证号", "备案日期", "备注"], rows)
        }
    };
    Sheet {
        name,
        headers,
        rows,
    }
}

/// Every register as one workbook's sheets.
pub fn all_sheets(
    district: Option<&DistrictData>,
    units: &[&UnitData],
    whole_district: bool,
) -> Vec<Sheet> {
    Register::ALL
        .into_iter()
        .map(|r| sheet(r, district, units, whole_district))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modules::dashboard::excel::{read_all_sheets, workbook};
    use yanzhen_model::demo;

    #[test]
    fn every_register_has_rows_as_many_as_records() {
        let d = demo::generate(7);
        let units: Vec<&UnitData> = d.units.iter().collect();
        let sheets = all_sheets(Some(&d.district), &units, true);
        let count = |r: Register| {
            sheets
                .iter()
                .find(|s| s.name == r.sheet_name())
                .unwrap()
                .rows
                .len()
        };
        let sum = |f: fn(&UnitData) -> usize| d.units.iter().map(f).sum::<usize>();
        assert_eq!(count(Register::Roster), sum(|u| u.people.len()));
        assert_eq!(count(Register::Posts), sum(|u| u.posts.len()));
        assert_eq!(count(Register::Leads), sum(|u| u.leads.len()));
        assert_eq!(count(Register::Appointments), sum(|u| u.appointments.len()));
        assert_eq!(
            count(Register::ReserveCadres),
            sum(|u| u.reserve_cadres.len())
        );
        assert_eq!(count(Register::CareerMoves), sum(|u| u.career_moves.len()));
        assert_eq!(count(Register::Pay), sum(|u| u.pay.len()));
        assert_eq!(count(Register::Pool), d.district.pool.len());
        assert_eq!(count(Register::Homecoming), d.district.homecoming.len());
        assert_eq!(count(Register::Sessions), d.district.sessions.len());
        assert_eq!(count(Register::Assessments), d.district.assessments.len());
        assert_eq!(count(Register::Filings), d.district.filings.len());
        for s in &sheets {
            assert!(
                s.rows.iter().all(|r| r.len() == s.headers.len()),
                "{}",
                s.name
            );
        }
        // Funds in the workbook add up to the funnel's.
        let leads = sheets.iter().find(|s| s.name == "招商线索").unwrap();
        let funds: i64 = leads
            .rows
            .iter()
            .filter(|r| r[3] == Cell::from(true))
            .map(|r| match r[8] {
                Cell::Int(i) => i,
                _ => 0,
            })
            .sum();
        assert_eq!(funds, rules::investment_funnel(&d.units).funds_yuan);
        let bytes = workbook(&sheets).unwrap();
        let back = read_all_sheets(&bytes).unwrap();
        assert_eq!(back.len(), Register::ALL.len());
    }

    #[test]
    fn one_unit_in_scope_keeps_to_its_records() {
        let d = demo::generate(7);
        let u = d
            .units
            .iter()
            .find(|u| !u.leads.is_empty())
            .expect("a unit with leads");
        let s = sheet(Register::Leads, Some(&d.district), &[u], false);
        assert_eq!(s.rows.len(), u.leads.len());
        let a = sheet(Register::Assessments, Some(&d.district), &[u], false);
        assert_eq!(
            a.rows.len(),
            d.district
                .assessments
                .values()
                .filter(|x| x.person.unit == u.unit_id)
                .count()
        );
        for r in Register::ALL {
            assert_eq!(Register::from_key(r.key()), Some(r));
        }
    }
}
