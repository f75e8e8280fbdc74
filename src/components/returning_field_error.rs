//! The message next to a 归雁 form field when what was typed is refused
//! (role="alert", id `<field id>-error`); nothing when the field is fine.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::returning::form::Errors;

#[component]
pub fn ReturningFieldError(
    /// The field's element id; the message gets `<id>-error`.
    id: &'static str,
    /// The model's field name the message belongs to.
    field: &'static str,
    errors: RwSignal<Errors>,
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
