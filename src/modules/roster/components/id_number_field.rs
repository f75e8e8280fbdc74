//! The resident ID number on a person's file: shown masked
//! (`mask_id_number`) until a tap on "show the full number"; then an input
//! to correct it. A new person's form starts revealed.

use leptos::prelude::*;
use yanzhen_model::validate::mask_id_number;

use crate::data::person_form::FieldErrors;
use crate::i18n::{Msg, t};
use crate::ui::field_error::FieldError;

#[component]
pub fn IdNumberField(
    value: RwSignal<String>,
    revealed: RwSignal<bool>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let masked = move || {
        let v = value.get();
        (!v.is_empty()).then(|| mask_id_number(&v))
    };
    view! {
        <div class="field field-wide">
            <label for="person-id_number">{t(Msg::FieldIdNumber)}</label>
            <Show
                when=move || revealed.get() || errors.with(|e| e.get("id_number").is_some())
                fallback=move || {
                    view! {
                        <div class="id-masked-row">
                            <span class="id-masked" id="person-id-masked">
                                {move || match masked() {
                                    Some(m) => m,
                                    None => t(Msg::IdEmpty)().to_owned(),
                                }}
                            </span>
                            <button type="button" class="button" id="person-id-reveal" on:click=move |_| revealed.set(true)>
                                {t(Msg::IdReveal)}
                            </button>
                        </div>
                    }
                }
            >
                <div class="id-masked-row">
                    <input
                        type="text"
                        id="person-id_number"
                        inputmode="text"
                        autocomplete="off"
                        maxlength="18"
                        class:invalid=move || errors.with(|e| e.get("id_number").is_some())
                        bind:value=value
                    />
                    <button type="button" class="button" id="person-id-hide" on:click=move |_| revealed.set(false)>
                        {t(Msg::IdHide)}
                    </button>
                </div>
            </Show>
            <FieldError id="person-id_number" field="id_number" errors=errors/>
        </div>
    }
}
