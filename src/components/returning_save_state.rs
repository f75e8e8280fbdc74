//! Where a 归雁 save stands, in words next to its button (`id`): saving,
//! saved on this tablet, refused (fix the marked fields) or failed.

use leptos::prelude::*;

use crate::i18n::{ReturningMsg, t};
use crate::pages::person_data::SaveState;

#[component]
pub fn ReturningSaveState(id: &'static str, state: RwSignal<SaveState>) -> impl IntoView {
    move || {
        match state.get() {
        SaveState::Idle => None,
        SaveState::Saving => Some(view! { <span class="saving" id=id role="status">{t(ReturningMsg::Saving)}</span> }.into_any()),
        SaveState::Saved => Some(view! { <span class="saved" id=id role="status">{t(ReturningMsg::Saved)}</span> }.into_any()),
        SaveState::Invalid => Some(view! { <span class="field-error" id=id role="alert">{t(ReturningMsg::FixErrors)}</span> }.into_any()),
        SaveState::Failed => Some(view! { <span class="field-error" id=id role="alert">{t(ReturningMsg::WriteFailed)}</span> }.into_any()),
    }
    }
}
