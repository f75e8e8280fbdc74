//! The roster (花名册) as a spreadsheet: the columns (Chinese headers, the
//! same for export and import, listed in the Excel screen's help), a unit's
//! people as rows, and an import **plan**: every row of a file turned into
//! a person through the roster's own form conversion
//! ([`crate::data::person_form::PersonForm::to_person`], so the model's
//! validation applies) with its problems by row and column. A plan with any
//! problem imports nothing.
//!
//! Long file: the roster's columns, export rows and the all-or-nothing import
//! plan are one format whose reader and writer must change together; tests
//! beside them.

use std::collections::BTreeSet;
use yanzhen_model::sorting;

use serde::Serialize;
use yanzhen_model::entities::{
    EducationLevel, Person, PersonCategory, PersonStatus, PoliticalStatus, PostTitle, Sex,
};
use yanzhen_model::store::{DistrictData, UnitData};
use yanzhen_model::{Date, Id};

use crate::data::person_form::{EduForm, ErrText, PersonForm};
use crate::i18n::labels;
use crate::i18n::{Lang, Msg, model_text};
use crate::modules::dashboard::excel::{Cell, Grid, Sheet};
use crate::modules::dashboard::messages::DashMsg;

/// One roster column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// The header as written in the file.
    pub header: &'static str,
    /// The model field (dotted for education parts).
    pub field: &'static str,
    /// What the column holds, in the app's words.
    pub meaning: Msg,
    /// Must be filled in on import.
    pub required: bool,
}

const fn col(header: &'static str, field: &'static str, meaning: Msg) -> Column {
    Column {
        header,
        field,
        meaning,
        required: false,
    }
}

/// The columns of the roster, in file order.
pub const COLUMNS: &[Column] = &[
    Column {
        required: true,
        ..col("姓名", "name", Msg::FieldName)
    },
    col("性别", "sex", Msg::FieldSex),
    col("民族", "ethnicity", Msg::FieldEthnicity),
    col("出生年月", "birth_date", Msg::FieldBirthDate),
    col("籍贯", "native_place", Msg::FieldNativePlace),
    col("身份证号", "id_number", Msg::FieldIdNumber),
    col("政治面貌", "political_status", Msg::FieldPolitical),
    col("入党时间", "party_join_date", Msg::FieldPartyJoin),
    col("参加工作时间", "work_start_date", Msg::FieldWorkStart),
    col(
        "全日制学历",
        "education_full_time.level",
        Msg::FieldEduFullTime,
    ),
    col("全日制学位", "education_full_time.degree", Msg::EduDegree),
    col(
        "全日制毕业院校",
        "education_full_time.school",
        Msg::EduSchool,
    ),
    col("全日制专业", "education_full_time.major", Msg::EduMajor),
    col(
        "在职学历",
        "education_in_service.level",
        Msg::FieldEduInService,
    ),
    col("在职学位", "education_in_service.degree", Msg::EduDegree),
    col(
        "在职毕业院校",
        "education_in_service.school",
        Msg::EduSchool,
    ),
    col("在职专业", "education_in_service.major", Msg::EduMajor),
    col("专业技术职称", "professional_title", Msg::FieldProfTitle),
    col("联系电话", "phone", Msg::FieldPhone),
    col("现居住地", "residence_unit", Msg::FieldResidence),
    col("人员类别", "category", Msg::FieldCategory),
    col("状态", "status", Msg::FieldStatus),
];

/// Columns written on export and ignored on import.
pub const UNIT_HEADER: &str = "单位";
/// The current posts, written on export and ignored on import.
pub const POSTS_HEADER: &str = "现任职务";
/// The roster sheet's name.
pub const SHEET_NAME: &str = "花名册";

fn zh(m: Msg) -> String {
    m.text(Lang::ZhCn).to_owned()
}

fn unit_label(district: Option<&DistrictData>, id: &Id) -> String {
    district
        .and_then(|d| d.units.get(id))
        .map(|u| u.name.clone())
        .unwrap_or_else(|| id.as_str().to_owned())
}

/// A person's cells, in [`COLUMNS`] order.
pub fn person_cells(p: &Person, district: Option<&DistrictData>) -> Vec<String> {
    let edu = |e: &Option<yanzhen_model::entities::Education>| -> [String; 4] {
        match e {
            Some(e) => [
                zh(labels::education(e.level)),
                e.degree.clone(),
                e.school.clone(),
                e.major.clone(),
            ],
            None => Default::default(),
        }
    };
    let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let [fl, fd, fs, fm] = edu(&p.education_full_time);
    let [il, id, is, im] = edu(&p.education_in_service);
    vec![
        p.name.clone(),
        zh(labels::sex(p.sex)),
        p.ethnicity.clone(),
        p.birth_date.to_string(),
        p.native_place.clone(),
        p.id_number.clone(),
        zh(labels::political_status(p.political_status)),
        date(p.party_join_date),
        date(p.work_start_date),
        fl,
        fd,
        fs,
        fm,
        il,
        id,
        is,
        im,
        p.professional_title.clone(),
        p.phone.clone(),
        unit_label(district, &p.residence_unit),
        zh(labels::category(p.category)),
        zh(labels::status(p.status)),
    ]
}

/// The current posts of a person, as words (`党组织书记、委员`).
fn current_posts(unit: &UnitData, person: &Id) -> String {
    let mut titles: Vec<PostTitle> = unit
        .posts
        .values()
        .filter(|p| &p.person_id == person && p.end.is_none())
        .map(|p| p.title)
        .collect();
    sorting::sort(&mut titles);
    titles
        .into_iter()
        .map(|t| zh(labels::post_title(t)))
        .collect::<Vec<_>>()
        .join("、")
}

/// The roster of `units` as one sheet: 单位, the [`COLUMNS`], 现任职务;
/// people by unit (in the order given), then by name.
pub fn roster_sheet(district: Option<&DistrictData>, units: &[&UnitData]) -> Sheet {
    let mut headers = vec![UNIT_HEADER];
    headers.extend(COLUMNS.iter().map(|c| c.header));
    headers.push(POSTS_HEADER);
    let mut rows = Vec::new();
    for u in units {
        let name = unit_label(district, &u.unit_id);
        let mut people: Vec<&Person> = u.people.values().collect();
        sorting::sort_by(&mut people, |a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
        for p in people {
            let mut row: Vec<Cell> = vec![name.clone().into()];
            row.extend(person_cells(p, district).into_iter().map(Cell::Text));
            row.push(current_posts(u, &p.id).into());
            rows.push(row);
        }
    }
    Sheet {
        name: SHEET_NAME,
        headers,
        rows,
    }
}

// ---------------------------------------------------------------- import

/// The words of an import problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemText {
    /// A model validation message key.
    Model(&'static str),
    App(Msg),
    Dash(DashMsg),
}

impl ProblemText {
    /// The text in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        match self {
            ProblemText::Model(k) => model_text(k, lang).unwrap_or(k),
            ProblemText::App(m) => m.text(lang),
            ProblemText::Dash(m) => m.text(lang),
        }
    }

    /// A stable key (for tests and `data-` attributes).
    pub fn key(self) -> String {
        match self {
            ProblemText::Model(k) => k.to_owned(),
            ProblemText::App(m) => format!("{m:?}"),
            ProblemText::Dash(m) => format!("{m:?}"),
        }
    }
}

impl From<ErrText> for ProblemText {
    fn from(e: ErrText) -> Self {
        match e {
            ErrText::App(m) => ProblemText::App(m),
            ErrText::Model(k) => ProblemText::Model(k),
        }
    }
}

/// One problem of a row: the column (header) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub header: &'static str,
    pub text: ProblemText,
}

/// A data row of the file and what it becomes.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanRow {
    /// The spreadsheet row number (1 = the first row of the file).
    pub line: usize,
    /// The cells, in [`COLUMNS`] order (empty when the column is absent).
    pub cells: Vec<String>,
    pub problems: Vec<Problem>,
    /// The person to write, when the row has no problem.
    pub person: Option<Person>,
}

/// What importing a file would do.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportPlan {
    /// The spreadsheet row number of the header row.
    pub header_line: usize,
    /// Headers of the file that are not roster columns (ignored).
    pub ignored: Vec<String>,
    pub rows: Vec<PlanRow>,
}

impl ImportPlan {
    /// Rows with a problem.
    pub fn bad_rows(&self) -> impl Iterator<Item = &PlanRow> {
        self.rows.iter().filter(|r| !r.problems.is_empty())
    }

    /// Every row is good and there is at least one.
    pub fn importable(&self) -> bool {
        !self.rows.is_empty() && self.bad_rows().next().is_none()
    }

    /// The people to write (all of them, or none when any row is bad).
    pub fn people(&self) -> Vec<Person> {
        if !self.importable() {
            return Vec::new();
        }
        self.rows.iter().filter_map(|r| r.person.clone()).collect()
    }
}

/// Why a file cannot be planned at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum PlanError {
    /// No row holds the 姓名 header.
    NoHeader,
    /// Headers but no data row.
    NoRows,
}

impl PlanError {
    pub fn msg(self) -> DashMsg {
        match self {
            PlanError::NoHeader => DashMsg::ExcelNoHeader,
            PlanError::NoRows => DashMsg::ExcelNoRows,
        }
    }
}

fn clean_header(h: &str) -> String {
    h.trim()
        .trim_end_matches(['*', '＊'])
        .trim_end_matches("（必填）")
        .trim()
        .to_owned()
}

/// The value of `all` whose Chinese or English label, or stored name,
/// is `text`.
fn choice<T: Copy + Serialize>(all: &[T], name: fn(T) -> Msg, text: &str) -> Option<T> {
    let t = text.trim();
    all.iter().copied().find(|v| {
        let m = name(*v);
        m.text(Lang::ZhCn) == t
            || m.text(Lang::En).eq_ignore_ascii_case(t)
            || serde_json::to_value(v)
                .ok()
                .and_then(|j| j.as_str().map(|s| s.eq_ignore_ascii_case(t)))
                .unwrap_or(false)
    })
}

/// `YYYY-MM-DD` from the ways dates are typed: `1980-5-4`, `1980/05/04`,
/// `1980.05.04`, `1980年5月4日`, `1980-05` (the first of the month).
pub fn normalise_date(s: &str) -> String {
    let t = s.trim();
    if t.is_empty() {
        return String::new();
    }
    let parts: Vec<&str> = t
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    let nums: Option<Vec<u32>> = parts.iter().map(|p| p.trim().parse().ok()).collect();
    match nums.as_deref() {
        Some([y, m, d]) if *y >= 1000 => format!("{y:04}-{m:02}-{d:02}"),
        Some([y, m]) if *y >= 1000 => format!("{y:04}-{m:02}-01"),
        _ => t.to_owned(),
    }
}

fn find_unit(district: Option<&DistrictData>, text: &str) -> Option<Id> {
    let d = district?;
    let t = text.trim();
    d.unit_documents()
        .find(|u| {
            if u.name == t {
                return true;
            }
            let parent = u
                .parent
                .as_ref()
                .and_then(|p| d.units.get(p))
                .map(|p| p.name.as_str())
                .unwrap_or_default();
            t.split(['·', ' ', '/'])
                .filter(|x| !x.trim().is_empty())
                .map(str::trim)
                .collect::<Vec<_>>()
                == [parent, u.name.as_str()]
        })
        .map(|u| u.id.clone())
}

/// Plans the import of `grid` into `unit`: the header row is the first row
/// holding 姓名; blank rows are skipped; every other row is checked (enum
/// words, dates, the residence unit's name, duplicate ID numbers in the
/// file or the unit, then the model's validation). `new_id` gives each
/// person's record id.
pub fn plan_import(
    grid: &Grid,
    district: Option<&DistrictData>,
    unit: &UnitData,
    mut new_id: impl FnMut() -> Id,
) -> Result<ImportPlan, PlanError> {
    let name_header = COLUMNS[0].header;
    let header_idx = grid
        .rows
        .iter()
        .position(|r| r.iter().any(|c| clean_header(c) == name_header))
        .ok_or(PlanError::NoHeader)?;
    let header = &grid.rows[header_idx];
    // Column index in the file of each roster column.
    let at: Vec<Option<usize>> = COLUMNS
        .iter()
        .map(|c| header.iter().position(|h| clean_header(h) == c.header))
        .collect();
    let ignored = header
        .iter()
        .map(|h| clean_header(h))
        .filter(|h| !h.is_empty() && !COLUMNS.iter().any(|c| c.header == h))
        .collect();
    let existing: BTreeSet<String> = yanzhen_model::sorting::btree_set(
        unit.people
            .values()
            .filter(|p| !p.id_number.is_empty())
            .map(|p| p.id_number.to_uppercase()),
    );
    let mut in_file: BTreeSet<String> = BTreeSet::new();
    let mut rows = Vec::new();
    for (i, raw) in grid.rows.iter().enumerate().skip(header_idx + 1) {
        let cells: Vec<String> = at
            .iter()
            .map(|ix| ix.and_then(|x| raw.get(x)).cloned().unwrap_or_default())
            .collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push(plan_row(
            i + 1,
            cells,
            district,
            unit,
            &existing,
            &mut in_file,
            &mut new_id,
        ));
    }
    if rows.is_empty() {
        return Err(PlanError::NoRows);
    }
    Ok(ImportPlan {
        header_line: header_idx + 1,
        ignored,
        rows,
    })
}

fn header_of(field: &str) -> &'static str {
    COLUMNS
        .iter()
        .find(|c| c.field == field)
        .or_else(|| {
            let top = field.split('.').next().unwrap_or(field);
            COLUMNS
                .iter()
                .find(|c| c.field.split('.').next() == Some(top))
        })
        .map_or(COLUMNS[0].header, |c| c.header)
}

fn plan_row(
    line: usize,
    cells: Vec<String>,
    district: Option<&DistrictData>,
    unit: &UnitData,
    existing: &BTreeSet<String>,
    in_file: &mut BTreeSet<String>,
    new_id: &mut impl FnMut() -> Id,
) -> PlanRow {
    let cell = |field: &str| -> &str {
        COLUMNS
            .iter()
            .position(|c| c.field == field)
            .map_or("", |i| cells[i].as_str())
    };
    let mut problems: Vec<Problem> = Vec::new();
    let bad_value = |field: &str| Problem {
        header: header_of(field),
        text: ProblemText::Dash(DashMsg::ExcelBadValue),
    };
    let mut form = PersonForm::new_in(&unit.unit_id);
    form.name = cell("name").to_owned();
    form.ethnicity = cell("ethnicity").to_owned();
    form.birth_date = normalise_date(cell("birth_date"));
    form.native_place = cell("native_place").to_owned();
    form.id_number = cell("id_number").to_owned();
    form.party_join_date = normalise_date(cell("party_join_date"));
    form.work_start_date = normalise_date(cell("work_start_date"));
    form.professional_title = cell("professional_title").to_owned();
    form.phone = cell("phone").to_owned();
    macro_rules! pick {
        ($field:literal, $all:expr, $label:expr, $target:expr) => {
            let t = cell($field);
            if !t.trim().is_empty() {
                match choice($all, $label, t) {
                    Some(v) => $target = v,
                    None => problems.push(bad_value($field)),
                }
            }
        };
    }
    pick!("sex", Sex::ALL, labels::sex, form.sex);
    pick!(
        "political_status",
        PoliticalStatus::ALL,
        labels::political_status,
        form.political_status
    );
    pick!(
        "category",
        PersonCategory::ALL,
        labels::category,
        form.category
    );
    pick!("status", PersonStatus::ALL, labels::status, form.status);
    for (prefix, target) in [
        ("education_full_time", &mut form.education_full_time),
        ("education_in_service", &mut form.education_in_service),
    ] {
        let part = |p: &str| cell(&format!("{prefix}.{p}")).to_owned();
        let level_text = part("level");
        let level = if level_text.trim().is_empty() {
            None
        } else {
            let l = choice(EducationLevel::ALL, labels::education, &level_text);
            if l.is_none() {
                problems.push(bad_value(if prefix == "education_full_time" {
                    "education_full_time.level"
                } else {
                    "education_in_service.level"
                }));
            }
            l
        };
        *target = EduForm {
            level,
            degree: part("degree"),
            school: part("school"),
            major: part("major"),
        };
    }
    let residence = cell("residence_unit");
    if !residence.trim().is_empty() {
        match find_unit(district, residence) {
            Some(id) => form.residence_unit = id.as_str().to_owned(),
            None => problems.push(Problem {
                header: header_of("residence_unit"),
                text: ProblemText::Dash(DashMsg::ExcelUnknownUnit),
            }),
        }
    }
    let person = match form.to_person(new_id()) {
        Ok(p) => Some(p),
        Err(errors) => {
            for (field, e) in errors.0 {
                problems.push(Problem {
                    header: header_of(&field),
                    text: e.into(),
                });
            }
            None
        }
    };
    if let Some(p) = &person
        && !p.id_number.is_empty()
    {
        let key = p.id_number.to_uppercase();
        if existing.contains(&key) {
            problems.push(Problem {
                header: header_of("id_number"),
                text: ProblemText::Dash(DashMsg::ExcelDuplicateInUnit),
            });
        } else if !in_file.insert(key) {
            problems.push(Problem {
                header: header_of("id_number"),
                text: ProblemText::Dash(DashMsg::ExcelDuplicateInFile),
            });
        }
    }
    PlanRow {
        line,
        cells,
        person: if problems.is_empty() { person } else { None },
        problems,
    }
}

/// Writes `people` into the unit document `am` in one change, or nothing:
/// on refusal the document is left exactly as it was and the model's
/// message key is returned.
pub fn apply_import(
    am: &mut automerge::Automerge,
    people: &[Person],
    meta: &yanzhen_model::ChangeMeta,
) -> Result<usize, &'static str> {
    let mut doc =
        yanzhen_model::UnitDocument::from_automerge(am.clone()).map_err(|e| e.message_key())?;
    doc.put_all(people, meta)
        .map_err(|e| e.model_error().message_key())?;
    *am = doc.into_automerge();
    Ok(people.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modules::dashboard::excel::{read_table, workbook};
    use yanzhen_model::demo;
    use yanzhen_model::validate::make_id_number;

    fn ids() -> impl FnMut() -> Id {
        let mut n = 0u8;
        move || {
            n += 1;
            Id::from_random_bytes([n; 16])
        }
    }

    fn demo_unit() -> (DistrictData, UnitData) {
        let d = demo::generate(7);
        let u = d.units[0].clone();
        (d.district, u)
    }

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
        }
    }

    #[test]
    fn an_exported_roster_imports_back_into_an_empty_unit() {
        let (district, unit) = demo_unit();
        let bytes = workbook(&[roster_sheet(Some(&district), &[&unit])]).unwrap();
        let g = read_table(&bytes).unwrap();
        assert_eq!(g.rows.len(), unit.people.len() + 1);
        let empty = UnitData::new(unit.unit_id.clone());
        let plan = plan_import(&g, Some(&district), &empty, ids()).unwrap();
        assert!(
            plan.importable(),
            "{:?}",
            plan.bad_rows().collect::<Vec<_>>()
        );
        assert_eq!(plan.ignored, vec![UNIT_HEADER, POSTS_HEADER]);
        let mut back = plan.people();
        assert_eq!(back.len(), unit.people.len());
        let mut want: Vec<Person> = unit.people.values().cloned().collect();
        // Only the record ids (made on import), résumé and rewards differ.
        for p in back.iter_mut().chain(want.iter_mut()) {
            p.id = Id::from_random_bytes([0; 16]);
            p.resume.clear();
            p.rewards.clear();
        }
        back.sort_by(|a, b| a.id_number.cmp(&b.id_number));
        want.sort_by(|a, b| a.id_number.cmp(&b.id_number));
        assert_eq!(back, want);
        // Importing the same file into the unit itself: every row is a duplicate.
        let again = plan_import(&g, Some(&district), &unit, ids()).unwrap();
        assert_eq!(again.bad_rows().count(), unit.people.len());
        assert!(again.people().is_empty());
    }

    #[test]
    fn a_wrong_check_digit_names_the_row_and_column_and_imports_nothing() {
        let (district, unit) = demo_unit();
        let good = make_id_number("990101", Date::new(1990, 5, 4).unwrap(), 11);
        let last = good.chars().last().unwrap();
        let wrong = format!("{}{}", &good[..17], if last == '1' { '2' } else { '1' });
        let other = make_id_number("990101", Date::new(1991, 6, 7).unwrap(), 12);
        let g = grid(&[
            &["花名册导入"],
            &["姓名*", "身份证号", "性别", "人员类别", "出生年月"],
            &["测试甲", other.as_str(), "女", "社区工作者", ""],
            &[],
            &["测试乙", wrong.as_str(), "", "", ""],
            &["测试丙", "", "外星", "", "1980/5/4"],
        ]);
        let plan = plan_import(&g, Some(&district), &unit, ids()).unwrap();
        assert_eq!(plan.header_line, 2);
        assert_eq!(plan.rows.len(), 3);
        assert!(!plan.importable());
        assert!(plan.people().is_empty());
        let bad: Vec<(usize, &str, String)> = plan
            .bad_rows()
            .flat_map(|r| {
                r.problems
                    .iter()
                    .map(move |p| (r.line, p.header, p.text.key()))
            })
            .collect();
        assert_eq!(
            bad,
            vec![
                (5, "身份证号", "validation.id_number.check_digit".to_owned()),
                (6, "性别", "ExcelBadValue".to_owned()),
            ]
        );
        let first = plan.rows[0].person.as_ref().unwrap();
        assert_eq!(first.sex, Sex::Female);
        assert_eq!(first.category, PersonCategory::CommunityWorker);
        assert_eq!(first.birth_date, Date::new(1991, 6, 7).unwrap());
        assert_eq!(first.residence_unit, unit.unit_id);
    }

    #[test]
    fn missing_names_duplicates_and_unknown_units() {
        let (district, unit) = demo_unit();
        let a = make_id_number("990101", Date::new(1990, 5, 4).unwrap(), 11);
        let g = grid(&[
            &["姓名", "身份证号", "现居住地", "全日制学历"],
            &["", a.as_str(), "", ""],
            &["甲", a.as_str(), "", "大学本科"],
            &["乙", a.as_str(), "无此村", "留学"],
        ]);
        let plan = plan_import(&g, Some(&district), &unit, ids()).unwrap();
        let keys: Vec<Vec<(&str, String)>> = plan
            .rows
            .iter()
            .map(|r| {
                r.problems
                    .iter()
                    .map(|p| (p.header, p.text.key()))
                    .collect()
            })
            .collect();
        assert_eq!(keys[0], vec![("姓名", "validation.required".to_owned())]);
        assert!(keys[1].is_empty(), "{keys:?}");
        assert_eq!(
            keys[2],
            vec![
                ("全日制学历", "ExcelBadValue".to_owned()),
                ("现居住地", "ExcelUnknownUnit".to_owned()),
                ("身份证号", "ExcelDuplicateInFile".to_owned()),
            ]
        );
        let g = grid(&[
            &["姓名", "身份证号"],
            &["甲", a.as_str()],
            &["乙", a.as_str()],
        ]);
        let plan = plan_import(&g, Some(&district), &unit, ids()).unwrap();
        assert_eq!(
            plan.rows[1].problems[0].text,
            ProblemText::Dash(DashMsg::ExcelDuplicateInFile)
        );
        assert_eq!(
            plan_import(&grid(&[&["名字"]]), None, &unit, ids()),
            Err(PlanError::NoHeader)
        );
        assert_eq!(
            plan_import(&grid(&[&["姓名"], &[""]]), None, &unit, ids()),
            Err(PlanError::NoRows)
        );
    }

    #[test]
    fn an_import_is_one_change_or_nothing() {
        let unit = Id::from_random_bytes([9; 16]);
        let meta = yanzhen_model::ChangeMeta::new("tab", "村", "office", 1);
        let mut am = yanzhen_model::UnitDocument::new_unit(&unit, &[1; 16], &meta)
            .unwrap()
            .into_automerge();
        let heads = am.get_heads();
        let mut people: Vec<Person> = (0..3u8)
            .map(|i| demo::minimal_person(Id::from_random_bytes([i + 1; 16]), &unit, i.into()))
            .collect();
        people[1].name.clear();
        assert_eq!(
            apply_import(&mut am, &people, &meta),
            Err("validation.required")
        );
        assert_eq!(am.get_heads(), heads);
        people[1].name = "乙".into();
        assert_eq!(apply_import(&mut am, &people, &meta), Ok(3));
        assert_eq!(am.get_changes(&heads).len(), 1);
        assert_eq!(crate::data::edit::unit_data(&am).unwrap().people.len(), 3);
    }

    #[test]
    fn dates_are_normalised() {
        assert_eq!(normalise_date("1980/5/4"), "1980-05-04");
        assert_eq!(normalise_date("1980年5月4日"), "1980-05-04");
        assert_eq!(normalise_date("1980.05"), "1980-05-01");
        assert_eq!(normalise_date("昨天"), "昨天");
    }
}
