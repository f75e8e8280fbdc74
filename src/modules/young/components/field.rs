//! One labelled text field of a 雏雁 form (dates are typed as YYYY-MM-DD),
//! marked and followed by its message (id `<id>-error`, role="alert") when
//! what was typed is refused.

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};
use crate::modules::young::form::YErrors;
use crate::modules::young::messages::YoungMsg;

#[component]
pub fn YoungField(
    /// The input's element id.
    id: &'static str,
    label: YoungMsg,
    /// The model's field name its problems are filed under.
    field: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<YErrors>,
    /// A date field (placeholder YYYY-MM-DD).
    #[prop(optional)]
    date: bool,
    /// Disabled (the tablet may not write).
    #[prop(optional, into)]
    disabled: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let err_id = format!("{id}-error");
    let problem = move || errors.with(|e| e.get(field));
    view! {
        <div class="field">
            <label for=id>{t(label)}</label>
            <input
                type="text"
                id=id
                autocomplete="off"
                inputmode=if date { "numeric" } else { "text" }
                placeholder=if date { "YYYY-MM-DD" } else { "" }
                class:invalid=move || problem().is_some()
                prop:disabled=disabled
                bind:value=value
            />
            {move || problem().map(|e| view! {
                <p class="field-error" id=err_id.clone() role="alert">{move || e.text(i18n.lang.get())}</p>
            })}
        </div>
    }
}
