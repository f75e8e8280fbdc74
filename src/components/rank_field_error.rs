//! The message next to a field of a rank-screen form when what was typed is
//! refused (role="alert", id `<field id>-error`); nothing when it is fine.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::rank::form::RankErrors;

#[component]
pub fn RankFieldError(
    /// The field's element id; the message gets `<id>-error`.
    id: &'static str,
    /// The model's field name the message belongs to.
    field: &'static str,
    errors: RwSignal<RankErrors>,
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
