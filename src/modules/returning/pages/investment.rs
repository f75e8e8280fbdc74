//! 招商线索 (investment leads): the funnel of every village on the tablet
//! (valid leads → inspection visits → projects placed → funds in 万元) as an
//! SVG chart, the leads with their village and the advisor who brought
//! them; tap a lead to see it, advance it one stage (funds typed in 万元,
//! never negative) and see its history and conflicts; add a lead for a
//! village. Leads live in the village's document: a tablet that may only
//! read it is told so instead of being offered the buttons.

use leptos::prelude::*;

use crate::data::save::settle;
use crate::data::write::put_record;

use crate::data::save::show_write;
use yanzhen_model::Id;
use yanzhen_model::entities::{InvestmentLead, LeadStage};
use yanzhen_model::returning::{advance_lead, next_stage};
use yanzhen_model::rules::investment_funnel;
use yanzhen_sync::DocumentId;

use crate::data::docs::use_district;
use crate::data::ids::new_id;
use crate::data::save::SaveState;
use crate::i18n::t;
use crate::modules::returning::components::funnel::ReturningFunnel;
use crate::modules::returning::components::trail::ReturningTrail;
use crate::modules::returning::data::{
    chosen, home_unit, use_today, use_unit_choice, use_units_here,
};
use crate::modules::returning::form::{Errors, LeadForm, parse_wan, wan_text};
use crate::modules::returning::labels;
use crate::modules::returning::messages::ReturningMsg as M;
use crate::modules::returning::rows::{LeadRow, appointment_rows, lead_rows};
use crate::routes::Screen;
use crate::sync::repo::use_sync;
use crate::ui::empty_note::EmptyNote;
use crate::ui::field_error::FieldError;
use crate::ui::save_note::SaveNote;
use crate::ui::screen_header::ScreenHeader;
use crate::ui::unit_picker::UnitPicker;

#[component]
pub fn ReturningInvestmentPage() -> impl IntoView {
    let sync = use_sync();
    let district = use_district(sync);
    let units = use_units_here(sync);
    let own = home_unit(sync, district, units);
    let today = use_today(sync);

    let funnel =
        Signal::derive(move || units.with(|u| investment_funnel(u.iter().map(|u| &*u.data))));
    let rows = Memo::new(move |_| {
        district.with(|d| {
            units.with(|u| lead_rows(d.as_ref(), u.iter().map(|u| (u.doc_id(), &*u.data))))
        })
    });
    let picked = RwSignal::new(None::<Id>);
    let current = Memo::new(move |_| {
        let id = picked.get()?;
        rows.with(|r| r.iter().find(|r| r.lead.id == id).cloned())
    });
    let lead_doc = Signal::derive(move || {
        current.with(|c| c.as_ref().map(|c| DocumentId::from_bytes(c.doc.0)))
    });
    let writable = move |doc: Option<DocumentId>| {
        doc.is_some_and(|d| units.with(|u| u.iter().any(|u| u.doc == d && !u.read_only)))
    };
    let can_advance = Signal::derive(move || writable(lead_doc.get()));

    // Advancing the shown lead.
    let funds = RwSignal::new(String::new());
    let adv_errors = RwSignal::new(Errors::default());
    let adv_state = RwSignal::new(SaveState::Idle);
    settle(sync, move || lead_doc.get(), vec![adv_state]);
    Effect::new(move |_| {
        picked.track();
        funds.set(String::new());
        adv_errors.set(Errors::default());
        adv_state.set(SaveState::Idle);
    });
    let advance = move |_| {
        let (Some(row), Some(d)) = (current.get_untracked(), lead_doc.get_untracked()) else {
            return;
        };
        let next = next_stage(row.lead.stage);
        let amount = if next == Some(LeadStage::FundsArrived) {
            match parse_wan(&funds.get_untracked()) {
                Ok(y) => y,
                Err(e) => {
                    adv_errors.set(Errors::one("funds_yuan", e));
                    adv_state.set(SaveState::Invalid);
                    return;
                }
            }
        } else {
            0
        };
        let lead = match advance_lead(&row.lead, today.get_untracked(), amount) {
            Ok(l) => l,
            Err(e) => {
                adv_errors.set(Errors::from_validation(&e, "funds_yuan"));
                adv_state.set(SaveState::Invalid);
                return;
            }
        };
        if show_write(put_record(sync, d, &lead), adv_errors, adv_state, |v| {
            Errors::from_validation(v, "funds_yuan")
        }) {
            funds.set(String::new());
        }
    };

    // A new lead for the chosen village.
    let (choices, selected) = use_unit_choice(district, units, own);
    let unit = chosen(units, selected);
    let new_doc = Signal::derive(move || unit.with(|u| u.as_ref().map(|u| u.doc)));
    let can_add = Signal::derive(move || unit.with(|u| u.as_ref().is_some_and(|u| !u.read_only)));
    let advisors = Signal::derive(move || {
        unit.with(|u| {
            u.as_ref()
                .map(|u| appointment_rows(&u.data))
                .unwrap_or_default()
        })
    });
    let advisor = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let lead_date = RwSignal::new(String::new());
    let errors = RwSignal::new(Errors::default());
    let state = RwSignal::new(SaveState::Idle);
    settle(sync, move || new_doc.get(), vec![state]);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(d) = new_doc.get_untracked() else {
            state.set(SaveState::Failed);
            return;
        };
        let f = LeadForm {
            advisor: Id::parse(&advisor.get_untracked()),
            title: title.get_untracked(),
            lead_date: lead_date.get_untracked(),
        };
        let lead = match f.to_lead(new_id()) {
            Ok(l) => l,
            Err(e) => {
                errors.set(e);
                state.set(SaveState::Invalid);
                return;
            }
        };
        if show_write(put_record(sync, d, &lead), errors, state, |v| {
            Errors::from_validation(v, "title")
        }) {
            title.set(String::new());
            picked.set(Some(lead.id.clone()));
        }
    };

    let row_view = move |r: LeadRow| {
        let id = r.lead.id.clone();
        let sel = r.lead.id.clone();
        let funds = (r.lead.funds_yuan > 0).then(|| wan_text(r.lead.funds_yuan));
        view! {
            <tr
                class="ret-row ret-lead-row"
                class:selected=move || picked.with(|p| p.as_ref() == Some(&sel))
                class:invalid-lead=!r.lead.valid
                data-id=r.lead.id.as_str().to_owned()
                data-stage=labels::slug(r.lead.stage)
                on:click=move |_| picked.set(Some(id.clone()))
            >
                <td>{r.lead.title.clone()}{(!r.lead.valid).then(|| view! { " " <span class="chip">{t(M::LeadInvalid)}</span> })}</td>
                <td>{r.unit_name.clone()}</td>
                <td>{r.advisor.clone()}</td>
                <td><span class=format!("stage-chip stage-{}", labels::slug(r.lead.stage))>{t(labels::lead_stage(r.lead.stage))}</span></td>
                <td>{r.lead.lead_date.to_string()}</td>
                <td class="num">{funds}</td>
            </tr>
        }
    };

    let detail = move || {
        current.get().map(|r| {
            let next = next_stage(r.lead.stage);
            let date = |d: Option<yanzhen_model::Date>| d.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
            view! {
                <section class="card ret-detail" id="ret-lead-detail" data-id=r.lead.id.as_str().to_owned()>
                    <div class="card-head">
                        <h2>{t(M::LeadDetail)} " · " {r.lead.title.clone()}</h2>
                        <button type="button" class="button" id="ret-lead-close" on:click=move |_| picked.set(None)>{t(M::Close)}</button>
                    </div>
                    <dl class="facts">
                        <dt>{t(M::LeadUnit)}</dt><dd>{r.unit_name.clone()}</dd>
                        <dt>{t(M::LeadAdvisor)}</dt><dd>{r.advisor.clone()}</dd>
                        <dt>{t(M::LeadStageLabel)}</dt><dd id="ret-lead-stage" data-stage=labels::slug(r.lead.stage)>{t(labels::lead_stage(r.lead.stage))}</dd>
                        <dt>{t(M::LeadDate)}</dt><dd>{r.lead.lead_date.to_string()}</dd>
                        <dt>{t(M::LeadVisitDate)}</dt><dd>{date(r.lead.visit_date)}</dd>
                        <dt>{t(M::LeadProjectDate)}</dt><dd>{date(r.lead.project_date)}</dd>
                        <dt>{t(M::LeadFunds)}</dt><dd id="ret-lead-funds">{wan_text(r.lead.funds_yuan)}</dd>
                    </dl>
                    {match next {
                        None => view! { <p class="hint" id="ret-lead-final">{t(M::LeadFinal)}</p> }.into_any(),
                        Some(_) if !can_advance.get() => view! {
                            <p class="hint readonly-reason" id="ret-lead-readonly">{t(M::ReadOnlyUnit)}</p>
                        }.into_any(),
                        Some(n) => view! {
                            <div class="form ret-advance">
                                {(n == LeadStage::FundsArrived).then(|| view! {
                                    <label for="ret-lead-funds-input">{t(M::LeadFunds)}</label>
                                    <input type="text" inputmode="decimal" id="ret-lead-funds-input" bind:value=funds
                                        class:invalid=move || adv_errors.with(|e| e.get("funds_yuan").is_some())/>
                                })}
                                <FieldError id="ret-lead-funds-input" field="funds_yuan" errors=adv_errors/>
                                <FieldError id="ret-lead-advance" field="stage" errors=adv_errors/>
                                <div class="form-actions">
                                    <button type="button" class="button primary" id="ret-lead-advance" data-next=labels::slug(n) on:click=advance>
                                        {t(labels::advance_to(n))}
                                    </button>
                                    <SaveNote id="ret-lead-advance-state" state=adv_state words=crate::modules::returning::messages::SAVE_WORDS/>
                                </div>
                            </div>
                        }.into_any(),
                    }}
                </section>
            }
        })
    };

    view! {
        <ScreenHeader screen=Screen::ReturningInvestment/>
        <section class="card ret-funnel">
            <h2>{t(M::FunnelTitle)}</h2>
            <div
                class="ret-funnel-figures"
                id="ret-funnel"
                data-leads=move || funnel.get().leads.to_string()
                data-visits=move || funnel.get().visits.to_string()
                data-projects=move || funnel.get().projects.to_string()
                data-funds-yuan=move || funnel.get().funds_yuan.to_string()
            >
                <ReturningFunnel funnel=funnel/>
            </div>
        </section>
        {detail}
        <ReturningTrail<InvestmentLead> doc=lead_doc id=Signal::derive(move || picked.get())/>
        <section class="card">
            <h2>{t(M::LeadsTitle)}</h2>
            <Show
                when=move || !rows.with(Vec::is_empty)
                fallback=|| view! { <EmptyNote id="ret-leads-none" msg=M::NoneYet small=true/> }
            >
                <table class="plain-table ret-table" id="ret-leads">
                    <thead>
                        <tr>
                            <th>{t(M::LeadTitle)}</th>
                            <th>{t(M::LeadUnit)}</th>
                            <th>{t(M::LeadAdvisor)}</th>
                            <th>{t(M::LeadStageLabel)}</th>
                            <th>{t(M::LeadDate)}</th>
                            <th class="num">{t(M::LeadFunds)}</th>
                        </tr>
                    </thead>
                    <tbody>{move || rows.get().into_iter().map(row_view).collect_view()}</tbody>
                </table>
            </Show>
        </section>
        <section class="card">
            <h2>{t(M::LeadAddTitle)}</h2>
            <Show when=move || choices.with(|c| c.len() > 1)>
                <UnitPicker choices=choices.into() selected=selected/>
            </Show>
            {move || {
                if !can_add.get() {
                    let msg = if unit.with(Option::is_none) { M::NoUnits } else { M::ReadOnlyUnit };
                    return view! { <p class="hint readonly-reason" id="ret-lead-add-readonly">{t(msg)}</p> }.into_any();
                }
                if advisors.with(Vec::is_empty) {
                    return view! { <p class="hint" id="ret-lead-no-advisors">{t(M::LeadNoAdvisors)}</p> }.into_any();
                }
                view! {
                    <form class="form field-grid" id="ret-lead-form" on:submit=add novalidate=true>
                        <div class="field">
                            <label for="ret-lead-advisor">{t(M::LeadAdvisor)}</label>
                            <select id="ret-lead-advisor" on:change=move |ev| advisor.set(event_target_value(&ev))>
                                <option value="" selected=move || advisor.with(String::is_empty)>{t(M::LeadPickAdvisor)}</option>
                                {move || advisors.get().into_iter().map(|a| {
                                    let v = a.id.as_str().to_owned();
                                    view! { <option value=v>{a.name.clone()} " · " {t(labels::appointment_kind(a.kind))}</option> }
                                }).collect_view()}
                            </select>
                            <FieldError id="ret-lead-advisor" field="advisor_id" errors=errors/>
                        </div>
                        <div class="field">
                            <label for="ret-lead-date">{t(M::LeadDate)}</label>
                            <input type="date" id="ret-lead-date" bind:value=lead_date/>
                            <FieldError id="ret-lead-date" field="lead_date" errors=errors/>
                        </div>
                        <div class="field field-wide">
                            <label for="ret-lead-title">{t(M::LeadTitle)}</label>
                            <input type="text" id="ret-lead-title" bind:value=title/>
                            <FieldError id="ret-lead-title" field="title" errors=errors/>
                        </div>
                        <div class="form-actions field-wide">
                            <button type="submit" class="button primary" id="ret-lead-save">{t(M::LeadSave)}</button>
                            <SaveNote id="ret-lead-save-state" state=state words=crate::modules::returning::messages::SAVE_WORDS/>
                        </div>
                    </form>
                }.into_any()
            }}
        </section>
    }
}
