//! The options of a year select: every year given, the picked one
//! selected (the select itself, its label and what picking does stay with
//! the screen).

use leptos::prelude::*;

#[component]
pub fn YearOptions(
    #[prop(into)] years: Signal<Vec<u16>>,
    /// The picked year.
    year: RwSignal<Option<u16>>,
) -> impl IntoView {
    move || {
        years
            .get()
            .into_iter()
            .map(|y| view! { <option value=y.to_string() selected=move || year.get() == Some(y)>{y}</option> })
            .collect_view()
    }
}
