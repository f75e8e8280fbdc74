//! The unit picker's choices: the villages and communities of the district
//! directory whose documents this tablet has, each with its township or
//! street, sorted by township then by pinyin.

use yanzhen_model::entities::{Unit, UnitKind};
use yanzhen_model::sorting;
use yanzhen_model::store::DistrictData;
use yanzhen_model::{DocId, Id};

use crate::data::pinyin::full_pinyin;

/// A unit the roster can show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitChoice {
    pub unit_id: Id,
    /// The unit's own document.
    pub doc: DocId,
    pub name: String,
    /// The township or street it belongs to (empty if unknown).
    pub parent: String,
    pub kind: UnitKind,
}

/// The units of `district` whose document is in `have`, in picker order.
pub fn unit_choices(district: &DistrictData, have: &[DocId]) -> Vec<UnitChoice> {
    let mut out: Vec<(String, String, UnitChoice)> = district
        .unit_documents()
        .filter_map(|u| {
            let doc = u.doc_id?;
            if !have.contains(&doc) {
                return None;
            }
            let parent = parent_name(district, u);
            Some((
                full_pinyin(&parent),
                full_pinyin(&u.name),
                UnitChoice {
                    unit_id: u.id.clone(),
                    doc,
                    name: u.name.clone(),
                    parent,
                    kind: u.kind,
                },
            ))
        })
        .collect();
    sorting::sort_by(&mut out, |a, b| {
        (&a.0, &a.1, &a.2.unit_id).cmp(&(&b.0, &b.1, &b.2.unit_id))
    });
    out.into_iter().map(|(_, _, c)| c).collect()
}

/// The name of the unit above `unit` (its township or street; empty for
/// none).
fn parent_name(district: &DistrictData, unit: &Unit) -> String {
    unit.parent
        .as_ref()
        .and_then(|p| district.units.get(p))
        .map(|p| p.name.clone())
        .unwrap_or_default()
}

/// The unit (any level) with id `id`'s name, for 现居住地.
pub fn unit_name(district: &DistrictData, id: &Id) -> Option<String> {
    district.units.get(id).map(|u| u.name.clone())
}

/// The units a person may live in (villages and communities), by name:
/// `(id, "township · unit")`.
pub fn residence_choices(district: &DistrictData) -> Vec<(String, String)> {
    let mut out: Vec<(String, String, String)> = district
        .unit_documents()
        .map(|u| {
            let parent = parent_name(district, u);
            let label = if parent.is_empty() {
                u.name.clone()
            } else {
                format!("{parent} · {}", u.name)
            };
            (full_pinyin(&label), u.id.as_str().to_owned(), label)
        })
        .collect();
    sorting::sort(&mut out);
    out.into_iter().map(|(_, id, label)| (id, label)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use yanzhen_model::entities::Unit;

    fn unit(n: u8, name: &str, kind: UnitKind, parent: Option<&Id>, doc: Option<u8>) -> Unit {
        Unit {
            id: Id::from_random_bytes([n; 16]),
            name: name.into(),
            kind,
            parent: parent.cloned(),
            doc_id: doc.map(|d| DocId([d; 16])),
        }
    }

    #[test]
    fn choices_are_the_units_whose_documents_the_tablet_has() {
        let mut d = DistrictData::new("沙市区");
        let district = unit(1, "沙市区", UnitKind::District, None, None);
        let a = unit(2, "岑河镇", UnitKind::Township, Some(&district.id), None);
        let b = unit(3, "中山街道", UnitKind::Street, Some(&district.id), None);
        let v1 = unit(4, "张场村", UnitKind::Village, Some(&a.id), Some(4));
        let v2 = unit(5, "白云社区", UnitKind::Community, Some(&b.id), Some(5));
        let v3 = unit(6, "安心村", UnitKind::Village, Some(&a.id), Some(6));
        let v4 = unit(7, "未同步村", UnitKind::Village, Some(&a.id), Some(7));
        for u in [district, a, b, v1, v2, v3, v4] {
            d.units.insert(u.id.clone(), u);
        }
        let have = [DocId([4; 16]), DocId([5; 16]), DocId([6; 16])];
        let c = unit_choices(&d, &have);
        let names: Vec<_> = c
            .iter()
            .map(|c| (c.parent.as_str(), c.name.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("岑河镇", "安心村"),
                ("岑河镇", "张场村"),
                ("中山街道", "白云社区")
            ]
        );
        assert_eq!(
            unit_name(&d, &Id::from_random_bytes([2; 16])).as_deref(),
            Some("岑河镇")
        );
    }
}
