//! Where a 雏雁 save stands, next to its button (id given): refused, failed,
//! saving, or saved on this tablet (IndexedDB has it).

use leptos::prelude::*;

use crate::i18n::{YoungMsg, t};
use crate::pages::person_data::SaveState;

#[component]
pub fn YoungSaveState(id: &'static str, state: RwSignal<SaveState>) -> impl IntoView {
    move || {
        let (msg, class) = match state.get() {
            SaveState::Idle => return None,
            SaveState::Invalid => (YoungMsg::SaveInvalid, "field-error"),
            SaveState::Failed => (YoungMsg::SaveFailed, "field-error"),
            SaveState::Saving => (YoungMsg::SaveSaving, "saving"),
            SaveState::Saved => (YoungMsg::SaveSaved, "saved"),
        };
        Some(view! { <span id=id class=class role="status">{t(msg)}</span> })
    }
}
