//! Recording a community worker's pay for a year: the community (those this
//! tablet may write), the worker (its community workers from the roster),
//! the year and the annual pay. What is typed is read by [`PayForm`] and
//! judged by the model (a negative amount is refused); a refused form shows
//! each problem at its field and writes nothing. The worker's record of the
//! year is replaced, so there is one pay per worker and year.

use leptos::prelude::*;
use yanzhen_model::Id;
use yanzhen_model::entities::{PersonCategory, UnitKind};
use yanzhen_model::sorting;
use yanzhen_model::store::{DistrictData, UnitData};
use yanzhen_sync::DocumentId;

use crate::data::ids::new_id;
use crate::data::save::SaveState;
use crate::data::save::settle;
use crate::i18n::t;
use crate::modules::lead::components::rank_locked::RankLocked;
use crate::modules::lead::messages::rank::RankMsg;
use crate::modules::lead::rank::data::{UnitsHere, save_form};
use crate::modules::lead::rank::form::{PayForm, RankErrors};
use crate::modules::lead::rank::rows::units_of_kind;
use crate::sync::repo::use_sync;
use crate::sync::status::may_write;
use crate::ui::field_error::FieldError;
use crate::ui::save_actions::SaveActions;
use crate::ui::text_field::TextField;

/// The community workers of `unit` as (id, name), by name.
fn workers(unit: &UnitData) -> Vec<(Id, String)> {
    let mut out: Vec<(Id, String)> = unit
        .people
        .values()
        .filter(|p| p.category == PersonCategory::CommunityWorker)
        .map(|p| (p.id.clone(), p.name.clone()))
        .collect();
    sorting::sort_by(&mut out, |a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// The pay record of `person` in `year`, if any.
fn pay_id(unit: &UnitData, person: &Id, year: u16) -> Option<Id> {
    unit.pay
        .values()
        .filter(|p| &p.person_id == person && p.year == year)
        .map(|p| p.id.clone())
        .min()
}

#[component]
pub fn EconomyPayForm(
    /// Every unit document on this tablet with its data.
    #[prop(into)]
    units: Signal<UnitsHere>,
    /// The district's data (None while loading).
    #[prop(into)]
    district: Signal<Option<DistrictData>>,
    /// The year shown in the pay table (the form starts with it).
    #[prop(into)]
    year: Signal<Option<u16>>,
    /// Called with the document, the record and the year of a saved pay.
    on_saved: Callback<(DocumentId, Id, u16)>,
) -> impl IntoView {
    let sync = use_sync();
    let communities = Memo::new(move |_| {
        let rows = sync.docs.get();
        units.with(|u| {
            district.with(|d| {
                d.as_ref()
                    .map(|d| units_of_kind(d, u, UnitKind::Community, |id, _| may_write(&rows, id)))
                    .unwrap_or_default()
            })
        })
    });
    let unit = RwSignal::new(None::<DocumentId>);
    Effect::new(move |_| {
        let list = communities.get();
        if unit
            .get_untracked()
            .is_none_or(|d| !list.iter().any(|(x, _, _)| *x == d))
        {
            unit.set(list.first().map(|(d, _, _)| *d));
        }
    });
    let data = Memo::new(move |_| {
        let d = unit.get()?;
        units.with(|u| u.iter().find(|(id, _)| *id == d).map(|(_, x)| x.clone()))
    });
    let people = Memo::new(move |_| data.with(|d| d.as_ref().map(workers).unwrap_or_default()));
    let person = RwSignal::new(String::new());
    let form_year = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let errors = RwSignal::new(RankErrors::default());
    let state = RwSignal::new(SaveState::Idle);
    Effect::new(move |_| {
        if form_year.get_untracked().is_empty()
            && let Some(y) = year.get()
        {
            form_year.set(y.to_string());
        }
    });
    settle(sync, move || unit.get(), vec![state]);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(d), Some(u)) = (unit.get_untracked(), data.get_untracked()) else {
            state.set(SaveState::Failed);
            return;
        };
        let ids: Vec<Id> = people.with_untracked(|p| p.iter().map(|(id, _)| id.clone()).collect());
        let form = PayForm {
            person: person.get_untracked(),
            year: form_year.get_untracked(),
            amount: amount.get_untracked(),
        };
        let record = form.to_pay(new_id(), &ids, |p, y| pay_id(&u, p, y));
        let saved = record.as_ref().ok().map(|r| (r.id.clone(), r.year));
        if save_form(sync, Some(d), record, "annual_pay_yuan", errors, state)
            && let Some((rid, y)) = saved
        {
            on_saved.run((d, rid, y));
        }
    };

    move || {
        let list = communities.get();
        if list.is_empty() {
            return view! { <RankLocked id="pay-locked" msg=RankMsg::PayLocked/> }.into_any();
        }
        let many = list.len() > 1;
        let unit_options = list
            .into_iter()
            .map(|(d, _, name)| {
                view! { <option value=d.to_string() selected=move || unit.get() == Some(d)>{name}</option> }
            })
            .collect_view();
        let worker_options = move || {
            people
                .get()
                .into_iter()
                .map(|(id, name)| {
                    let v = id.as_str().to_owned();
                    let sel = v.clone();
                    view! { <option value=v selected=move || person.get() == sel>{name}</option> }
                })
                .collect_view()
        };
        view! {
            <form class="form rank-form" id="pay-form" on:submit=save novalidate=true>
                <h3>{t(RankMsg::PayFormTitle)}</h3>
                <p class="hint">{t(RankMsg::PayFormHint)}</p>
                <div class="field-grid">
                    <div class="field field-wide" class:hidden=!many>
                        <label for="pay-form-unit">{t(RankMsg::PayUnit)}</label>
                        <select id="pay-form-unit" on:change=move |ev| {
                            unit.set(event_target_value(&ev).parse().ok());
                            person.set(String::new());
                        }>{unit_options}</select>
                    </div>
                    <div class="field field-wide">
                        <label for="pay-worker">{t(RankMsg::PayWorker)}</label>
                        {move || people.with(Vec::is_empty).then(|| view! {
                            <p class="hint" id="pay-no-workers">{t(RankMsg::PayNoWorkersHere)}</p>
                        })}
                        <select id="pay-worker"
                            class:invalid=move || errors.with(|e| e.get("person_id").is_some())
                            on:change=move |ev| person.set(event_target_value(&ev))>
                            <option value="" selected=move || person.get().is_empty()>"—"</option>
                            {worker_options}
                        </select>
                        <FieldError id="pay-worker" field="person_id" errors=errors/>
                    </div>
                    <TextField id="pay-form-year" label=RankMsg::Year field="year" value=form_year errors=errors inputmode="numeric"/>
                    <TextField id="pay-amount" label=RankMsg::PayAmount field="annual_pay_yuan" value=amount errors=errors inputmode="numeric"/>
                </div>
                <SaveActions button_id="pay-submit" label=RankMsg::PaySubmit state_id="pay-state" state=state words=crate::modules::lead::messages::rank::SAVE_WORDS/>
            </form>
        }
        .into_any()
    }
}
