//! The SVG frame of a 归雁 chart: an image with its accessible name in the
//! screen's words, drawn in its view box.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::modules::returning::messages::ReturningMsg;

#[component]
pub fn ReturningChart(
    class: &'static str,
    id: &'static str,
    /// What the chart shows (its accessible name).
    label: ReturningMsg,
    #[prop(into)] view_box: Signal<String>,
    /// How the drawing sits in a box of another shape (`preserveAspectRatio`).
    #[prop(optional)]
    fit: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <svg
            class=class
            id=id
            role="img"
            aria-label=move || label.text(i18n.lang.get())
            viewBox=move || view_box.get()
            preserveAspectRatio=fit
        >
            {children()}
        </svg>
    }
}
