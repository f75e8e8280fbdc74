//! The dashboard's filters: township/street (or the whole district) and
//! year (or all years). Values are ids and years as text; empty = all.

use leptos::prelude::*;

use crate::i18n::t;
use crate::modules::dashboard::messages::DashMsg;

#[component]
pub fn DashFilters(
    /// (township id, name) choices.
    #[prop(into)]
    townships: Signal<Vec<(String, String)>>,
    /// Years to choose from.
    #[prop(into)]
    years: Signal<Vec<u16>>,
    /// The chosen township id ("" = whole district).
    township: RwSignal<String>,
    /// The year shown ("" = all years).
    #[prop(into)]
    year: Signal<String>,
    /// The person picks a year ("" = all years).
    on_year: Callback<String>,
) -> impl IntoView {
    view! {
        <div class="card dash-filters">
            <div class="dash-filter">
                <label for="dash-township">{t(DashMsg::FilterTownship)}</label>
                <select id="dash-township" prop:value=move || township.get()
                    on:change=move |ev| township.set(event_target_value(&ev))>
                    <option value="" selected=move || township.get().is_empty()>{t(DashMsg::FilterAllTownships)}</option>
                    {move || townships.get().into_iter().map(|(id, name)| {
                        let v = id.clone();
                        view! { <option value=id selected=move || township.get() == v>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="dash-filter">
                <label for="dash-year">{t(DashMsg::FilterYear)}</label>
                <select id="dash-year" prop:value=move || year.get()
                    on:change=move |ev| on_year.run(event_target_value(&ev))>
                    <option value="" selected=move || year.get().is_empty()>{t(DashMsg::FilterAllYears)}</option>
                    {move || years.get().into_iter().rev().map(|y| {
                        let v = y.to_string();
                        let s = v.clone();
                        view! { <option value=v selected=move || year.get() == s>{y}</option> }
                    }).collect_view()}
                </select>
            </div>
        </div>
    }
}
