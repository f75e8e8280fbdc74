//! The message for a 雏雁 form field that has no input of its own (a
//! choice): id `<id>-error`, role="alert"; nothing when the field is fine.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::young::form::YErrors;

#[component]
pub fn YoungError(
    id: &'static str,
    field: &'static str,
    errors: RwSignal<YErrors>,
) -> impl IntoView {
    let i18n = use_i18n();
    let err_id = format!("{id}-error");
    move || {
        errors.with(|e| e.get(field)).map(|e| {
            view! { <p class="field-error" id=err_id.clone() role="alert">{move || e.text(i18n.lang.get())}</p> }
        })
    }
}
