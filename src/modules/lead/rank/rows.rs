//! Rows and labels for the rank screens' tables, built from the model's
//! data and rules (`yanzhen_model::rank`): names looked up across unit
//! documents, the ranking of a group, the adjustment lists, the district
//! overview of commitments and duty reports, the economy ranking with unit
//! names, amounts as shown, and whether this tablet may write a document.
//!
//! Over 500 lines with its native unit tests (about 95 lines); the rows
//! themselves stay under 450.

use yanzhen_model::Id;
use yanzhen_model::entities::{
    Adjustment, Assessment, DutyReport, Grade, PersonRef, TermCommitment, UnitKind,
};
use yanzhen_model::rank::{self, EconomyRow, UnitDuty, VoteSummary};
use yanzhen_model::rules;
use yanzhen_model::sorting;
use yanzhen_model::store::{DistrictData, UnitData};

use yanzhen_sync::DocumentId;

use crate::modules::lead::messages::rank::RankMsg;
use crate::trail::changes::{FieldNames, Shown};

/// The label of a field of an assessment, commitment, duty report, income,
/// pay record or reward policy (as named in the model's history).
pub fn field_label(field: &str) -> Option<RankMsg> {
    Some(match field {
        "score" => RankMsg::Score,
        "rank" => RankMsg::RankCol,
        "grade" => RankMsg::Grade,
        "votes_for" => RankMsg::VotesFor,
        "votes_total" => RankMsg::VotesTotal,
        "adjustment" | "adjustment.reason" => RankMsg::AdjustReason,
        "adjustment.date" => RankMsg::AdjustDate,
        "adjustment.by" => RankMsg::AdjustBy,
        "year" => RankMsg::Year,
        "progress_pct" => RankMsg::Progress,
        "updated" => RankMsg::Updated,
        "text" => RankMsg::Commitment,
        "term_start_year" => RankMsg::TermStart,
        "date" => RankMsg::ReportDate,
        "votes_excellent" => RankMsg::VotesExcellent,
        "votes_competent" => RankMsg::VotesCompetent,
        "votes_basic" => RankMsg::VotesBasic,
        "votes_incompetent" => RankMsg::VotesIncompetent,
        "income_yuan" => RankMsg::IncomeAmount,
        "annual_pay_yuan" => RankMsg::PayAmount,
        "person_id" => RankMsg::PayWorker,
        "base_threshold_yuan" => RankMsg::PolicyThreshold,
        "base_reward_yuan" => RankMsg::PolicyBase,
        "increment_permille" => RankMsg::PolicyPermille,
        "increment_cap_yuan" => RankMsg::PolicyCap,
        "top_n" => RankMsg::PolicyTopN,
        "top_bonus_yuan" => RankMsg::PolicyTop,
        _ => return None,
    })
}

/// A stored grade value in words.
pub fn grade_value(v: &str) -> Option<RankMsg> {
    Grade::ALL
        .iter()
        .find(|g| format!("{g:?}") == v)
        .map(|g| grade_msg(*g))
}

/// How the rank screens' records are worded in their history and conflicts.
pub const FIELD_NAMES: FieldNames = FieldNames {
    label: |f| field_label(f).map(Shown::of),
    value: |f, v| {
        if f == "grade" {
            grade_value(v).map(Shown::of)
        } else {
            None
        }
    },
};

/// The grade in words.
pub fn grade_msg(g: Grade) -> RankMsg {
    match g {
        Grade::Excellent => RankMsg::GradeExcellent,
        Grade::Competent => RankMsg::GradeCompetent,
        Grade::BasicallyCompetent => RankMsg::GradeBasic,
        Grade::Incompetent => RankMsg::GradeIncompetent,
    }
}

/// An amount of yuan with thousands separators (`1,234,567`).
pub fn yuan(v: i64) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0 { format!("-{out}") } else { out }
}

/// A unit's name from the directory (its id if unknown).
pub fn unit_name(district: &DistrictData, id: &Id) -> String {
    district
        .units
        .get(id)
        .map_or_else(|| id.as_str().to_owned(), |u| u.name.clone())
}

/// A person's name from their unit's document, if it is on this tablet.
pub fn person_name(units: &[UnitData], p: &PersonRef) -> Option<String> {
    units
        .iter()
        .find(|u| u.unit_id == p.unit)?
        .people
        .get(&p.person)
        .map(|x| x.name.clone())
}

/// A unit document's data by unit id.
pub fn unit_of<'a>(units: &'a [UnitData], id: &Id) -> Option<&'a UnitData> {
    units.iter().find(|u| &u.unit_id == id)
}

/// One line of a group's ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct RankRow {
    pub id: Id,
    pub rank: u32,
    pub tied: bool,
    pub person: PersonRef,
    pub name: Option<String>,
    pub unit: String,
    pub score: f64,
    pub grade: Grade,
    pub votes_for: u32,
    pub votes_total: u32,
    pub adjusted: bool,
}

/// The ranking of `group` in `year`, best first.
pub fn ranking_rows(
    district: &DistrictData,
    units: &[UnitData],
    group: &str,
    year: u16,
) -> Vec<RankRow> {
    let list = rank::group_year(district, group, year);
    let mut rows: Vec<RankRow> = list
        .iter()
        .map(|a| RankRow {
            id: a.id.clone(),
            rank: a.rank,
            tied: rank::is_tied(district, a),
            person: a.person.clone(),
            name: person_name(units, &a.person),
            unit: unit_name(district, &a.person.unit),
            score: a.score,
            grade: a.grade,
            votes_for: a.votes_for,
            votes_total: a.votes_total,
            adjusted: a.adjustment.is_some(),
        })
        .collect();
    sorting::sort_by(&mut rows, |a, b| {
        a.rank.cmp(&b.rank).then_with(|| a.id.cmp(&b.id))
    });
    rows
}

/// The ranking groups (townships / streets) as (group, name), by name; every
/// township / street of the directory plus any other group with assessments.
pub fn group_choices(district: &DistrictData) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = district
        .units
        .values()
        .filter(|u| matches!(u.kind, UnitKind::Township | UnitKind::Street))
        .map(|u| (u.id.as_str().to_owned(), u.name.clone()))
        .collect();
    for a in district.assessments.values() {
        if !out.iter().any(|(g, _)| *g == a.group) {
            out.push((a.group.clone(), a.group.clone()));
        }
    }
    sorting::sort_by(&mut out, |a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// The secretaries who can be scored in `group`: everyone with an
/// assessment in the group, and the current secretary of each of its units
/// on this tablet; as (person, "name（unit）"), by unit name.
pub fn secretary_choices(
    district: &DistrictData,
    units: &[UnitData],
    group: &str,
) -> Vec<(PersonRef, String)> {
    let mut people: Vec<PersonRef> = district
        .assessments
        .values()
        .filter(|a| a.group == group)
        .map(|a| a.person.clone())
        .collect();
    for u in units {
        if rules::township_of(district, &u.unit_id).map(Id::as_str) == Some(group)
            && let Some(p) = rules::secretary(u)
        {
            people.push(PersonRef {
                unit: u.unit_id.clone(),
                person: p.id.clone(),
            });
        }
    }
    sorting::sort(&mut people);
    people.dedup();
    let mut out: Vec<(PersonRef, String, String)> = people
        .into_iter()
        .map(|p| {
            let unit = unit_name(district, &p.unit);
            let name = person_name(units, &p).unwrap_or_else(|| p.person.as_str().to_owned());
            let label = format!("{name}（{unit}）");
            (p, unit, label)
        })
        .collect();
    sorting::sort_by(&mut out, |a, b| a.1.cmp(&b.1).then_with(|| a.2.cmp(&b.2)));
    out.into_iter().map(|(p, _, l)| (p, l)).collect()
}

/// The group (township / street id) a secretary is ranked in: their unit's
/// township / street.
pub fn group_of(district: &DistrictData, p: &PersonRef) -> Option<String> {
    rules::township_of(district, &p.unit).map(|t| t.as_str().to_owned())
}

/// A value of a `<select>` for a person.
pub fn person_key(p: &PersonRef) -> String {
    format!("{}/{}", p.unit.as_str(), p.person.as_str())
}

/// The person of a `<select>` value.
pub fn parse_person_key(s: &str) -> Option<PersonRef> {
    let (u, p) = s.split_once('/')?;
    Some(PersonRef {
        unit: Id::parse(u)?,
        person: Id::parse(p)?,
    })
}

/// One secretary of the adjustment lists.
#[derive(Clone, Debug, PartialEq)]
pub struct AdjustRow {
    /// The assessment of the second bottom year (carries the adjustment).
    pub id: Id,
    pub name: Option<String>,
    pub unit: String,
    pub group: String,
    /// The two bottom years.
    pub years: (u16, u16),
    pub adjustment: Option<Adjustment>,
}

fn adjust_row(district: &DistrictData, units: &[UnitData], a: &Assessment) -> AdjustRow {
    AdjustRow {
        id: a.id.clone(),
        name: person_name(units, &a.person),
        unit: unit_name(district, &a.person.unit),
        group: Id::parse(&a.group).map_or_else(|| a.group.clone(), |g| unit_name(district, &g)),
        years: (a.year.saturating_sub(1), a.year),
        adjustment: a.adjustment.clone(),
    }
}

/// (adjusted, still to adjust).
pub fn adjust_rows(
    district: &DistrictData,
    units: &[UnitData],
) -> (Vec<AdjustRow>, Vec<AdjustRow>) {
    let adj = rank::adjustments(district);
    (
        adj.done
            .iter()
            .map(|a| adjust_row(district, units, a))
            .collect(),
        adj.pending
            .iter()
            .map(|a| adjust_row(district, units, a))
            .collect(),
    )
}

/// One unit in the district overview of commitments and duty reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DutyOverviewRow {
    pub unit_id: Id,
    pub unit: String,
    pub township: String,
    pub secretary: Option<String>,
    pub duty: UnitDuty,
}

/// The overview, by township then unit name.
pub fn duty_overview(district: &DistrictData, units: &[UnitData]) -> Vec<DutyOverviewRow> {
    let mut out: Vec<DutyOverviewRow> = units
        .iter()
        .map(|u| DutyOverviewRow {
            unit_id: u.unit_id.clone(),
            unit: unit_name(district, &u.unit_id),
            township: rules::township_of(district, &u.unit_id)
                .map(|t| unit_name(district, t))
                .unwrap_or_default(),
            secretary: rules::secretary(u).map(|p| p.name.clone()),
            duty: rank::unit_duty(u),
        })
        .collect();
    sorting::sort_by(&mut out, |a, b| {
        (&a.township, &a.unit, &a.unit_id).cmp(&(&b.township, &b.unit, &b.unit_id))
    });
    out
}

/// A commitment with its person's name.
#[derive(Clone, Debug, PartialEq)]
pub struct CommitmentRow {
    pub record: TermCommitment,
    pub name: Option<String>,
}

/// A unit's commitments, by person name then term.
pub fn commitment_rows(unit: &UnitData) -> Vec<CommitmentRow> {
    let mut out: Vec<CommitmentRow> = unit
        .commitments
        .values()
        .map(|c| CommitmentRow {
            record: c.clone(),
            name: unit.people.get(&c.person_id).map(|p| p.name.clone()),
        })
        .collect();
    sorting::sort_by(&mut out, |a, b| {
        (&a.name, a.record.term_start_year, &a.record.id).cmp(&(
            &b.name,
            b.record.term_start_year,
            &b.record.id,
        ))
    });
    out
}

/// A duty report with its person's name and vote summary.
#[derive(Clone, Debug, PartialEq)]
pub struct DutyRow {
    pub record: DutyReport,
    pub name: Option<String>,
    pub votes: VoteSummary,
}

/// A unit's duty reports, newest first.
pub fn duty_rows(unit: &UnitData) -> Vec<DutyRow> {
    let mut out: Vec<DutyRow> = unit
        .duty_reports
        .values()
        .map(|d| DutyRow {
            record: d.clone(),
            name: unit.people.get(&d.person_id).map(|p| p.name.clone()),
            votes: rank::votes(d),
        })
        .collect();
    sorting::sort_by(&mut out, |a, b| {
        (b.record.year, b.record.date, &b.record.id).cmp(&(
            a.record.year,
            a.record.date,
            &a.record.id,
        ))
    });
    out
}

/// An economy ranking row with the village's name and its income record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EconomyView {
    pub row: EconomyRow,
    pub name: String,
    /// The income record of the year (the first, if several).
    pub income_id: Option<Id>,
}

/// The economy ranking of `year` with names (`None`: no policy that year).
pub fn economy_view(
    district: &DistrictData,
    units: &[UnitData],
    year: u16,
) -> Option<Vec<EconomyView>> {
    Some(
        rank::economy_rows(district, units, year)?
            .into_iter()
            .map(|row| EconomyView {
                name: unit_name(district, &row.unit),
                income_id: unit_of(units, &row.unit).and_then(|u| income_id(u, year)),
                row,
            })
            .collect(),
    )
}

/// The id of a unit's income record for `year` (the smallest id if several).
pub fn income_id(unit: &UnitData, year: u16) -> Option<Id> {
    unit.incomes
        .values()
        .filter(|i| i.year == year)
        .map(|i| i.id.clone())
        .min()
}

/// The unit documents among `units` whose unit is of `kind` in the
/// directory and that `keep` accepts, as (document, unit, name), by name.
pub fn units_of_kind(
    district: &DistrictData,
    units: &[(DocumentId, UnitData)],
    kind: UnitKind,
    keep: impl Fn(&DocumentId, &UnitData) -> bool,
) -> Vec<(DocumentId, Id, String)> {
    let mut out: Vec<(DocumentId, Id, String)> = units
        .iter()
        .filter(|(id, data)| {
            district.units.get(&data.unit_id).map(|x| x.kind) == Some(kind) && keep(id, data)
        })
        .map(|(id, data)| {
            (
                *id,
                data.unit_id.clone(),
                unit_name(district, &data.unit_id),
            )
        })
        .collect();
    sorting::sort_by(&mut out, |a, b| a.2.cmp(&b.2).then_with(|| a.0.cmp(&b.0)));
    out
}

/// Whether `units` holds every village of the directory (so a ranking over
/// them is the district's ranking).
pub fn has_every_village(district: &DistrictData, units: &[UnitData]) -> bool {
    district
        .units
        .values()
        .filter(|u| u.kind == UnitKind::Village && u.doc_id.is_some())
        .all(|v| units.iter().any(|u| u.unit_id == v.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: u64 = 42;

    #[test]
    fn units_of_a_kind_are_picked_by_the_directory_and_sorted_by_name() {
        let demo = yanzhen_model::demo::generate(SEED);
        let units: Vec<(DocumentId, UnitData)> = demo
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| (DocumentId::from_bytes([i as u8; 16]), u.clone()))
            .collect();
        let d = &demo.district;
        let all = units_of_kind(d, &units, UnitKind::Community, |_, _| true);
        let expected = d
            .units
            .values()
            .filter(|u| {
                u.kind == UnitKind::Community && units.iter().any(|(_, x)| x.unit_id == u.id)
            })
            .count();
        assert!(expected > 1);
        assert_eq!(all.len(), expected);
        assert!(all.windows(2).all(|w| w[0].2 <= w[1].2));
        let with_pay = units_of_kind(d, &units, UnitKind::Community, |_, u| !u.pay.is_empty());
        assert!(with_pay.len() <= all.len());
        let first = all[0].0;
        let only = units_of_kind(d, &units, UnitKind::Community, |id, _| *id == first);
        assert_eq!(only.len(), 1);
        assert!(
            units_of_kind(d, &units, UnitKind::Village, |_, _| true)
                .iter()
                .all(|(_, id, _)| d.units[id].kind == UnitKind::Village)
        );
    }

    #[test]
    fn fields_and_grades_have_words() {
        assert_eq!(field_label("score"), Some(RankMsg::Score));
        assert_eq!(field_label("nope"), None);
        assert_eq!(grade_value("BasicallyCompetent"), Some(RankMsg::GradeBasic));
        assert_eq!(grade_value("x"), None);
    }

    #[test]
    fn yuan_groups_thousands() {
        assert_eq!(yuan(0), "0");
        assert_eq!(yuan(999), "999");
        assert_eq!(yuan(1000), "1,000");
        assert_eq!(yuan(-1_234_567), "-1,234,567");
    }

    #[test]
    fn person_keys_round_trip() {
        let p = PersonRef {
            unit: Id::from_random_bytes([1; 16]),
            person: Id::from_random_bytes([2; 16]),
        };
        assert_eq!(parse_person_key(&person_key(&p)), Some(p));
        assert_eq!(parse_person_key("x"), None);
    }

    #[test]
    fn demo_rows_have_names_and_the_adjusted_secretary() {
        let demo = yanzhen_model::demo::generate(SEED);
        let d = &demo.district;
        let groups = group_choices(d);
        assert!(!groups.is_empty());
        let (g, _) = &groups[0];
        let rows = ranking_rows(d, &demo.units, g, 2024);
        assert!(rows.len() >= 2);
        assert!(rows.iter().all(|r| r.name.is_some()));
        assert!(rows.windows(2).all(|w| w[0].rank <= w[1].rank));
        let choices = secretary_choices(d, &demo.units, g);
        assert_eq!(choices.len(), rows.len());
        assert!(
            choices
                .iter()
                .all(|(p, _)| group_of(d, p).as_deref() == Some(g.as_str()))
        );
        let (done, pending) = adjust_rows(d, &demo.units);
        assert_eq!((done.len(), pending.len()), (1, 0));
        assert!(done[0].name.is_some());
        assert_eq!(done[0].years.1, done[0].years.0 + 1);
        let overview = duty_overview(d, &demo.units);
        assert_eq!(overview.len(), demo.units.len());
        assert!(has_every_village(d, &demo.units));
        assert!(!has_every_village(d, &demo.units[..1]));
        let econ = economy_view(d, &demo.units, 2024).unwrap();
        assert!(econ.iter().all(|e| e.income_id.is_some()));
    }
}
