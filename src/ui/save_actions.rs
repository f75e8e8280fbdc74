//! The row under a form: its save button (a submit button, or a plain
//! button with its own action) and where the save stands ([`SaveNote`]),
//! in a module's words.

use leptos::prelude::*;

use crate::data::save::SaveState;
use crate::i18n::{Text, t};
use crate::ui::save_note::{SaveNote, SaveWords};

#[component]
pub fn SaveActions<M: Text, W: Text>(
    /// The button's element id.
    button_id: &'static str,
    /// The button's words.
    label: M,
    /// The save note's element id.
    state_id: &'static str,
    #[prop(into)] state: Signal<SaveState>,
    /// The module's words for where a save stands.
    words: SaveWords<W>,
    /// A plain button with this action; without it, the form's submit button.
    #[prop(optional, into)]
    on_click: Option<Callback<()>>,
    /// Spans the whole field grid (`field-wide`).
    #[prop(optional)]
    wide: bool,
) -> impl IntoView {
    let button = match on_click {
        Some(cb) => view! {
            <button type="button" class="button primary" id=button_id on:click=move |_| cb.run(())>
                {t(label)}
            </button>
        }
        .into_any(),
        None => view! {
            <button type="submit" class="button primary" id=button_id>{t(label)}</button>
        }
        .into_any(),
    };
    view! {
        <div class="form-actions" class:field-wide=wide>
            {button}
            <SaveNote id=state_id state=state words=words/>
        </div>
    }
}
