//! The rows the review and filing screens show, built from hydrated
//! documents: batches with their counts, a batch's candidates with their
//! department board, a unit's own nominations, the nominations waiting for
//! the district, and the filing lines with their print links. Also the
//! tablet's date from its local clock text.

use std::collections::BTreeMap;
use yanzhen_model::sorting;

use yanzhen_model::entities::{
    BatchKind, CandidateReview, Department, PostTitle, SignOffResult, UnitKind,
};
use yanzhen_model::review::{
    self, BatchCounts, CandidateStatus, FilingRow, FilingStatus, batch_counts, publicity_days_left,
};
use yanzhen_model::store::{DistrictData, UnitData};
use yanzhen_model::validate::mask_id_number;
use yanzhen_model::{Date, DocId, Id};

/// The date part of a local `YYYY-MM-DD HH:MM` time text.
pub fn date_of_local(text: &str) -> Option<Date> {
    Date::parse(text.get(..10)?)
}

/// Unit names by id (the district directory).
pub fn unit_names(district: &DistrictData) -> BTreeMap<Id, String> {
    sorting::btree_map(
        district
            .units
            .values()
            .map(|u| (u.id.clone(), u.name.clone())),
    )
}

/// The document of each village/community by unit id.
pub fn unit_docs(district: &DistrictData) -> BTreeMap<Id, DocId> {
    sorting::btree_map(
        district
            .units
            .values()
            .filter(|u| matches!(u.kind, UnitKind::Village | UnitKind::Community))
            .filter_map(|u| Some((u.id.clone(), u.doc_id?))),
    )
}

/// One batch of the batch board.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchRow {
    pub id: Id,
    pub name: String,
    pub kind: BatchKind,
    pub year: u16,
    pub opened: Date,
    pub counts: BatchCounts,
}

/// Every batch with its counts on `today`, newest first.
pub fn batch_rows(district: &DistrictData, today: Date) -> Vec<BatchRow> {
    let mut rows: Vec<BatchRow> = district
        .batches
        .values()
        .map(|b| BatchRow {
            id: b.id.clone(),
            name: b.name.clone(),
            kind: b.kind,
            year: b.year,
            opened: b.opened,
            counts: batch_counts(district, &b.id, today),
        })
        .collect();
    sorting::sort_by(&mut rows, |a, b| {
        (b.year, b.opened, &b.name, &b.id).cmp(&(a.year, a.opened, &a.name, &a.id))
    });
    rows
}

/// One candidate of a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CandidateRow {
    pub id: Id,
    pub name: String,
    pub unit_name: String,
    pub seat: PostTitle,
    pub status: CandidateStatus,
    pub board: Vec<(Department, SignOffResult)>,
    /// Days of publicity left today, while it runs.
    pub days_left: Option<i64>,
}

fn candidate_row(r: &CandidateReview, names: &BTreeMap<Id, String>, today: Date) -> CandidateRow {
    CandidateRow {
        id: r.id.clone(),
        name: r.candidate_name.clone(),
        unit_name: names.get(&r.unit_id).cloned().unwrap_or_default(),
        seat: r.seat,
        status: review::status(r, today),
        board: review::board(r),
        days_left: publicity_days_left(r, today),
    }
}

/// The candidates of `batch` on `today`, by unit name then name.
pub fn candidate_rows(district: &DistrictData, batch: &Id, today: Date) -> Vec<CandidateRow> {
    let names = unit_names(district);
    let mut rows: Vec<CandidateRow> = review::candidates(district, batch)
        .map(|r| candidate_row(r, &names, today))
        .collect();
    sorting::sort_by(&mut rows, |a, b| {
        (&a.unit_name, &a.name, &a.id).cmp(&(&b.unit_name, &b.name, &b.id))
    });
    rows
}

/// A nomination as listed (the unit's own list and the district's queue).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NominationRow {
    pub id: Id,
    pub unit: Id,
    pub unit_name: String,
    pub name: String,
    /// The ID number, masked.
    pub id_masked: String,
    pub seat: PostTitle,
    pub batch_name: String,
    pub submitted: Date,
    /// The review's status once the district accepted it.
    pub review: Option<CandidateStatus>,
}

fn batch_name(district: &DistrictData, id: &Id) -> String {
    district
        .batches
        .get(id)
        .map(|b| b.name.clone())
        .unwrap_or_default()
}

/// The nominations of `unit` (newest first), with their review status.
pub fn unit_nominations(
    district: &DistrictData,
    unit: &UnitData,
    today: Date,
) -> Vec<NominationRow> {
    let names = unit_names(district);
    let mut rows: Vec<NominationRow> = unit
        .nominations
        .values()
        .map(|n| NominationRow {
            id: n.id.clone(),
            unit: unit.unit_id.clone(),
            unit_name: names.get(&unit.unit_id).cloned().unwrap_or_default(),
            name: n.candidate_name.clone(),
            id_masked: mask_id_number(&n.candidate_id_number),
            seat: n.seat,
            batch_name: batch_name(district, &n.batch_id),
            submitted: n.submitted,
            review: district
                .reviews
                .get(&n.id)
                .map(|r| review::status(r, today)),
        })
        .collect();
    sorting::sort_by(&mut rows, |a, b| {
        (b.submitted, &b.name).cmp(&(a.submitted, &a.name))
    });
    rows
}

/// Nominations of every unit document here that the district has not
/// accepted yet, oldest first.
pub fn open_nominations<'a>(
    district: &DistrictData,
    units: impl IntoIterator<Item = &'a UnitData>,
) -> Vec<NominationRow> {
    let names = unit_names(district);
    review::open_nominations(district, units)
        .into_iter()
        .map(|(unit, n)| NominationRow {
            id: n.id.clone(),
            unit: unit.clone(),
            unit_name: names.get(unit).cloned().unwrap_or_default(),
            name: n.candidate_name.clone(),
            id_masked: mask_id_number(&n.candidate_id_number),
            seat: n.seat,
            batch_name: batch_name(district, &n.batch_id),
            submitted: n.submitted,
            review: None,
        })
        .collect()
}

/// One line of the filing screen.
#[derive(Clone, Debug, PartialEq)]
pub struct FilingView {
    pub row: FilingRow,
    pub unit_name: String,
    /// The unit's document (for the print link).
    pub doc: Option<DocId>,
    /// The filed person's name (the former secretary when changed).
    pub filed_name: Option<String>,
}

impl FilingView {
    /// The current secretary's name.
    pub fn secretary_name(&self) -> Option<String> {
        self.row.secretary.as_ref().map(|(p, _)| p.name.clone())
    }
    /// Who the print page shows: the filing's person, or else the current
    /// secretary (unit document, person id).
    pub fn print_target(&self) -> Option<(DocId, Id)> {
        let person = match &self.row.filing {
            Some(f) => f.person.person.clone(),
            None => self.row.secretary.as_ref()?.0.id.clone(),
        };
        Some((self.doc?, person))
    }
}

/// The filing lines of the unit documents here, in directory order.
pub fn filing_views<'a>(
    district: &DistrictData,
    units: impl IntoIterator<Item = &'a UnitData> + Clone,
) -> Vec<FilingView> {
    let names = unit_names(district);
    let docs = unit_docs(district);
    let people: BTreeMap<(&Id, &Id), &str> =
        sorting::btree_map(units.clone().into_iter().flat_map(|u| {
            u.people
                .values()
                .map(move |p| ((&u.unit_id, &p.id), p.name.as_str()))
        }));
    let mut views: Vec<FilingView> = review::filing_rows(district, units)
        .into_iter()
        .map(|row| {
            let filed_name = row.filing.as_ref().and_then(|f| {
                people
                    .get(&(&f.person.unit, &f.person.person))
                    .map(|s| s.to_string())
            });
            FilingView {
                unit_name: names.get(&row.unit).cloned().unwrap_or_default(),
                doc: docs.get(&row.unit).copied(),
                filed_name,
                row,
            }
        })
        .collect();
    sorting::sort_by(&mut views, |a, b| {
        (&a.unit_name, &a.row.unit).cmp(&(&b.unit_name, &b.row.unit))
    });
    views
}

/// Counts of the filing lines: (filed, not filed, changed since).
pub fn filing_counts(views: &[FilingView]) -> (usize, usize, usize) {
    let n = |s| views.iter().filter(|v| v.row.status == s).count();
    (
        n(FilingStatus::Filed),
        n(FilingStatus::NotFiled),
        n(FilingStatus::SecretaryChanged),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use yanzhen_model::demo;

    #[test]
    fn local_dates() {
        assert_eq!(date_of_local("2026-11-25 08:30"), Date::new(2026, 11, 25));
        assert_eq!(date_of_local("2026"), None);
    }

    #[test]
    fn the_demo_batches_and_filings_as_listed() {
        let d = demo::generate(11);
        let today = demo::today();
        let rows = batch_rows(&d.district, today);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].year, 2024);
        let y2024: usize = rows
            .iter()
            .filter(|r| r.year == 2024)
            .map(|r| r.counts.submitted)
            .sum();
        assert_eq!(y2024, 40);
        let c = candidate_rows(&d.district, &rows[0].id, today);
        assert_eq!(c.len(), rows[0].counts.submitted);
        assert_eq!(
            c.iter()
                .filter(|r| r.status == CandidateStatus::Blocked)
                .count(),
            rows[0].counts.blocked
        );
        assert!(c.iter().all(|r| !r.unit_name.is_empty()));

        let views = filing_views(&d.district, &d.units);
        assert_eq!(views.len(), d.units.len());
        let (filed, not_filed, changed) = filing_counts(&views);
        assert_eq!(not_filed, demo::NOT_FILED_UNITS.len());
        assert_eq!(changed, demo::SECRETARY_CHANGED_UNITS.len());
        assert_eq!(filed + not_filed + changed, d.units.len());
        let ch = views
            .iter()
            .find(|v| v.row.status == FilingStatus::SecretaryChanged)
            .unwrap();
        assert!(ch.filed_name.is_some());
        assert_ne!(ch.filed_name, ch.secretary_name());
        assert!(views.iter().all(|v| v.print_target().is_some()));
    }
}
