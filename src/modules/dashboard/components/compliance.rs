//! Contact-duty compliance per village/community as stacked horizontal
//! bars (inline SVG): contacted this month, due this month and overdue
//! appointments, with a legend; the least compliant units first.

use leptos::prelude::*;
use yanzhen_model::breakdown::ContactCompliance;

use crate::i18n::t;
use crate::modules::dashboard::charts::stack;
use crate::modules::dashboard::components::bar_rows::{BarRows, WIDTH};
use crate::modules::dashboard::messages::DashMsg;

const LABEL: f64 = 190.0;
const VALUE: f64 = 110.0;
const ROW: f64 = 40.0;

#[component]
pub fn DashCompliance(#[prop(into)] rows: Signal<Vec<ContactCompliance>>) -> impl IntoView {
    let full = WIDTH - LABEL - VALUE;
    let max = Memo::new(move |_| {
        rows.with(|r| r.iter().map(ContactCompliance::total).max().unwrap_or(0) as f64)
    });
    let chart = view! {
        <BarRows rows=rows row_height=ROW label=DashMsg::ChartContacts row=move |y, c: ContactCompliance| {
                let max = max.get();
                let segs = stack(
                    &[c.contacted as f64, c.due as f64, c.overdue as f64],
                    max,
                    full,
                    LABEL,
                );
                let classes = ["seg-contacted", "seg-due", "seg-overdue"];
                view! {
                    <g class="compliance-row" data-unit=c.unit.as_str().to_owned() data-contacted=c.contacted.to_string()
                        data-due=c.due.to_string() data-overdue=c.overdue.to_string() data-percent=c.percent().to_string()>
                        <text class="bar-label" x=format!("{}", LABEL - 12.0) y=format!("{:.1}", y + 27.0) text-anchor="end">{c.name.clone()}</text>
                        {segs.into_iter().zip(classes).filter(|(s, _)| s.width > 0.0).map(|(s, cls)| view! {
                            <rect class=format!("bar {cls}") x=format!("{:.1}", s.x) y=format!("{:.1}", y + 7.0)
                                width=format!("{:.1}", s.width) height="26"/>
                        }).collect_view()}
                        <text class="bar-value" x=format!("{}", LABEL + full + 12.0) y=format!("{:.1}", y + 27.0)>
                            {format!("{}%", c.percent())}
                        </text>
                    </g>
                }
            }/>
    };
    view! {
        <section class="card dash-chart" id="chart-contacts">
            <h3>{t(DashMsg::ChartContacts)}</h3>
            <ul class="legend">
                <li><span class="swatch seg-contacted"></span>{t(DashMsg::LegendContacted)}</li>
                <li><span class="swatch seg-due"></span>{t(DashMsg::LegendDue)}</li>
                <li><span class="swatch seg-overdue"></span>{t(DashMsg::LegendOverdue)}</li>
            </ul>
            <div class="chart-scroll">{chart}</div>
        </section>
    }
}
