//! The reserve-cadre funnel as an SVG legible on a tablet: one centred bar
//! per stage (selected → mentored → entered the two committees), its width
//! proportional to the count, the stage name and the count in large type.

use leptos::prelude::*;
use yanzhen_model::young::ReserveFunnel;

use crate::i18n::t;
use crate::modules::young::messages::YoungMsg;

const W: f64 = 760.0;
const BAR_H: f64 = 64.0;
const GAP: f64 = 14.0;
const MIN_W: f64 = 150.0;

#[component]
pub fn YoungFunnel(#[prop(into)] funnel: Signal<ReserveFunnel>) -> impl IntoView {
    let stages = move || {
        let f = funnel.get();
        let max = f.selected.max(1) as f64;
        [
            ("selected", YoungMsg::FunnelSelected, f.selected),
            ("mentored", YoungMsg::FunnelMentored, f.mentored),
            ("entered", YoungMsg::FunnelEntered, f.entered),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, (key, label, n))| {
            let w = MIN_W + (W - MIN_W) * (n as f64 / max);
            let x = (W - w) / 2.0;
            let y = i as f64 * (BAR_H + GAP);
            view! {
                <g class=format!("funnel-stage funnel-{key}") data-stage=key data-count=n.to_string()>
                    <rect x=x y=y width=w height=BAR_H rx="8"/>
                    <text x=W / 2.0 y=y + BAR_H / 2.0 + 9.0 text-anchor="middle">
                        <tspan class="funnel-label">{t(label)}</tspan>
                        <tspan class="funnel-count" dx="16">{n}</tspan>
                    </text>
                </g>
            }
        })
        .collect_view()
    };
    let height = 3.0 * BAR_H + 2.0 * GAP;
    view! {
        <svg
            class="young-funnel"
            id="reserve-funnel"
            viewBox=format!("0 0 {W} {height}")
            role="img"
            aria-label=move || t(YoungMsg::FunnelAria)()
        >
            {stages}
        </svg>
    }
}
