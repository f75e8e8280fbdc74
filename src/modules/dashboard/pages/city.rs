//! The city dashboard (市级总览): every reference figure per district side
//! by side and for the whole city, counted live from the district and unit
//! documents a city tablet holds ([`crate::modules::dashboard::city`] over
//! [`crate::data::districts::use_districts`]; never stored totals), and the
//! district dashboard's charts for the whole city or one district. Read
//! only. Linked for the city roles; a city admin also gets the way to the
//! districts screen.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::data::clock::today;
use crate::data::districts::use_districts;
use crate::i18n::{Msg, t};
use crate::modules::dashboard::city::{
    city_figures, city_table, loaded_of_listed, scope_compliance, scope_coverage, scope_figures,
};
use crate::modules::dashboard::components::city_scope::CityScopePicker;
use crate::modules::dashboard::components::city_table::CityFiguresTable;
use crate::modules::dashboard::components::dash_charts::DashCharts;
use crate::modules::dashboard::messages::DashMsg;
use crate::routes::{Route, Screen};
use crate::sync::repo::use_sync;
use crate::ui::empty_note::EmptyNote;
use crate::ui::page_header::PageHeader;

#[component]
pub fn CityPage() -> impl IntoView {
    let sync = use_sync();
    let districts = use_districts(sync);
    let today = today();
    let computed = Memo::new(move |_| districts.with(|d| city_figures(d)));
    let table = Memo::new(move |_| {
        let names: Vec<String> = districts.with(|d| d.iter().map(|x| x.name.clone()).collect());
        computed.with(|(_, f)| city_table(&names, f))
    });
    let columns = Signal::derive(move || table.with(|t| t.columns.clone()));
    let year = Signal::derive(move || computed.with(|(y, _)| *y));
    let scope = RwSignal::new(None::<usize>);
    let figs = Memo::new(move |_| computed.with(|(_, f)| scope_figures(f, scope.get()).cloned()));
    let coverage = Signal::derive(move || match year.get() {
        Some(y) => districts.with(|d| scope_coverage(d, scope.get(), y)),
        None => Vec::new(),
    });
    let compliance =
        Signal::derive(move || districts.with(|d| scope_compliance(d, scope.get(), today)));
    let counts = Memo::new(move |_| districts.with(|d| loaded_of_listed(d)));
    let manages = move || {
        sync.enrolment.with(|e| {
            e.as_ref()
                .and_then(|e| e.device.role())
                .is_some_and(|r| r.manages_districts())
        })
    };
    let count = move || districts.with(|d| d.len());

    view! {
        <PageHeader route=Route::City intro=Msg::CityIntro/>
        {move || manages().then(|| view! {
            <p><A href=Screen::AdminDistricts.path() attr:class="button" attr:id="city-manage">
                {t(Screen::AdminDistricts.title())}
            </A></p>
        })}
        <div id="city" data-districts=move || count().to_string()
            data-loaded=move || counts.get().0.to_string() data-total=move || counts.get().1.to_string()
            data-year=move || year.get().map(|y| y.to_string()).unwrap_or_default()>
            <p class="dash-status" id="city-status">
                {t(DashMsg::CityYear)} " " <strong>{move || year.get().map(|y| y.to_string())}</strong>
                " · " {t(DashMsg::DashLoaded)} " "
                <strong id="city-loaded">{move || counts.get().0}</strong> " / " {move || counts.get().1}
                {move || (counts.get().0 < counts.get().1).then(|| view! { " · " <span>{t(DashMsg::DashSyncing)}</span> })}
            </p>
            {move || if count() == 0 {
                view! { <EmptyNote id="city-empty" msg=DashMsg::CityNoDistricts/> }.into_any()
            } else {
                view! {
                    <h2>{t(DashMsg::CityTable)}</h2>
                    <p class="hint">{t(DashMsg::DashFiguresHint)}</p>
                    <CityFiguresTable table=table/>
                    <h2>{t(DashMsg::CityCharts)}</h2>
                    <CityScopePicker columns=columns scope=scope/>
                    <DashCharts figs=figs coverage=coverage year=year compliance=compliance/>
                }.into_any()
            }}
        </div>
    }
}
