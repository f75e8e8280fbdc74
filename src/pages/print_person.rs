//! The A4 print layout of a person file (being built).

use crate::components::empty_state::EmptyState;
use leptos::prelude::*;

#[component]
pub fn PrintPersonPage() -> impl IntoView {
    view! { <EmptyState/> }
}
