//! The district dashboard: every reference figure of the programme counted
//! live from the tablet's merged documents ([`figures::compute_refs`]),
//! filtered by township/street and year; funnels (investment, reserve
//! cadres), training coverage per township/street and contact-duty
//! compliance per village as inline SVG.
//!
//! Reads are memoised per document revision
//! ([`crate::modules::dashboard::data::use_dash_data`]): a change
//! to one unit document hydrates that document again, not the ~100 others.

use leptos::prelude::*;

use crate::data::clock::today;
use yanzhen_model::Id;
use yanzhen_model::breakdown::{self, ContactCompliance, TownshipCoverage};
use yanzhen_model::figures::{self, Filter};

use crate::i18n::{Msg, t};
use crate::modules::dashboard::components::dash_charts::DashCharts;
use crate::modules::dashboard::components::figure_cards::DashFigureCards;
use crate::modules::dashboard::components::filters::DashFilters;
use crate::modules::dashboard::data::use_dash_data;
use crate::modules::dashboard::figures::figure_rows;
use crate::modules::dashboard::messages::DashMsg;
use crate::routes::Route;
use crate::sync::repo::use_sync;
use crate::ui::empty_note::EmptyNote;
use crate::ui::page_header::PageHeader;
use crate::ui::paint_mark::PaintMark;

/// The performance mark of the dashboard painted with every document the
/// tablet holds (cold open, `cargo xtask bench`).
pub const DASHBOARD_PAINTED_MARK: &str = "yanzhen:dashboard-painted";

#[component]
pub fn DashboardPage() -> impl IntoView {
    let sync = use_sync();
    let data = use_dash_data(sync);
    let today = today();
    let township = RwSignal::new(String::new());
    // None until the person picks: the latest year of the records.
    let year_pick = RwSignal::new(None::<String>);
    let years = Memo::new(move |_| {
        data.district
            .with(|d| d.as_deref().map(breakdown::years).unwrap_or_default())
    });
    let year_text = Memo::new(move |_| match year_pick.get() {
        Some(p) => p,
        None => years.with(|y| y.last().map(|y| y.to_string()).unwrap_or_default()),
    });
    let on_year = Callback::new(move |v: String| year_pick.set(Some(v)));
    let filter = Memo::new(move |_| Filter {
        township: Id::parse(&township.get()),
        unit: None,
        year: year_text.get().parse().ok(),
    });
    let figs = Memo::new(move |_| {
        let f = filter.get();
        data.district.with(|d| {
            d.as_deref().map(|d| {
                data.units
                    .with(|u| figures::compute_refs(d, u.iter().map(|x| x.as_ref()), &f))
            })
        })
    });
    let rows =
        Signal::derive(move || figs.with(|f| f.as_ref().map(figure_rows).unwrap_or_default()));
    let townships = Signal::derive(move || {
        data.district.with(|d| {
            d.as_deref()
                .map(|d| {
                    breakdown::townships(d)
                        .into_iter()
                        .map(|(id, n)| (id.as_str().to_owned(), n))
                        .collect()
                })
                .unwrap_or_default()
        })
    });
    let coverage_year = Signal::derive(move || {
        filter
            .with(|f| f.year)
            .or_else(|| years.with(|y| y.last().copied()))
    });
    let coverage = Signal::derive(move || -> Vec<TownshipCoverage> {
        let (Some(year), only) = (coverage_year.get(), filter.with(|f| f.township.clone())) else {
            return Vec::new();
        };
        data.district.with(|d| {
            d.as_deref()
                .map(|d| {
                    data.units.with(|u| {
                        breakdown::training_by_township(
                            d,
                            u.iter().map(|x| x.as_ref()),
                            year,
                            only.as_ref(),
                        )
                    })
                })
                .unwrap_or_default()
        })
    });
    let compliance = Signal::derive(move || -> Vec<ContactCompliance> {
        let f = filter.get();
        data.district.with(|d| {
            d.as_deref()
                .map(|d| {
                    data.units.with(|u| {
                        breakdown::contact_compliance(
                            d,
                            u.iter()
                                .map(|x| x.as_ref())
                                .filter(|x| f.includes_unit(d, &x.unit_id)),
                            today,
                        )
                    })
                })
                .unwrap_or_default()
        })
    });
    let loaded = move || data.units.with(Vec::len);
    // Cold open (cargo xtask bench): the figures shown from every document
    // the tablet holds.
    let complete = Signal::derive(move || {
        sync.docs_loaded.get() && figs.with(Option::is_some) && loaded() >= data.listed.get()
    });

    view! {
        <PaintMark name=DASHBOARD_PAINTED_MARK when=complete/>
        <PageHeader route=Route::Dashboard intro=Msg::DashboardIntro/>
        <div id="dashboard" data-loaded=move || loaded().to_string() data-total=move || data.listed.get().to_string()
            data-hydrations=move || data.hydrations.get().to_string()
            data-year=move || year_text.get() data-township=move || township.get()>
            <DashFilters townships=townships years=years township=township year=year_text on_year=on_year/>
            <p class="dash-status" id="dash-status">
                {t(DashMsg::DashLoaded)} " "
                <strong id="dash-loaded">{loaded}</strong> " / " {move || data.listed.get()}
                {move || (loaded() < data.listed.get()).then(|| view! { " · " <span>{t(DashMsg::DashSyncing)}</span> })}
            </p>
            {move || if data.district.with(Option::is_none) || data.listed.get() == 0 {
                view! { <EmptyNote id="dash-empty" msg=DashMsg::DashNoUnits/> }.into_any()
            } else {
                view! {
                    <h2>{t(DashMsg::DashFigures)}</h2>
                    <p class="hint">{t(DashMsg::DashFiguresHint)}</p>
                    <DashFigureCards rows=rows/>
                    <DashCharts figs=figs coverage=coverage year=coverage_year compliance=compliance/>
                }.into_any()
            }}
        </div>
    }
}
