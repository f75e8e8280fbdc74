//! A funnel as inline SVG: one centred bar per step, as wide as its count
//! relative to the first step, with the step's name and count; an optional
//! closing line (the funds that arrived). Sized in SVG units, scaled to the
//! card's width, legible on a 10-inch tablet.

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};
use crate::modules::dashboard::charts::funnel_bar;
use crate::modules::dashboard::messages::DashMsg;

/// One step of a funnel.
#[derive(Clone, Debug, PartialEq)]
pub struct FunnelStep {
    pub key: &'static str,
    pub label: DashMsg,
    pub value: usize,
}

const WIDTH: f64 = 480.0;
const BAR: f64 = 44.0;
const GAP: f64 = 12.0;

#[component]
pub fn DashFunnel(
    /// The element id.
    id: &'static str,
    title: DashMsg,
    #[prop(into)] steps: Signal<Vec<FunnelStep>>,
    /// A closing line under the funnel: label, value, unit.
    #[prop(into, optional)]
    closing: Option<Signal<(DashMsg, String, DashMsg)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let chart = move || {
        let s = steps.get();
        let max = s.first().map_or(0.0, |x| x.value as f64);
        let height = s.len() as f64 * (BAR + GAP);
        let bars = s
            .iter()
            .enumerate()
            .map(|(i, step)| {
                let span = funnel_bar(step.value as f64, max, WIDTH);
                let y = i as f64 * (BAR + GAP);
                let label = step.label;
                view! {
                    <g class="funnel-step" data-step=step.key data-value=step.value.to_string()>
                        <rect class=format!("funnel-bar funnel-bar-{i}") x=format!("{:.1}", span.x) y=format!("{y:.1}")
                            width=format!("{:.1}", span.width) height=format!("{BAR}") rx="8"/>
                        <text class="funnel-text" x=format!("{}", WIDTH / 2.0) y=format!("{:.1}", y + BAR / 2.0 + 7.0) text-anchor="middle">
                            {move || label.text(i18n.lang.get())} "  " {step.value}
                        </text>
                    </g>
                }
            })
            .collect_view();
        view! {
            <svg class="chart funnel" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=move || title.text(i18n.lang.get())>
                {bars}
            </svg>
        }
    };
    view! {
        <section class="card dash-chart" id=id>
            <h3>{t(title)}</h3>
            {chart}
            {closing.map(|c| view! {
                <p class="funnel-closing" data-value=move || c.get().1>
                    <span>{move || c.get().0.text(i18n.lang.get())}</span>
                    " "
                    <strong>{move || c.get().1}</strong>
                    " "
                    <span>{move || c.get().2.text(i18n.lang.get())}</span>
                </p>
            })}
        </section>
    }
}
