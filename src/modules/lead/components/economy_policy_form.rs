//! Editing the district's collective-economy reward policy (district admin
//! only: the policy is a district-document record): "edit" opens the form
//! filled with the shown year's policy, "add a year" with the newest
//! policy's figures for the next year. What is typed is read by
//! [`PolicyForm`] and judged by the model; a refused form shows each
//! problem at its field and writes nothing. A saved policy replaces the
//! year's policy (same record, so its history shows the change) and every
//! village's reward is recomputed from it on the screen.

use leptos::prelude::*;
use yanzhen_model::entities::RewardPolicy;
use yanzhen_model::store::DistrictData;

use crate::data::docs::district_doc;
use crate::data::ids::new_id;
use crate::data::save::SaveState;
use crate::data::save::settle;
use crate::i18n::t;
use crate::modules::lead::components::rank_locked::RankLocked;
use crate::modules::lead::messages::rank::RankMsg;
use crate::modules::lead::rank::data::{can_write, save_form};
use crate::modules::lead::rank::form::{PolicyForm, RankErrors};
use crate::sync::repo::use_sync;
use crate::ui::field_error::FieldError;
use crate::ui::save_note::SaveNote;

/// The policy record of `year` in `district`, if any.
fn policy_id(district: &DistrictData, year: u16) -> Option<yanzhen_model::Id> {
    district
        .policies
        .values()
        .filter(|p| p.year == year)
        .map(|p| p.id.clone())
        .min()
}

#[component]
pub fn EconomyPolicyForm(
    /// The district's data (None while loading).
    #[prop(into)]
    district: Signal<Option<DistrictData>>,
    /// The year shown on the screen.
    #[prop(into)]
    year: Signal<Option<u16>>,
    /// That year's policy, if any.
    #[prop(into)]
    policy: Signal<Option<RewardPolicy>>,
    /// Called with the year of a saved policy (the screen shows that year).
    on_saved: Callback<u16>,
) -> impl IntoView {
    let sync = use_sync();
    let doc = district_doc(sync);
    let may_write = Memo::new(move |_| can_write(sync, doc.get()));
    let open = RwSignal::new(false);
    let form = RwSignal::new(PolicyForm::default());
    let errors = RwSignal::new(RankErrors::default());
    let state = RwSignal::new(SaveState::Idle);
    settle(sync, move || doc.get(), vec![state]);

    let start_edit = move |_| {
        let f = match policy.get_untracked() {
            Some(p) => PolicyForm::from_policy(&p),
            None => PolicyForm {
                year: year
                    .get_untracked()
                    .map(|y| y.to_string())
                    .unwrap_or_default(),
                ..PolicyForm::default()
            },
        };
        form.set(f);
        errors.set(RankErrors::default());
        state.set(SaveState::Idle);
        open.set(true);
    };
    let start_new = move |_| {
        let newest = district.with_untracked(|d| {
            d.as_ref()
                .and_then(|d| d.policies.values().max_by_key(|p| p.year).cloned())
        });
        let f = match newest {
            Some(p) => PolicyForm {
                year: (p.year + 1).to_string(),
                ..PolicyForm::from_policy(&p)
            },
            None => PolicyForm::default(),
        };
        form.set(f);
        errors.set(RankErrors::default());
        state.set(SaveState::Idle);
        open.set(true);
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let existing =
            |y: u16| district.with_untracked(|x| x.as_ref().and_then(|x| policy_id(x, y)));
        let record = form.with_untracked(|f| f.to_policy(new_id(), existing));
        let year = record.as_ref().ok().map(|r| r.year);
        if save_form(
            sync,
            doc.get_untracked(),
            record,
            "base_reward_yuan",
            errors,
            state,
        ) && let Some(y) = year
        {
            on_saved.run(y);
        }
    };

    // One text field of the form: label, input bound to `get`/`set` of the
    // form, and the message for the model field `field`.
    let field = move |id: &'static str,
                      field: &'static str,
                      label: RankMsg,
                      get: fn(&PolicyForm) -> &String,
                      set: fn(&mut PolicyForm, String)| {
        view! {
            <div class="field">
                <label for=id>{t(label)}</label>
                <input type="text" inputmode="numeric" id=id autocomplete="off"
                    class:invalid=move || errors.with(|e| e.get(field).is_some())
                    prop:value=move || form.with(|f| get(f).clone())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        form.update(|f| set(f, v));
                        state.set(SaveState::Idle);
                    }/>
                <FieldError id=id field=field errors=errors/>
            </div>
        }
    };

    move || {
        if !may_write.get() {
            return view! { <RankLocked id="policy-locked" msg=RankMsg::PolicyLocked/> }.into_any();
        }
        if !open.get() {
            return view! {
                <div class="form-actions">
                    <button type="button" class="button" id="policy-edit" on:click=start_edit>
                        {t(RankMsg::PolicyEdit)}
                    </button>
                    <button type="button" class="button" id="policy-new" on:click=start_new>
                        {t(RankMsg::PolicyNew)}
                    </button>
                </div>
            }
            .into_any();
        }
        view! {
            <form class="form rank-form" id="policy-form" on:submit=save novalidate=true>
                <h3>{t(RankMsg::PolicyEditTitle)}</h3>
                <p class="hint">{t(RankMsg::PolicyEditHint)}</p>
                <div class="field-grid">
                    {field("policy-year", "year", RankMsg::Year, |f| &f.year, |f, v| f.year = v)}
                    {field("policy-base-threshold", "base_threshold_yuan", RankMsg::PolicyThreshold,
                        |f| &f.base_threshold, |f, v| f.base_threshold = v)}
                    {field("policy-base-reward", "base_reward_yuan", RankMsg::PolicyBase,
                        |f| &f.base_reward, |f, v| f.base_reward = v)}
                    {field("policy-permille-input", "increment_permille", RankMsg::PolicyPermille,
                        |f| &f.permille, |f, v| f.permille = v)}
                    {field("policy-cap-input", "increment_cap_yuan", RankMsg::PolicyCap,
                        |f| &f.cap, |f, v| f.cap = v)}
                    {field("policy-top-n-input", "top_n", RankMsg::PolicyTopN,
                        |f| &f.top_n, |f, v| f.top_n = v)}
                    {field("policy-top-bonus", "top_bonus_yuan", RankMsg::PolicyTop,
                        |f| &f.top_bonus, |f, v| f.top_bonus = v)}
                </div>
                <div class="form-actions">
                    <button type="submit" class="button primary" id="policy-submit">{t(RankMsg::PolicySubmit)}</button>
                    <button type="button" class="button" id="policy-cancel" on:click=move |_| open.set(false)>
                        {t(RankMsg::PolicyCancel)}
                    </button>
                    <SaveNote id="policy-state" state=state words=crate::modules::lead::messages::rank::SAVE_WORDS/>
                </div>
            </form>
        }
        .into_any()
    }
}
