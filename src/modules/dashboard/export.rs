//! What an export writes: the units in scope (one, or every unit here, in
//! the roster's picker order), the sheets of the chosen register (or all),
//! and the file's name.

use yanzhen_model::sorting;
use yanzhen_model::store::{DistrictData, UnitData};
use yanzhen_model::{DocId, Id};

use crate::data::choices::unit_choices;
use crate::modules::dashboard::excel::Sheet;
use crate::modules::dashboard::registers::{self, Register};

/// The units to export: `only` (a unit id) or all of `units`, ordered as
/// in the roster's unit picker (units missing from the directory last).
pub fn units_in_scope<'a>(
    district: Option<&DistrictData>,
    units: &[&'a UnitData],
    only: Option<&Id>,
) -> Vec<&'a UnitData> {
    let mut picked: Vec<&UnitData> = units
        .iter()
        .copied()
        .filter(|u| only.is_none_or(|o| *o == u.unit_id))
        .collect();
    if let Some(d) = district {
        let docs: Vec<DocId> = d.unit_documents().filter_map(|u| u.doc_id).collect();
        let order: Vec<Id> = unit_choices(d, &docs)
            .into_iter()
            .map(|c| c.unit_id)
            .collect();
        sorting::sort_by_key(&mut picked, |u| {
            (
                order
                    .iter()
                    .position(|o| *o == u.unit_id)
                    .unwrap_or(usize::MAX),
                u.unit_id.clone(),
            )
        });
    }
    picked
}

/// The sheets for `register` (`None`: every register).
pub fn export_sheets(
    register: Option<Register>,
    district: Option<&DistrictData>,
    units: &[&UnitData],
    whole: bool,
) -> Vec<Sheet> {
    match register {
        Some(r) => vec![registers::sheet(r, district, units, whole)],
        None => registers::all_sheets(district, units, whole),
    }
}

/// `雁阵-<what>-<scope>-<YYYYMMDD-HHMM>.xlsx` from a local `YYYY-MM-DD HH:MM`.
pub fn file_name(what: &str, scope: &str, local_datetime: &str) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    let stamp: String = local_datetime
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == ' ')
        .collect::<String>()
        .replace(' ', "-");
    format!("雁阵-{}-{}-{stamp}.xlsx", clean(what), clean(scope))
}

#[cfg(test)]
mod tests {
    use super::*;
    use yanzhen_model::demo;

    #[test]
    fn scope_and_names() {
        let d = demo::generate(7);
        let units: Vec<&UnitData> = d.units.iter().rev().collect();
        let all = units_in_scope(Some(&d.district), &units, None);
        assert_eq!(all.len(), d.units.len());
        let docs: Vec<DocId> = d
            .district
            .unit_documents()
            .filter_map(|u| u.doc_id)
            .collect();
        let first = &unit_choices(&d.district, &docs)[0];
        assert_eq!(all[0].unit_id, first.unit_id);
        let one = units_in_scope(Some(&d.district), &units, Some(&first.unit_id));
        assert_eq!(one.len(), 1);
        assert_eq!(
            export_sheets(None, Some(&d.district), &one, false).len(),
            Register::ALL.len()
        );
        assert_eq!(
            file_name("花名册", "岭东镇 张村", "2024-08-22 09:05"),
            "雁阵-花名册-岭东镇_张村-20240822-0905.xlsx"
        );
    }
}
