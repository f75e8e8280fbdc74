//! The message next to a form field when what was typed is refused
//! (role="alert", id `<field id>-error`); nothing when the field is fine.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::roster::form::FieldErrors;

#[component]
pub fn FieldError(
    /// The field's element id; the message gets `<id>-error`.
    id: String,
    /// The model's field name the message belongs to.
    field: &'static str,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("{id}-error");
    move || {
        errors.with(|e| e.get(field)).map(|e| {
            view! {
                <p class="field-error" id=id.clone() role="alert">
                    {move || e.text(i18n.lang.get())}
                </p>
            }
        })
    }
}
