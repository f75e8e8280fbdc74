//! Where a form's save stands, in words next to its button (`#<id>` with
//! `data-state`): refused (fix the marked fields), failed, saving on this
//! tablet, saved on this tablet; nothing before the first save. One
//! component for every module's forms: each module gives its words
//! (a [`SaveWords`] in its messages; the roster's and the review's,
//! in the shell's words, are [`ROSTER`]).

use leptos::prelude::*;

use crate::data::save::SaveState;
use crate::i18n::{Msg, Text, use_i18n};

/// A module's words for the four states.
#[derive(Clone, Copy, Debug)]
pub struct SaveWords<M> {
    pub invalid: M,
    pub failed: M,
    pub saving: M,
    pub saved: M,
}

/// The roster's and the review's words.
pub const ROSTER: SaveWords<Msg> = SaveWords {
    invalid: Msg::PersonFixErrors,
    failed: Msg::PersonWriteFailed,
    saving: Msg::PersonSaving,
    saved: Msg::PersonSavedLocal,
};

/// The class, `data-state`, words and role of a state (`None`: not saved yet).
pub fn shown<M: Text>(
    state: SaveState,
    w: SaveWords<M>,
) -> Option<(&'static str, &'static str, M, &'static str)> {
    Some(match state {
        SaveState::Idle => return None,
        SaveState::Invalid => ("field-error", "invalid", w.invalid, "alert"),
        SaveState::Failed => ("field-error", "failed", w.failed, "alert"),
        SaveState::Saving => ("saving", "saving", w.saving, "status"),
        SaveState::Saved => ("saved", "saved", w.saved, "status"),
    })
}

#[component]
pub fn SaveNote<M: Text>(
    id: &'static str,
    #[prop(into)] state: Signal<SaveState>,
    words: SaveWords<M>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        shown(state.get(), words).map(|(class, data, msg, role)| {
            view! {
                <span class=class id=id data-state=data role=role>
                    {move || msg.text(i18n.lang.get())}
                </span>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_state_has_its_words_role_and_data_state() {
        assert_eq!(shown(SaveState::Idle, ROSTER), None);
        assert_eq!(
            shown(SaveState::Invalid, ROSTER),
            Some(("field-error", "invalid", Msg::PersonFixErrors, "alert"))
        );
        assert_eq!(
            shown(SaveState::Failed, ROSTER),
            Some(("field-error", "failed", Msg::PersonWriteFailed, "alert"))
        );
        assert_eq!(
            shown(SaveState::Saving, ROSTER),
            Some(("saving", "saving", Msg::PersonSaving, "status"))
        );
        assert_eq!(
            shown(SaveState::Saved, ROSTER),
            Some(("saved", "saved", Msg::PersonSavedLocal, "status"))
        );
    }
}
