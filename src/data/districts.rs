//! Several district documents on one tablet (a city role reads every
//! district of the city): each district document here, hydrated once per
//! revision, with the unit documents its directory lists
//! ([`use_districts`]), in the enrolment's order (the city's creation
//! order). A district tablet has one district document and keeps reading
//! it through [`crate::data::docs`] as before.

use std::sync::Arc;

use leptos::prelude::*;
use yanzhen_model::DocId;
use yanzhen_model::store::{DistrictData, UnitData};
use yanzhen_sync::DocumentId;

use crate::data::units::use_unit_docs;
use crate::sync::cache::{RevisionCache, same};
use crate::sync::repo::SyncContext;
use crate::sync::status::DocKind;

/// One district document here, with the unit documents of its directory
/// that are here.
#[derive(Clone, Debug)]
pub struct DistrictHere {
    pub doc: DocumentId,
    /// The server's name of the district (its document's name when the
    /// enrolment does not say).
    pub name: String,
    pub data: Arc<DistrictData>,
    pub units: Vec<Arc<UnitData>>,
    /// Unit documents its directory lists (here or not yet).
    pub listed: usize,
}

impl PartialEq for DistrictHere {
    fn eq(&self, o: &Self) -> bool {
        self.doc == o.doc
            && self.name == o.name
            && self.listed == o.listed
            && Arc::ptr_eq(&self.data, &o.data)
            && same(&self.units, &o.units)
    }
}

/// The unit documents of `directory` among `units` (document id, data), in
/// `units`' order, and how many documents the directory lists.
pub fn units_of<T: Clone>(directory: &DistrictData, units: &[(DocId, T)]) -> (Vec<T>, usize) {
    let listed: Vec<DocId> = directory
        .unit_documents()
        .filter_map(|u| u.doc_id)
        .collect();
    let here = units
        .iter()
        .filter(|(d, _)| listed.contains(d))
        .map(|(_, t)| t.clone())
        .collect();
    (here, listed.len())
}

/// The district documents to show, in order: the enrolment's (id, name),
/// then any other district document the tablet holds (name unknown).
pub fn district_order(
    enrolled: &[(DocumentId, String)],
    here: &[DocumentId],
) -> Vec<(DocumentId, Option<String>)> {
    let mut out: Vec<(DocumentId, Option<String>)> = enrolled
        .iter()
        .filter(|(d, _)| here.contains(d))
        .map(|(d, n)| (*d, (!n.is_empty()).then(|| n.clone())))
        .collect();
    for d in here {
        if !out.iter().any(|(x, _)| x == d) {
            out.push((*d, None));
        }
    }
    out
}

/// Every district document here with its units, re-read only for documents
/// whose revision moved (the unit documents come from the shared
/// [`crate::data::units`] memo).
pub fn use_districts(sync: SyncContext) -> Memo<Arc<Vec<DistrictHere>>> {
    let cache = StoredValue::new(RevisionCache::<DocumentId, DistrictData>::default());
    let shared = use_unit_docs();
    Memo::new_with_compare(
        move |_| {
            let rows: Vec<(DocumentId, u64)> = sync.docs.with(|rows| {
                rows.iter()
                    .filter(|r| r.kind == DocKind::District)
                    .map(|r| (r.id, r.revision))
                    .collect()
            });
            let enrolled: Vec<(DocumentId, String)> = sync.enrolment.with(|e| {
                e.iter()
                    .flat_map(|e| &e.device.districts)
                    .filter_map(|d| Some((d.district_document_id.parse().ok()?, d.name.clone())))
                    .collect()
            });
            let here: Vec<DocumentId> = rows.iter().map(|(d, _)| *d).collect();
            let data = cache
                .try_update_value(|c| {
                    c.refresh_keyed(&rows, |id| {
                        sync.with_document(id, |am| {
                            yanzhen_model::whole::read::<DistrictData>(am).ok()
                        })
                        .flatten()
                    })
                })
                .unwrap_or_default();
            let units: Vec<(DocId, Arc<UnitData>)> = shared
                .units
                .with(|u| u.iter().map(|u| (u.doc_id(), u.data.clone())).collect());
            let out = district_order(&enrolled, &here)
                .into_iter()
                .filter_map(|(doc, name)| {
                    let (_, d) = data.iter().find(|(id, _)| *id == doc)?;
                    let (units, listed) = units_of(d, &units);
                    Some(DistrictHere {
                        doc,
                        name: name.unwrap_or_else(|| d.name.clone()),
                        data: d.clone(),
                        units,
                        listed,
                    })
                })
                .collect();
            Arc::new(out)
        },
        |a, b| a.is_none_or(|a| b.is_none_or(|b| a != b)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_go_to_the_district_whose_directory_lists_them() {
        let a = yanzhen_model::demo::generate(42);
        let listed: Vec<DocId> = a
            .district
            .unit_documents()
            .filter_map(|u| u.doc_id)
            .collect();
        assert!(listed.len() > 10);
        let stranger = DocId([0xee; 16]);
        let units: Vec<(DocId, usize)> = vec![(listed[3], 3), (stranger, 99), (listed[0], 0)];
        let (here, n) = units_of(&a.district, &units);
        assert_eq!(here, vec![3, 0], "the stranger is another district's");
        assert_eq!(n, listed.len());
        let (none, _) = units_of(&a.district, &[(stranger, 1)]);
        assert!(none.is_empty());
    }

    #[test]
    fn districts_come_in_the_enrolment_order_then_the_others() {
        let d = |b| DocumentId::from_bytes([b; 16]);
        let enrolled = vec![
            (d(1), "雁城区（演示）".to_owned()),
            (d(2), String::new()),
            (d(3), "未到".to_owned()),
        ];
        let order = district_order(&enrolled, &[d(4), d(2), d(1)]);
        assert_eq!(
            order,
            vec![
                (d(1), Some("雁城区（演示）".to_owned())),
                (d(2), None),
                (d(4), None)
            ]
        );
        assert!(district_order(&enrolled, &[]).is_empty());
    }
}
