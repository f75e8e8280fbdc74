//! The words next to a review or filing form's button: refused (fix the
//! fields), not written, saving, saved on this tablet. `id` names the
//! element (tests and screen readers find it).

use leptos::prelude::*;

use crate::i18n::{Msg, t};
use crate::pages::person_data::SaveState;

#[component]
pub fn ReviewState(id: &'static str, state: Signal<SaveState>) -> impl IntoView {
    move || {
        match state.get() {
        SaveState::Idle => None,
        SaveState::Invalid => Some(view! { <span class="field-error" id=id data-state="invalid" role="alert">{t(Msg::PersonFixErrors)}</span> }.into_any()),
        SaveState::Failed => Some(view! { <span class="field-error" id=id data-state="failed" role="alert">{t(Msg::PersonWriteFailed)}</span> }.into_any()),
        SaveState::Saving => Some(view! { <span class="saving" id=id data-state="saving" role="status">{t(Msg::PersonSaving)}</span> }.into_any()),
        SaveState::Saved => Some(view! { <span class="saved" id=id data-state="saved" role="status">{t(Msg::PersonSavedLocal)}</span> }.into_any()),
    }
    }
}
