//! The investment funnel as an SVG chart: valid leads → inspection visits
//! → projects placed → funds arrived (万元), one band per stage with its
//! figure; geometry from [`crate::modules::returning::chart::funnel_bands`].

use leptos::prelude::*;
use yanzhen_model::rules::Funnel;

use crate::i18n::use_i18n;
use crate::modules::returning::chart::{FUNNEL_BAND, FUNNEL_WIDTH, funnel_bands};
use crate::modules::returning::components::chart::ReturningChart;
use crate::modules::returning::form::wan_text;
use crate::modules::returning::messages::ReturningMsg as M;

#[component]
pub fn ReturningFunnel(funnel: Signal<Funnel>) -> impl IntoView {
    let i18n = use_i18n();
    let bands = move || {
        let f = funnel.get();
        let lang = i18n.lang.get();
        let figures = [
            (M::FunnelLeads, f.leads.to_string(), "leads"),
            (M::FunnelVisits, f.visits.to_string(), "visits"),
            (M::FunnelProjects, f.projects.to_string(), "projects"),
            (
                M::FunnelFunds,
                format!("{} {}", wan_text(f.funds_yuan), M::Wan.text(lang)),
                "funds",
            ),
        ];
        funnel_bands(&f)
            .into_iter()
            .zip(figures)
            .map(|(b, (label, value, class))| {
                let mid = b.y + (FUNNEL_BAND - 6.0) / 2.0;
                view! {
                    <g class=format!("funnel-band {class}") data-stage=class>
                        <polygon points=b.points()/>
                        <text x=FUNNEL_WIDTH / 2.0 y=mid text-anchor="middle" dominant-baseline="middle">
                            <tspan class="funnel-label">{label.text(lang)}</tspan>
                            <tspan class="funnel-value" dx="12">{value}</tspan>
                        </text>
                    </g>
                }
            })
            .collect_view()
    };
    view! {
        <ReturningChart class="funnel-chart" id="ret-funnel-chart" label=M::FunnelLabel
            view_box=format!("0 0 {FUNNEL_WIDTH} {}", FUNNEL_BAND * 4.0)>
            {bands}
        </ReturningChart>
    }
}
