//! The dashboard's reads: the district document and every unit document
//! on this tablet, each hydrated once per revision ([`use_dash_data`]), for
//! the dashboard and the Excel screens. A tablet with several district
//! documents (a city role) reads the first district and its own units.

use std::sync::Arc;

use leptos::prelude::*;
use yanzhen_model::store::{DistrictData, UnitData};
use yanzhen_sync::DocumentId;

use crate::data::districts::units_of;
use crate::data::units::use_unit_docs;
use crate::sync::cache::{RevisionCache, same};
use crate::sync::repo::SyncContext;
use crate::sync::status::DocKind;

/// The tablet's documents, hydrated once per revision.
#[derive(Clone, Copy)]
pub struct DashData {
    pub district: Memo<Option<Arc<DistrictData>>>,
    /// The unit documents that are here (loaded).
    pub units: Memo<Vec<Arc<UnitData>>>,
    /// Unit documents the tablet syncs (loaded or not).
    pub listed: Memo<usize>,
    /// Hydrations done so far (diagnostics: `data-hydrations`).
    pub hydrations: Signal<u64>,
}

fn same_opt<T>(a: Option<&Option<Arc<T>>>, b: Option<&Option<Arc<T>>>) -> bool {
    match (a, b) {
        (Some(Some(x)), Some(Some(y))) => Arc::ptr_eq(x, y),
        (Some(None), Some(None)) => true,
        _ => false,
    }
}

/// The district document and every unit document here, re-read only for
/// documents whose revision moved.
pub fn use_dash_data(sync: SyncContext) -> DashData {
    let district_cache = StoredValue::new(RevisionCache::<DocumentId, DistrictData>::default());
    let shared = use_unit_docs();
    let district = Memo::new_with_compare(
        move |_| {
            let row = sync.docs.with(|rows| {
                rows.iter()
                    .find(|r| r.kind == DocKind::District)
                    .map(|r| (r.id, r.revision))
            })?;
            district_cache
                .try_update_value(|c| {
                    c.refresh(&[row], |id| {
                        sync.with_document(id, |am| {
                            yanzhen_model::whole::read::<DistrictData>(am).ok()
                        })
                        .flatten()
                    })
                })
                .and_then(|v| v.into_iter().next())
        },
        |a, b| !same_opt(a, b),
    );
    // A city tablet holds several district documents: the dashboard counts
    // the first one's units only (the city dashboard shows them all).
    let several = Memo::new(move |_| {
        sync.docs.with(|rows| {
            rows.iter()
                .filter(|r| r.kind == DocKind::District)
                .nth(1)
                .is_some()
        })
    });
    let units = Memo::new_with_compare(
        move |_| {
            let all = shared.units.with(|u| {
                u.iter()
                    .map(|u| (u.doc_id(), u.data.clone()))
                    .collect::<Vec<_>>()
            });
            if !several.get() {
                return all.into_iter().map(|(_, d)| d).collect::<Vec<_>>();
            }
            district.with(|d| {
                d.as_deref()
                    .map(|d| units_of(d, &all).0)
                    .unwrap_or_default()
            })
        },
        |a, b| match (a, b) {
            (Some(a), Some(b)) => !same(a, b),
            _ => true,
        },
    );
    let listed = Memo::new(move |_| {
        if several.get() {
            return district.with(|d| d.as_deref().map_or(0, |d| units_of::<()>(d, &[]).1));
        }
        sync.docs
            .with(|rows| rows.iter().filter(|r| r.kind != DocKind::District).count())
    });
    let hydrations = Signal::derive(move || {
        units.track();
        district.track();
        shared.hydrations() + district_cache.with_value(|c| c.hydrations)
    });
    DashData {
        district,
        units,
        listed,
        hydrations,
    }
}
