//! The message next to a form field when what was typed is refused
//! (role="alert", id `<field id>-error`); nothing when the field is fine.
//! One component for every module's forms: the problems are a
//! [`FieldMap`] of that module's words.

use leptos::prelude::*;

use crate::i18n::{Text, use_i18n};
use crate::ui::form_errors::FieldMap;

#[component]
pub fn FieldError<E: Text>(
    /// The field's element id; the message gets `<id>-error`.
    #[prop(into)]
    id: String,
    /// The model's field name the message belongs to.
    field: &'static str,
    errors: RwSignal<FieldMap<E>>,
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
