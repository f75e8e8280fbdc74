//! The programme figures of this tablet's own unit, on its home screen (being built).

use leptos::prelude::*;

#[component]
pub fn UnitFigures() -> impl IntoView {
    view! { <span hidden=true></span> }
}
