//! The village home screen's list of honorary secretaries and advisors due for contact this month and overdue (being built).

use leptos::prelude::*;

#[component]
pub fn ContactDue() -> impl IntoView {
    view! { <span hidden=true></span> }
}
