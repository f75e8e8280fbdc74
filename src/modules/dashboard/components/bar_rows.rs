//! Horizontal bars as inline SVG, one row per item: `row` draws an item
//! at the top of its row (`y`); with no items, "no data" instead.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::modules::dashboard::messages::DashMsg;
use crate::ui::empty_note::EmptyNote;

/// The chart's width (the SVG's view box).
pub const WIDTH: f64 = 960.0;

#[component]
pub fn BarRows<T, F, V>(
    #[prop(into)] rows: Signal<Vec<T>>,
    /// A row's height.
    row_height: f64,
    /// What the chart shows (its accessible name).
    label: DashMsg,
    /// One item's `<g>` at its row's top.
    row: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(f64, T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    move || {
        let r = rows.get();
        if r.is_empty() {
            return view! { <EmptyNote msg=DashMsg::ChartNoData small=true/> }.into_any();
        }
        let height = r.len() as f64 * row_height;
        let bars = r
            .into_iter()
            .enumerate()
            .map(|(i, c)| row(i as f64 * row_height, c))
            .collect_view();
        view! {
            <svg class="chart bars" viewBox=format!("0 0 {WIDTH} {height}") role="img"
                aria-label=move || label.text(i18n.lang.get())>
                {bars}
            </svg>
        }
        .into_any()
    }
}
