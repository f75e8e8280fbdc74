//! The dashboard's charts for one set of figures: the investment funnel
//! (with the funds that arrived), the reserve-cadre funnel, training
//! coverage per township/street and contact-duty compliance per village.
//! The district dashboard and the city dashboard show the same ones.

use leptos::prelude::*;
use yanzhen_model::breakdown::{ContactCompliance, TownshipCoverage};
use yanzhen_model::figures::ReferenceFigures;

use crate::modules::dashboard::charts::{investment_steps, reserve_steps};
use crate::modules::dashboard::components::compliance::DashCompliance;
use crate::modules::dashboard::components::coverage::DashCoverage;
use crate::modules::dashboard::components::funnel::DashFunnel;
use crate::modules::dashboard::figures::wan;
use crate::modules::dashboard::messages::DashMsg;

#[component]
pub fn DashCharts(
    /// The figures the funnels show (`None`: nothing yet).
    #[prop(into)]
    figs: Signal<Option<ReferenceFigures>>,
    #[prop(into)] coverage: Signal<Vec<TownshipCoverage>>,
    /// The year the coverage counts.
    #[prop(into)]
    year: Signal<Option<u16>>,
    #[prop(into)] compliance: Signal<Vec<ContactCompliance>>,
) -> impl IntoView {
    let investment =
        Signal::derive(move || figs.with(|f| f.as_ref().map(investment_steps).unwrap_or_default()));
    let funds = Signal::derive(move || {
        let v = figs.with(|f| f.as_ref().map_or(0, |f| f.investment_funds_yuan));
        (DashMsg::StepFunds, wan(v), DashMsg::UnitWan)
    });
    let reserve =
        Signal::derive(move || figs.with(|f| f.as_ref().map(reserve_steps).unwrap_or_default()));
    view! {
        <div class="dash-charts">
            <DashFunnel id="chart-investment" title=DashMsg::ChartInvestment steps=investment closing=funds/>
            <DashFunnel id="chart-reserve" title=DashMsg::ChartReserve steps=reserve/>
        </div>
        <DashCoverage rows=coverage year=year/>
        <DashCompliance rows=compliance/>
    }
}
