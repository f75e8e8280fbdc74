//! Training coverage per township/street as horizontal bars (inline SVG):
//! the share of active two-committee members who attended a district
//! session in the year, with "trained / members" at the end of each bar.

use leptos::prelude::*;
use yanzhen_model::breakdown::TownshipCoverage;

use crate::i18n::t;
use crate::modules::dashboard::charts::scale;
use crate::modules::dashboard::components::bar_rows::{BarRows, WIDTH};
use crate::modules::dashboard::messages::DashMsg;

const LABEL: f64 = 170.0;
const VALUE: f64 = 190.0;
const ROW: f64 = 44.0;

#[component]
pub fn DashCoverage(
    #[prop(into)] rows: Signal<Vec<TownshipCoverage>>,
    /// The year counted.
    #[prop(into)]
    year: Signal<Option<u16>>,
) -> impl IntoView {
    let full = WIDTH - LABEL - VALUE;
    let chart = view! {
        <BarRows rows=rows row_height=ROW label=DashMsg::ChartTraining row=move |y, c: TownshipCoverage| {
                let pct = c.coverage.percent();
                let w = scale(f64::from(pct), 100.0, full);
                view! {
                    <g class="coverage-row" data-township=c.township.as_str().to_owned() data-percent=pct.to_string()
                        data-members=c.coverage.members.to_string() data-trained=c.coverage.trained.to_string()>
                        <text class="bar-label" x=format!("{}", LABEL - 12.0) y=format!("{:.1}", y + 29.0) text-anchor="end">{c.name.clone()}</text>
                        <rect class="bar-track" x=format!("{LABEL}") y=format!("{:.1}", y + 8.0) width=format!("{full}") height="28" rx="6"/>
                        <rect class="bar coverage-bar" x=format!("{LABEL}") y=format!("{:.1}", y + 8.0) width=format!("{w:.1}") height="28" rx="6"/>
                        <text class="bar-value" x=format!("{}", LABEL + full + 12.0) y=format!("{:.1}", y + 29.0)>
                            {format!("{pct}%  {}/{}", c.coverage.trained, c.coverage.members)}
                        </text>
                    </g>
                }
            }/>
    };
    view! {
        <section class="card dash-chart" id="chart-training">
            <h3>
                {t(DashMsg::ChartTraining)}
                {move || year.get().map(|y| view! { " · " <span id="chart-training-year">{y}</span> })}
            </h3>
            <p class="hint">{t(DashMsg::ChartTrainedOf)}</p>
            {chart}
        </section>
    }
}
