//! The programme figures of this tablet's own unit on its home screen:
//! the reference figures counted for that unit alone
//! ([`figures::compute_refs`] with a unit filter, the year of the latest
//! records), its training coverage and this month's contact duty. Shown
//! only when the tablet has exactly one unit document, or is enrolled for a
//! village/community whose document it holds.

use leptos::prelude::*;
use yanzhen_model::breakdown;
use yanzhen_model::entities::UnitKind;
use yanzhen_model::figures::{self, Filter};
use yanzhen_model::rules;
use yanzhen_sync::DocumentId;

use crate::data::clock::today;
use crate::data::docs::{unit_docs_here, use_district, use_unit};
use crate::i18n::t;
use crate::modules::dashboard::charts::percent;
use crate::modules::dashboard::components::figure_cards::DashFigureCards;
use crate::modules::dashboard::figures::figure_rows;
use crate::modules::dashboard::messages::DashMsg;
use crate::sync::repo::use_sync;

/// Figures that only make sense district-wide.
const DISTRICT_ONLY: &[&str] = &["exam_prep_lectures", "candidates_reviewed"];

#[component]
pub fn UnitFigures() -> impl IntoView {
    let sync = use_sync();
    let here = unit_docs_here(sync);
    let district = use_district(sync);
    let doc = Memo::new(move |_| -> Option<DocumentId> {
        let here = here.get();
        if here.len() == 1 {
            return Some(DocumentId::from_bytes(here[0].0));
        }
        let unit = sync
            .enrolment
            .with(|e| e.as_ref().and_then(|e| e.device.unit_id.clone()))?;
        district.with(|d| {
            let u = d.as_ref()?.units.values().find(|u| u.id.as_str() == unit)?;
            if !matches!(u.kind, UnitKind::Village | UnitKind::Community) {
                return None;
            }
            let doc = u.doc_id?;
            here.contains(&doc).then(|| DocumentId::from_bytes(doc.0))
        })
    });
    let unit = use_unit(sync, Signal::derive(move || doc.get()));
    let today = today();
    let year = Memo::new(move |_| {
        district.with(|d| d.as_ref().and_then(|d| breakdown::years(d).last().copied()))
    });
    let figs = Memo::new(move |_| {
        let y = year.get();
        district.with(|d| {
            let d = d.as_ref()?;
            unit.with(|u| {
                let u = u.as_ref()?;
                let f = Filter {
                    township: None,
                    unit: Some(u.unit_id.clone()),
                    year: y,
                };
                let figs = figures::compute_refs(d, std::iter::once(u), &f);
                let coverage = y.map(|y| rules::training_coverage(d, u, y));
                let duty = breakdown::contact_compliance(d, std::iter::once(u), today)
                    .into_iter()
                    .next();
                Some((figs, coverage, duty))
            })
        })
    });
    let rows = Signal::derive(move || {
        figs.with(|f| {
            f.as_ref()
                .map(|(f, _, _)| {
                    figure_rows(f)
                        .into_iter()
                        .filter(|r| !DISTRICT_ONLY.contains(&r.key))
                        .collect()
                })
                .unwrap_or_default()
        })
    });
    move || {
        let (_, coverage, duty) = figs.get()?;
        let unit_id = unit.with(|u| u.as_ref().map(|u| u.unit_id.as_str().to_owned()))?;
        Some(view! {
            <section class="card unit-figures" id="unit-figures" data-unit=unit_id>
                <h2>{t(DashMsg::UnitFiguresTitle)}</h2>
                <dl class="facts">
                    {coverage.map(|c| view! {
                        <dt>{t(DashMsg::UnitFiguresCoverage)}</dt>
                        <dd id="unit-coverage" data-percent=c.percent().to_string()>
                            {format!("{}%  ({}/{})", c.percent(), c.trained, c.members)}
                        </dd>
                    })}
                    {duty.map(|d| view! {
                        <dt>{t(DashMsg::UnitFiguresContacts)}</dt>
                        <dd id="unit-contacts" data-overdue=d.overdue.to_string()>
                            {t(DashMsg::LegendContacted)} " " {d.contacted} " · "
                            {t(DashMsg::LegendDue)} " " {d.due} " · "
                            {t(DashMsg::LegendOverdue)} " " {d.overdue}
                            {format!("  ({}%)", percent(d.total() - d.overdue, d.total()))}
                        </dd>
                    })}
                </dl>
                <DashFigureCards rows=rows/>
            </section>
        })
    }
}
