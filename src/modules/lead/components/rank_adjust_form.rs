//! The adjust form of a secretary ranked last two years running: the date
//! and the reason of the adjustment, submit or cancel.

use leptos::prelude::*;
use yanzhen_model::Id;

use crate::i18n::{t, use_i18n};
use crate::modules::lead::messages::rank::RankMsg;
use crate::modules::lead::rank::form::RankErrors;
use crate::ui::field_error::FieldError;

#[component]
pub fn RankAdjustForm(
    date: RwSignal<String>,
    reason: RwSignal<String>,
    errors: RwSignal<RankErrors>,
    /// The assessment being adjusted (cancel clears it).
    adjusting: RwSignal<Option<Id>>,
    #[prop(into)] on_submit: Callback<leptos::ev::SubmitEvent>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form class="form rank-form adjust-form" id="adjust-form" on:submit=move |ev| on_submit.run(ev) novalidate=true>
            <div class="field-grid">
                <div class="field">
                    <label for="adjust-date">{t(RankMsg::AdjustDate)}</label>
                    <input type="date" id="adjust-date" bind:value=date/>
                    <FieldError id="adjust-date" field="adjustment.date" errors=errors/>
                </div>
                <div class="field field-wide">
                    <label for="adjust-reason">{t(RankMsg::AdjustReason)}</label>
                    <input type="text" id="adjust-reason" autocomplete="off"
                        placeholder=move || RankMsg::AdjustReasonHint.text(i18n.lang.get())
                        bind:value=reason/>
                    <FieldError id="adjust-reason" field="adjustment.reason" errors=errors/>
                </div>
            </div>
            <div class="form-actions">
                <button type="submit" class="button danger" id="adjust-submit">{t(RankMsg::AdjustSubmit)}</button>
                <button type="button" class="button" id="adjust-cancel" on:click=move |_| adjusting.set(None)>
                    {t(RankMsg::Cancel)}
                </button>
            </div>
        </form>
    }
}
