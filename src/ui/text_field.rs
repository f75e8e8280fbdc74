//! A labelled text input (text, date, number, tel …) bound to a signal,
//! marked `invalid` and followed by its message ([`FieldError`]) when the
//! form refuses what was typed; the problems are a [`FieldMap`] of a
//! module's words.

use leptos::prelude::*;

use crate::i18n::{Text, t};
use crate::ui::field_error::FieldError;
use crate::ui::form_errors::FieldMap;

#[component]
pub fn TextField<M: Text, E: Text>(
    /// The input's element id; its message gets `<id>-error`.
    #[prop(into)]
    id: String,
    label: M,
    /// The model's field name its problems are filed under.
    field: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<FieldMap<E>>,
    /// The input's type.
    #[prop(default = "text")]
    kind: &'static str,
    /// The on-screen keyboard to offer (`numeric`, `decimal`, …).
    #[prop(default = None, into)]
    inputmode: Option<&'static str>,
    #[prop(default = None, into)] placeholder: Option<&'static str>,
    /// The browser's autofill (`off` unless told).
    #[prop(default = Some("off"), into)]
    autocomplete: Option<&'static str>,
    /// Disabled (the tablet may not write).
    #[prop(optional, into)]
    disabled: Signal<bool>,
    /// Spans the whole field grid (`field-wide`).
    #[prop(optional)]
    wide: bool,
) -> impl IntoView {
    view! {
        <div class="field" class:field-wide=wide>
            <label for=id.clone()>{t(label)}</label>
            <input
                type=kind
                id=id.clone()
                autocomplete=autocomplete
                inputmode=inputmode
                placeholder=placeholder
                class:invalid=move || errors.with(|e| e.get(field).is_some())
                prop:disabled=disabled
                bind:value=value
            />
            <FieldError id=id field=field errors=errors/>
        </div>
    }
}
