//! The outcome form of a picked reserve cadre: still in training, entered
//! the two committees or left, with its date (not before the selection),
//! and where its save stands.

use leptos::prelude::*;
use yanzhen_model::entities::ReserveOutcome;

use crate::data::save::SaveState;
use crate::i18n::t;
use crate::modules::young::components::field::YoungField;
use crate::modules::young::form::YErrors;
use crate::modules::young::labels::outcome;
use crate::modules::young::messages::{SAVE_WORDS, YoungMsg};
use crate::ui::choice_field::ChoiceField;
use crate::ui::save_actions::SaveActions;

#[component]
pub fn ReserveOutcomeForm(
    kind: RwSignal<ReserveOutcome>,
    date: RwSignal<String>,
    errors: RwSignal<YErrors>,
    state: RwSignal<SaveState>,
    /// Saves the outcome.
    #[prop(into)]
    on_save: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="form young-outcome-form">
            <h3>{t(YoungMsg::OutcomeTitle)}</h3>
            <div class="field-grid">
                <ChoiceField id="outcome-kind" label=YoungMsg::OutcomeKind all=ReserveOutcome::ALL value=kind name=outcome/>
                <YoungField id="outcome-date" label=YoungMsg::OutcomeDate field="outcome_date" value=date errors=errors date=true/>
            </div>
            <SaveActions button_id="outcome-save" label=YoungMsg::SaveOutcome on_click=on_save state_id="outcome-save-state" state=state words=SAVE_WORDS/>
        </div>
    }
}
