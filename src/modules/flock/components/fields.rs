//! The 群雁 forms' building blocks: a labelled text/date/number field and
//! a labelled choice, each with its message (`<id>-error`) when refused,
//! the big on/off toggle, and the words of where a save stands.

use leptos::prelude::*;

use crate::i18n::t;
use crate::modules::flock::form::FlockErrors;
use crate::modules::flock::messages::FlockMsg;
use crate::ui::field_error::FieldError;

/// A labelled input (`kind`: text, date, number) bound to `sig`.
pub fn text_field(
    id: &'static str,
    field: &'static str,
    label: FlockMsg,
    sig: RwSignal<String>,
    errors: RwSignal<FlockErrors>,
    kind: &'static str,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{t(label)}</label>
            <input
                type=kind
                id=id
                autocomplete="off"
                inputmode=(kind == "number").then_some("numeric")
                class:invalid=move || errors.with(|e| e.get(field).is_some())
                bind:value=sig
            />
            <FieldError id=id field=field errors=errors/>
        </div>
    }
}

/// A labelled select over `all` (option values are indices) bound to `sig`.
pub fn choice<T: Copy + PartialEq + Send + Sync + 'static>(
    id: &'static str,
    label: FlockMsg,
    all: &'static [T],
    sig: RwSignal<T>,
    name: fn(T) -> FlockMsg,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{t(label)}</label>
            <select
                id=id
                on:change=move |ev| {
                    if let Some(v) = event_target_value(&ev).parse::<usize>().ok().and_then(|i| all.get(i)) {
                        sig.set(*v);
                    }
                }
            >
                {all
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let v = *v;
                        view! { <option value=i.to_string() selected=move || sig.get() == v>{t(name(v))}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
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
