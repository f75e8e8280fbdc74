//! The district's contact compliance per village as an SVG bar chart: one
//! horizontal bar per village (name, bar, percentage), large enough to
//! read on a tablet; geometry from [`crate::modules::returning::chart::bars`].

use leptos::prelude::*;
use yanzhen_model::returning::VillageCompliance;

use crate::modules::returning::chart::{BAR_LABEL, BAR_ROW, BAR_VALUE, BAR_WIDTH, bars};
use crate::modules::returning::components::chart::ReturningChart;
use crate::modules::returning::messages::ReturningMsg;

#[component]
pub fn ReturningBarChart(rows: Signal<Vec<VillageCompliance>>) -> impl IntoView {
    let geometry = Memo::new(move |_| rows.with(|r| bars(r)));
    let span = BAR_WIDTH - BAR_LABEL - BAR_VALUE;
    view! {
        <ReturningChart class="bar-chart" id="ret-compliance-chart" label=ReturningMsg::ChartLabel
            view_box=Signal::derive(move || format!("0 0 {BAR_WIDTH} {}", geometry.with(|g| g.1).max(BAR_ROW)))
            fit="xMinYMin meet"
        >
            {move || {
                geometry
                    .get()
                    .0
                    .into_iter()
                    .map(|b| {
                        let mid = b.y + BAR_ROW / 2.0;
                        let level = match b.percent {
                            100 => "full",
                            50..=99 => "part",
                            _ => "low",
                        };
                        view! {
                            <g class="bar" data-percent=b.percent.to_string()>
                                <text x=BAR_LABEL - 12.0 y=mid class="bar-label" text-anchor="end" dominant-baseline="middle">
                                    {b.label}
                                </text>
                                <rect x=BAR_LABEL y=b.y + 5.0 width=span height=BAR_ROW - 10.0 class="bar-track"/>
                                <rect x=BAR_LABEL y=b.y + 5.0 width=b.width height=BAR_ROW - 10.0 class=format!("bar-fill {level}")/>
                                <text x=BAR_WIDTH - BAR_VALUE + 12.0 y=mid class="bar-value" dominant-baseline="middle">
                                    {format!("{}%", b.percent)}
                                </text>
                            </g>
                        }
                    })
                    .collect_view()
            }}
        </ReturningChart>
    }
}
