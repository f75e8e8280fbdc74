//! The 群雁 forms' building blocks: a labelled text/date/number field and
//! a labelled choice, each with its message (`<id>-error`) when refused,
//! the big on/off toggle, and the words of where a save stands.

use leptos::prelude::*;

use crate::i18n::t;
use crate::modules::flock::form::FlockErrors;
use crate::modules::flock::messages::FlockMsg;
use crate::ui::choice_field::ChoiceField;
use crate::ui::text_field::TextField;

/// A labelled input (`kind`: text, date, number) bound to `sig`.
pub fn text_field(
    id: &'static str,
    field: &'static str,
    label: FlockMsg,
    sig: RwSignal<String>,
    errors: RwSignal<FlockErrors>,
    kind: &'static str,
) -> impl IntoView {
    let inputmode = (kind == "number").then_some("numeric");
    view! { <TextField id=id label=label field=field value=sig errors=errors kind=kind inputmode=inputmode/> }
}

/// A labelled select over `all` (option values are indices) bound to `sig`.
pub fn choice<T: Copy + PartialEq + Send + Sync + 'static>(
    id: &'static str,
    label: FlockMsg,
    all: &'static [T],
    sig: RwSignal<T>,
    name: fn(T) -> FlockMsg,
) -> impl IntoView {
    view! { <ChoiceField id=id label=label all=all value=sig name=name/> }
}

/// A big on/off button (aria-pressed) bound to `sig`.
pub fn toggle(id: &'static str, label: FlockMsg, sig: RwSignal<bool>) -> impl IntoView {
    view! {
        <div class="field">
            <button
                type="button"
                id=id
                class="flock-toggle"
                aria-pressed=move || sig.get().to_string()
                on:click=move |_| sig.update(|v| *v = !*v)
            >
                <span class="flock-toggle-mark">{move || if sig.get() { "✓" } else { "" }}</span>
                {t(label)}
            </button>
        </div>
    }
}
