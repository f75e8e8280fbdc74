//! The city dashboard's pure logic (no view code): the figures of every
//! district here and of the city as a whole ([`yanzhen_model::city`],
//! computed from the loaded documents, never from stored totals), the
//! table of them (one row per reference figure with the district
//! dashboard's labels, one column per district and one for the city), and
//! the charts' data for a scope (the city or one district).

use std::sync::Arc;

use yanzhen_model::Date;
use yanzhen_model::breakdown::{self, ContactCompliance, TownshipCoverage};
use yanzhen_model::city::{self, CityFigures};
use yanzhen_model::figures::ReferenceFigures;
use yanzhen_model::store::UnitData;

use crate::data::districts::DistrictHere;
use crate::modules::dashboard::figures::{FigureRow, figure_rows};
use crate::modules::dashboard::messages::DashMsg;

/// The `data-district` of the city column.
pub const CITY_KEY: &str = "city";

/// One column of the table: a district (its position and name) or the city.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CityColumn {
    /// The district's position in the city (`None`: the city as a whole).
    pub district: Option<usize>,
    /// The district's name (empty for the city: its heading is a message).
    pub name: String,
}

impl CityColumn {
    /// The column's `data-district` (the position, or [`CITY_KEY`]).
    pub fn key(&self) -> String {
        self.district
            .map_or_else(|| CITY_KEY.to_owned(), |i| i.to_string())
    }
}

/// One row of the table: a reference figure and its value in each column
/// (as the district dashboard shows it: value, suffix, unit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CityRow {
    pub key: &'static str,
    pub label: DashMsg,
    pub unit: Option<DashMsg>,
    pub suffix: &'static str,
    /// One value per column, in the columns' order.
    pub values: Vec<String>,
}

/// The city table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CityTable {
    pub columns: Vec<CityColumn>,
    pub rows: Vec<CityRow>,
}

/// The figures of `districts` and of the city, as of the latest year their
/// records name (as the district dashboard's default year).
pub fn city_figures(districts: &[DistrictHere]) -> (Option<u16>, CityFigures) {
    let year = city::latest_year(districts.iter().map(|d| d.data.as_ref()));
    let figs = city::compute(
        districts
            .iter()
            .map(|d| (d.data.as_ref(), d.units.iter().map(Arc::as_ref))),
        year,
    );
    (year, figs)
}

/// The table: a column per district in order, then the city; a row per
/// figure in the district dashboard's order.
pub fn city_table(names: &[String], figs: &CityFigures) -> CityTable {
    let mut columns: Vec<CityColumn> = names
        .iter()
        .enumerate()
        .map(|(i, n)| CityColumn {
            district: Some(i),
            name: n.clone(),
        })
        .collect();
    columns.push(CityColumn {
        district: None,
        name: String::new(),
    });
    let per_column: Vec<Vec<FigureRow>> = figs
        .districts
        .iter()
        .chain([&figs.city])
        .map(figure_rows)
        .collect();
    let rows = figure_rows(&figs.city)
        .into_iter()
        .enumerate()
        .map(|(i, r)| CityRow {
            key: r.key,
            label: r.label,
            unit: r.unit,
            suffix: r.suffix,
            values: per_column.iter().map(|c| c[i].value.clone()).collect(),
        })
        .collect();
    CityTable { columns, rows }
}

/// The figures the charts show for `scope` (`None`: the city).
pub fn scope_figures(figs: &CityFigures, scope: Option<usize>) -> Option<&ReferenceFigures> {
    match scope {
        None => Some(&figs.city),
        Some(i) => figs.districts.get(i),
    }
}

/// The districts in `scope` (all of them for the city).
fn in_scope(
    districts: &[DistrictHere],
    scope: Option<usize>,
) -> impl Iterator<Item = &DistrictHere> {
    districts
        .iter()
        .enumerate()
        .filter(move |(i, _)| scope.is_none_or(|s| s == *i))
        .map(|(_, d)| d)
}

fn units(d: &DistrictHere) -> impl Iterator<Item = &UnitData> {
    d.units.iter().map(Arc::as_ref)
}

/// Training coverage per township/street of every district in `scope`.
pub fn scope_coverage(
    districts: &[DistrictHere],
    scope: Option<usize>,
    year: u16,
) -> Vec<TownshipCoverage> {
    in_scope(districts, scope)
        .flat_map(|d| breakdown::training_by_township(&d.data, units(d), year, None))
        .collect()
}

/// Contact-duty compliance per village of every district in `scope`.
pub fn scope_compliance(
    districts: &[DistrictHere],
    scope: Option<usize>,
    today: Date,
) -> Vec<ContactCompliance> {
    in_scope(districts, scope)
        .flat_map(|d| breakdown::contact_compliance(&d.data, units(d), today))
        .collect()
}

/// Unit documents read and listed, over every district.
pub fn loaded_of_listed(districts: &[DistrictHere]) -> (usize, usize) {
    districts
        .iter()
        .fold((0, 0), |(l, t), d| (l + d.units.len(), t + d.listed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use yanzhen_model::demo::{self, REFERENCE_YEAR};
    use yanzhen_model::store::DistrictData;
    use yanzhen_sync::DocumentId;

    fn district_here(
        name: &str,
        data: DistrictData,
        units: Vec<UnitData>,
        doc: yanzhen_sync::DocumentId,
    ) -> DistrictHere {
        let listed = units.len();
        DistrictHere {
            doc,
            name: name.to_owned(),
            data: Arc::new(data),
            units: units.into_iter().map(Arc::new).collect(),
            listed,
        }
    }

    fn two_districts() -> Vec<DistrictHere> {
        let a = demo::generate(42);
        let mut b = a.clone();
        let n = b.units.len();
        b.units.drain(..n / 2);
        for u in &mut b.units {
            u.certificates.clear();
        }
        vec![
            district_here(
                "雁城区（演示）",
                a.district,
                a.units,
                DocumentId::from_bytes([1; 16]),
            ),
            district_here(
                "河西区",
                b.district,
                b.units,
                DocumentId::from_bytes([2; 16]),
            ),
        ]
    }

    #[test]
    fn the_table_has_a_column_per_district_then_the_city() {
        let d = two_districts();
        let (year, figs) = city_figures(&d);
        assert_eq!(year, Some(REFERENCE_YEAR));
        let t = city_table(&["雁城区（演示）".into(), "河西区".into()], &figs);
        let keys: Vec<String> = t.columns.iter().map(CityColumn::key).collect();
        assert_eq!(keys, ["0", "1", CITY_KEY]);
        assert_eq!(t.rows.len(), figure_rows(&figs.city).len());
        let row = |k: &str| t.rows.iter().find(|r| r.key == k).unwrap();
        assert_eq!(row("candidates_reviewed").values, ["40", "40", "80"]);
        assert_eq!(
            row("candidates_reviewed").label,
            DashMsg::FigCandidatesReviewed
        );
        let share = row("certified_share_pct");
        assert_eq!(
            (share.values[0].as_str(), share.values[1].as_str()),
            ("39", "0")
        );
        assert_eq!(share.suffix, "%");
        assert_eq!(share.values[2], figs.city.certified_share_pct.to_string());
        assert_ne!(share.values[2], "19", "not the average of 39 and 0");
        assert_eq!(row("investment_funds_yuan").values[0], "1030");
    }

    #[test]
    fn the_charts_follow_the_scope() {
        let d = two_districts();
        let (year, figs) = city_figures(&d);
        assert_eq!(scope_figures(&figs, None), Some(&figs.city));
        assert_eq!(scope_figures(&figs, Some(1)), Some(&figs.districts[1]));
        assert_eq!(scope_figures(&figs, Some(2)), None);
        let year = year.unwrap();
        let one = scope_coverage(&d, Some(0), year);
        let all = scope_coverage(&d, None, year);
        assert!(!one.is_empty());
        assert_eq!(
            all.len(),
            one.len() + scope_coverage(&d, Some(1), year).len()
        );
        let today = demo::today();
        let c0 = scope_compliance(&d, Some(0), today).len();
        let c1 = scope_compliance(&d, Some(1), today).len();
        assert!(c1 < c0, "half the units");
        assert_eq!(scope_compliance(&d, None, today).len(), c0 + c1);
        let (loaded, listed) = loaded_of_listed(&d);
        assert_eq!(loaded, listed);
        assert!(city_figures(&[]).1.districts.is_empty());
    }
}
