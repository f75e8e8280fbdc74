//! The A4 print layout of a secretary's filing form (being built).

use crate::components::empty_state::EmptyState;
use leptos::prelude::*;

#[component]
pub fn PrintFilingPage() -> impl IntoView {
    view! { <EmptyState/> }
}
