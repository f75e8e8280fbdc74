//! The score form of 年度考核: a secretary of the group (choosing one fills
//! in their score of the year, if any), score, grade and votes, and where
//! the save stands; on a tablet that may not write the district document,
//! why not.

use leptos::prelude::*;
use yanzhen_model::entities::{Grade, PersonRef};

use crate::data::save::SaveState;
use crate::i18n::t;
use crate::modules::lead::components::rank_locked::RankLocked;
use crate::modules::lead::messages::rank::{RankMsg, SAVE_WORDS};
use crate::modules::lead::rank::form::RankErrors;
use crate::modules::lead::rank::rows::{grade_msg, person_key};
use crate::ui::field_error::FieldError;
use crate::ui::save_actions::SaveActions;
use crate::ui::text_field::TextField;

/// The form's fields (all as typed; the grade is its index in `Grade::ALL`).
#[derive(Clone, Copy)]
pub struct ScoreFields {
    pub person: RwSignal<String>,
    pub score: RwSignal<String>,
    pub grade: RwSignal<String>,
    pub votes_for: RwSignal<String>,
    pub votes_total: RwSignal<String>,
}

#[component]
pub fn RankScoreForm(
    #[prop(into)] may_write: Signal<bool>,
    /// The group's secretaries.
    #[prop(into)]
    secretaries: Signal<Vec<(PersonRef, String)>>,
    fields: ScoreFields,
    errors: RwSignal<RankErrors>,
    state: RwSignal<SaveState>,
    /// A secretary chosen (their key).
    #[prop(into)]
    on_choose: Callback<String>,
    #[prop(into)] on_submit: Callback<leptos::ev::SubmitEvent>,
) -> impl IntoView {
    let ScoreFields {
        person,
        score,
        grade,
        votes_for,
        votes_total,
    } = fields;
    let person_options = move || {
        secretaries
            .get()
            .into_iter()
            .map(|(p, label)| {
                let key = person_key(&p);
                let k2 = key.clone();
                view! { <option value=key selected=move || person.get() == k2>{label}</option> }
            })
            .collect_view()
    };
    let grade_options = move || {
        Grade::ALL
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let v = i.to_string();
                let v2 = v.clone();
                view! { <option value=v selected=move || grade.get() == v2>{t(grade_msg(*g))}</option> }
            })
            .collect_view()
    };
    move || {
        if !may_write.get() {
            return view! { <RankLocked id="score-locked" msg=RankMsg::ScoreLocked/> }.into_any();
        }
        view! {
            <form class="form rank-form" id="score-form" on:submit=move |ev| on_submit.run(ev) novalidate=true>
                <p class="hint">{t(RankMsg::ScoreHint)}</p>
                <div class="field-grid">
                    <div class="field field-wide">
                        <label for="score-person">{t(RankMsg::Secretary)}</label>
                        <select id="score-person" on:change=move |ev| on_choose.run(event_target_value(&ev))>
                            <option value="" selected=move || person.get().is_empty()>{t(RankMsg::PickSecretary)}</option>
                            {person_options}
                        </select>
                        <FieldError id="score-person" field="person" errors=errors/>
                    </div>
                    <TextField id="score-value" label=RankMsg::Score field="score" value=score errors=errors inputmode="decimal"/>
                    <div class="field">
                        <label for="score-grade">{t(RankMsg::Grade)}</label>
                        <select id="score-grade" on:change=move |ev| grade.set(event_target_value(&ev))>
                            <option value="" selected=move || grade.get().is_empty()>{t(RankMsg::PickGrade)}</option>
                            {grade_options}
                        </select>
                        <FieldError id="score-grade" field="grade" errors=errors/>
                    </div>
                    <div class="field">
                        <label for="score-votes-for">{t(RankMsg::VotesFor)}</label>
                        <input type="text" inputmode="numeric" id="score-votes-for" autocomplete="off" bind:value=votes_for/>
                        <FieldError id="score-votes-for" field="votes_for" errors=errors/>
                    </div>
                    <div class="field">
                        <label for="score-votes-total">{t(RankMsg::VotesTotal)}</label>
                        <input type="text" inputmode="numeric" id="score-votes-total" autocomplete="off" bind:value=votes_total/>
                        <FieldError id="score-votes-total" field="votes_total" errors=errors/>
                    </div>
                </div>
                <SaveActions button_id="score-submit" label=RankMsg::Save state_id="score-state" state=state words=SAVE_WORDS/>
            </form>
        }
        .into_any()
    }
}
