//! Where a form's save stands, in words next to its button (`#<id>` with
//! `data-state`): refused (fix the marked fields), failed, saving on this
//! tablet, saved on this tablet; nothing before the first save. One
//! component for every module's forms: each module gives its words
//! ([`ROSTER`], [`RANK`], [`RETURNING`], [`YOUNG`], [`FLOCK`]).

use leptos::prelude::*;

use crate::data::save::SaveState;
use crate::i18n::{Msg, Text, use_i18n};
use crate::modules::flock::messages::FlockMsg;
use crate::modules::lead::messages::rank::RankMsg;
use crate::modules::returning::messages::ReturningMsg;
use crate::modules::young::messages::YoungMsg;

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
/// The rank screens' words (头雁 assessment, commitments, economy).
pub const RANK: SaveWords<RankMsg> = SaveWords {
    invalid: RankMsg::FixErrors,
    failed: RankMsg::WriteFailed,
    saving: RankMsg::Saving,
    saved: RankMsg::SavedLocal,
};
/// 归雁's words.
pub const RETURNING: SaveWords<ReturningMsg> = SaveWords {
    invalid: ReturningMsg::FixErrors,
    failed: ReturningMsg::WriteFailed,
    saving: ReturningMsg::Saving,
    saved: ReturningMsg::Saved,
};
/// 雏雁's words.
pub const YOUNG: SaveWords<YoungMsg> = SaveWords {
    invalid: YoungMsg::SaveInvalid,
    failed: YoungMsg::SaveFailed,
    saving: YoungMsg::SaveSaving,
    saved: YoungMsg::SaveSaved,
};
/// 群雁's words.
pub const FLOCK: SaveWords<FlockMsg> = SaveWords {
    invalid: FlockMsg::FixErrors,
    failed: FlockMsg::SaveFailed,
    saving: FlockMsg::Saving,
    saved: FlockMsg::SavedLocal,
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
        assert_eq!(shown(SaveState::Idle, RANK), None);
        assert_eq!(
            shown(SaveState::Invalid, RANK),
            Some(("field-error", "invalid", RankMsg::FixErrors, "alert"))
        );
        assert_eq!(
            shown(SaveState::Failed, FLOCK),
            Some(("field-error", "failed", FlockMsg::SaveFailed, "alert"))
        );
        assert_eq!(
            shown(SaveState::Saving, YOUNG),
            Some(("saving", "saving", YoungMsg::SaveSaving, "status"))
        );
        assert_eq!(
            shown(SaveState::Saved, RETURNING),
            Some(("saved", "saved", ReturningMsg::Saved, "status"))
        );
        assert_eq!(
            shown(SaveState::Saved, ROSTER),
            Some(("saved", "saved", Msg::PersonSavedLocal, "status"))
        );
    }
}
