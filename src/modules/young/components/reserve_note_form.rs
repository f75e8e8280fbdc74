//! The 传帮带 log form of a picked reserve cadre: a common entry in one tap
//! (the quick buttons fill the text in the current language) or typed
//! text, with the date and the mentor, and where its save stands.

use leptos::prelude::*;

use crate::data::save::SaveState;
use crate::i18n::{Lang, t, use_i18n};
use crate::modules::young::components::field::YoungField;
use crate::modules::young::form::YErrors;
use crate::modules::young::messages::{SAVE_WORDS, YoungMsg};
use crate::ui::save_actions::SaveActions;

const QUICK: [YoungMsg; 4] = [
    YoungMsg::Quick1,
    YoungMsg::Quick2,
    YoungMsg::Quick3,
    YoungMsg::Quick4,
];

#[component]
pub fn ReserveNoteForm(
    date: RwSignal<String>,
    mentor: RwSignal<String>,
    text: RwSignal<String>,
    errors: RwSignal<YErrors>,
    state: RwSignal<SaveState>,
    /// Saves the note.
    #[prop(into)]
    on_save: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="form young-note-form">
            <p class="hint">{t(YoungMsg::QuickHint)}</p>
            <div class="young-quick">
                {QUICK.into_iter().map(|m| view! {
                    <button
                        type="button"
                        class="button note-quick"
                        data-text=m.text(Lang::ZhCn)
                        on:click=move |_| text.set(m.text(i18n.lang.get_untracked()).to_owned())
                    >
                        {t(m)}
                    </button>
                }).collect_view()}
            </div>
            <div class="field-grid">
                <YoungField id="note-date" label=YoungMsg::NoteDate field="log.date" value=date errors=errors date=true/>
                <YoungField id="note-mentor" label=YoungMsg::NoteMentor field="log.mentor" value=mentor errors=errors/>
                <div class="field-wide">
                    <YoungField id="note-text" label=YoungMsg::NoteText field="log.note" value=text errors=errors/>
                </div>
            </div>
            <SaveActions button_id="note-save" label=YoungMsg::SaveNote on_click=on_save state_id="note-save-state" state=state words=SAVE_WORDS/>
        </div>
    }
}
