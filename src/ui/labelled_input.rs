//! A label and its input straight in a form, with no field box around
//! them (the shell's forms: settings, enrolment, unlock): bound to a
//! signal, marked `invalid` while its problem (or `invalid`) holds, its
//! problem after it (`<id>-error`); a PIN input with `pin`.

use leptos::prelude::*;

use crate::i18n::{Text, t, use_i18n};

#[component]
pub fn LabelledInput<M: Text>(
    id: &'static str,
    label: M,
    value: RwSignal<String>,
    /// The input's type (`password` with `pin`).
    #[prop(default = "text")]
    kind: &'static str,
    /// A PIN: hidden digits, up to 12, with the numeric keyboard.
    #[prop(optional)]
    pin: bool,
    #[prop(optional)] class: Option<&'static str>,
    #[prop(optional)] placeholder: Option<M>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] autocapitalize: Option<&'static str>,
    #[prop(optional)] spellcheck: Option<&'static str>,
    #[prop(optional)] autofocus: bool,
    /// Marked invalid (when the problem is shown elsewhere).
    #[prop(optional, into)]
    invalid: Signal<bool>,
    /// The input's problem, shown after it.
    #[prop(optional, into)]
    error: Option<Signal<Option<M>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (kind, class, inputmode) = if pin {
        ("password", Some("pin-input"), Some("numeric"))
    } else {
        (kind, class, inputmode)
    };
    let bad = move || invalid.get() || error.is_some_and(|e| e.with(Option::is_some));
    view! {
        <label for=id>{t(label)}</label>
        <input
            type=kind
            id=id
            class=class
            inputmode=inputmode
            pattern=pin.then_some("[0-9]*")
            autocomplete=autocomplete
            autocapitalize=autocapitalize
            spellcheck=spellcheck
            maxlength=pin.then_some("12")
            autofocus=autofocus
            placeholder=move || placeholder.map(|m| m.text(i18n.lang.get()))
            class:invalid=bad
            bind:value=value
        />
        {move || error.and_then(|e| e.get()).map(|m| view! {
            <p class="field-error" id=format!("{id}-error") role="alert">{t(m)}</p>
        })}
    }
}
