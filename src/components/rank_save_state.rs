//! Where a rank-screen form's save stands, in words next to its button
//! (`#<id>` with `data-state`): refused (fix the marked fields), failed,
//! saving on this tablet, saved on this tablet.

use leptos::prelude::*;

use crate::i18n::{RankMsg, t};
use crate::pages::person_data::SaveState;

#[component]
pub fn RankSaveState(id: &'static str, state: RwSignal<SaveState>) -> impl IntoView {
    move || {
        let (class, data, msg, role) = match state.get() {
            SaveState::Idle => return None,
            SaveState::Invalid => ("field-error", "invalid", RankMsg::FixErrors, "alert"),
            SaveState::Failed => ("field-error", "failed", RankMsg::WriteFailed, "alert"),
            SaveState::Saving => ("saving", "saving", RankMsg::Saving, "status"),
            SaveState::Saved => ("saved", "saved", RankMsg::SavedLocal, "status"),
        };
        Some(view! { <span class=class id=id data-state=data role=role>{t(msg)}</span> })
    }
}
