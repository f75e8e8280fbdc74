//! 集体经济与薪酬: a year picked, the district's reward policy, the villages
//! ranked by collective income with each village's reward computed by the
//! policy (base + increment + ranking bonus; a tapped row shows the
//! computation and the income record's history and conflicts); recording a
//! year's income for a village this tablet may write (a negative amount is
//! refused by the model with its message); community workers' pay and the
//! average annual rise (`yanzhen_model::rules::pay_growth`), and recording a
//! worker's pay; the district admin edits the reward policy. Incomes and pay
//! are unit-document records, the policy a district-document record: each
//! form is offered only where this tablet may write the document.

use leptos::prelude::*;
use yanzhen_model::Id;
use yanzhen_model::entities::{CollectiveIncome, PayRecord, RewardPolicy, UnitKind};
use yanzhen_model::rank;
use yanzhen_model::rules;
use yanzhen_sync::DocumentId;

use crate::data::docs::{district_doc, use_district};
use crate::data::ids::new_id;
use crate::data::save::{SaveState, settle};
use crate::i18n::t;
use crate::modules::lead::components::economy_compute::EconomyCompute;
use crate::modules::lead::components::economy_pay_form::EconomyPayForm;
use crate::modules::lead::components::economy_pay_table::EconomyPayTable;
use crate::modules::lead::components::economy_policy::EconomyPolicy;
use crate::modules::lead::components::economy_policy_form::EconomyPolicyForm;
use crate::modules::lead::components::economy_ranking::EconomyRanking;
use crate::modules::lead::components::rank_locked::RankLocked;
use crate::modules::lead::messages::rank::{RankMsg, SAVE_WORDS};
use crate::modules::lead::rank::data::{save_form, use_units_here};
use crate::modules::lead::rank::form::{IncomeForm, RankErrors};
use crate::modules::lead::rank::rows::{
    FIELD_NAMES, economy_view, has_every_village, income_id, units_of_kind, yuan,
};
use crate::routes::Screen;
use crate::sync::repo::use_sync;
use crate::sync::status::may_write;
use crate::trail::record_trail::RecordTrail;
use crate::ui::empty_note::EmptyNote;
use crate::ui::field_error::FieldError;
use crate::ui::save_actions::SaveActions;
use crate::ui::screen_header::ScreenHeader;
use crate::ui::text_field::TextField;
use crate::ui::year_options::YearOptions;

#[component]
pub fn LeadEconomyPage() -> impl IntoView {
    let sync = use_sync();
    let district = use_district(sync);
    let units = use_units_here(sync);
    let unit_list =
        Memo::new(move |_| units.with(|u| u.iter().map(|(_, d)| d.clone()).collect::<Vec<_>>()));
    let doc_of = move |unit: &Id| -> Option<DocumentId> {
        units.with_untracked(|u| {
            u.iter()
                .find(|(_, d)| &d.unit_id == unit)
                .map(|(id, _)| *id)
        })
    };

    // ---- year, policy, ranking
    let years = Memo::new(move |_| {
        district.with(|d| {
            d.as_ref()
                .map(|d| unit_list.with(|u| rank::economy_years(d, u)))
                .unwrap_or_default()
        })
    });
    let year = RwSignal::new(None::<u16>);
    Effect::new(move |_| {
        let ys = years.get();
        if year.get_untracked().is_none_or(|y| !ys.contains(&y))
            && let Some(first) = district.with_untracked(|d| {
                d.as_ref()
                    .and_then(|d| d.policies.values().map(|p| p.year).max())
                    .filter(|y| ys.contains(y))
                    .or_else(|| ys.first().copied())
            })
        {
            year.set(Some(first));
        }
    });
    let policy = Memo::new(move |_| {
        let y = year.get()?;
        district.with(|d| d.as_ref().and_then(|d| rank::policy_for(d, y).cloned()))
    });
    let complete = Memo::new(move |_| {
        district.with(|d| {
            d.as_ref()
                .is_some_and(|d| unit_list.with(|u| has_every_village(d, u)))
        })
    });
    let ranking = Memo::new(move |_| {
        let y = year.get()?;
        if !complete.get() {
            return None;
        }
        district.with(|d| {
            d.as_ref()
                .and_then(|d| unit_list.with(|u| economy_view(d, u, y)))
        })
    });
    let picked_unit = RwSignal::new(None::<Id>);
    let picked_income = RwSignal::new(None::<(DocumentId, Id)>);
    let picked_pay = RwSignal::new(None::<(DocumentId, Id)>);

    // ---- income form
    let income_units = Memo::new(move |_| {
        let rows = sync.docs.get();
        units.with(|u| {
            district.with(|d| {
                d.as_ref()
                    .map(|d| units_of_kind(d, u, UnitKind::Village, |id, _| may_write(&rows, id)))
                    .unwrap_or_default()
            })
        })
    });
    let income_unit = RwSignal::new(None::<DocumentId>);
    Effect::new(move |_| {
        let list = income_units.get();
        if income_unit
            .get_untracked()
            .is_none_or(|d| !list.iter().any(|(x, _, _)| *x == d))
        {
            income_unit.set(list.first().map(|(d, _, _)| *d));
        }
    });
    let income_year = RwSignal::new(String::new());
    let income_amount = RwSignal::new(String::new());
    let income_errors = RwSignal::new(RankErrors::default());
    let income_state = RwSignal::new(SaveState::Idle);
    Effect::new(move |_| {
        if income_year.get_untracked().is_empty()
            && let Some(y) = year.get()
        {
            income_year.set(y.to_string());
        }
    });
    settle(sync, move || income_unit.get(), vec![income_state]);
    let income_data = Memo::new(move |_| {
        let d = income_unit.get()?;
        units.with(|u| {
            u.iter()
                .find(|(id, _)| *id == d)
                .map(|(_, data)| data.clone())
        })
    });
    let save_income = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(d), Some(data)) = (income_unit.get_untracked(), income_data.get_untracked())
        else {
            income_state.set(SaveState::Failed);
            return;
        };
        let form = IncomeForm {
            year: income_year.get_untracked(),
            amount: income_amount.get_untracked(),
        };
        let record = form.to_income(new_id(), |y| income_id(&data, y));
        let rid = record.as_ref().ok().map(|r| r.id.clone());
        if save_form(
            sync,
            Some(d),
            record,
            "income_yuan",
            income_errors,
            income_state,
        ) && let Some(rid) = rid
        {
            picked_income.set(Some((d, rid)));
        }
    };

    // ---- pay
    let pay_years = Memo::new(move |_| unit_list.with(|u| rank::pay_years(u)));
    let pay_year = RwSignal::new(None::<u16>);
    Effect::new(move |_| {
        let ys = pay_years.get();
        if pay_year.get_untracked().is_none_or(|y| !ys.contains(&y)) {
            pay_year.set(ys.first().copied());
        }
    });
    let growth = Memo::new(move |_| {
        let y = pay_year.get()?;
        Some(unit_list.with(|u| rules::pay_growth(u, Some(y))))
    });
    let communities = Memo::new(move |_| {
        units.with(|u| {
            district.with(|d| {
                d.as_ref()
                    .map(|d| {
                        units_of_kind(d, u, UnitKind::Community, |_, data| !data.pay.is_empty())
                    })
                    .unwrap_or_default()
            })
        })
    });
    let pay_unit = RwSignal::new(None::<DocumentId>);
    Effect::new(move |_| {
        let list = communities.get();
        if pay_unit
            .get_untracked()
            .is_none_or(|d| !list.iter().any(|(x, _, _)| *x == d))
        {
            pay_unit.set(list.first().map(|(d, _, _)| *d));
        }
    });
    let pay_rows = Memo::new(move |_| {
        let (Some(d), Some(y)) = (pay_unit.get(), pay_year.get()) else {
            return Vec::new();
        };
        units.with(|u| {
            u.iter()
                .find(|(id, _)| *id == d)
                .map(|(_, data)| {
                    rank::pay_rows(data, y)
                        .into_iter()
                        .map(|r| {
                            let rec = data
                                .pay
                                .values()
                                .filter(|p| p.person_id == r.person_id && p.year == y)
                                .map(|p| p.id.clone())
                                .min();
                            (r, rec)
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });

    // ---- views
    let policy_view = move || match policy.get() {
        Some(p) => view! { <EconomyPolicy policy=p/> }.into_any(),
        None => view! { <EmptyNote id="economy-no-policy" msg=RankMsg::NoPolicy small=true/> }
            .into_any(),
    };
    let on_pick = move |(unit, income): (Id, Option<Id>)| {
        picked_unit.set(Some(unit.clone()));
        picked_income.set(doc_of(&unit).zip(income));
    };
    let computation = move || {
        let unit = picked_unit.get()?;
        let rows = ranking.get()?;
        let v = rows.into_iter().find(|v| v.row.unit == unit)?;
        let p = policy.get()?;
        let close = move |()| {
            picked_unit.set(None);
            picked_income.set(None);
        };
        Some(view! { <EconomyCompute view=v policy=p on_close=close/> })
    };
    let loaded = Signal::derive(move || district.with(Option::is_some));

    let income_form = move || {
        let list = income_units.get();
        if list.is_empty() {
            return view! { <RankLocked id="income-locked" msg=RankMsg::IncomeLocked/> }.into_any();
        }
        let many = list.len() > 1;
        let options = list
            .into_iter()
            .map(|(d, _, name)| {
                let v = d.to_string();
                view! { <option value=v selected=move || income_unit.get() == Some(d)>{name}</option> }
            })
            .collect_view();
        view! {
            <form class="form rank-form" id="income-form" on:submit=save_income novalidate=true>
                <p class="hint">{t(RankMsg::IncomeHint)}</p>
                <div class="field-grid">
                    <div class="field field-wide" class:hidden=!many>
                        <label for="income-unit">{t(RankMsg::Unit)}</label>
                        <select id="income-unit" on:change=move |ev| {
                            income_unit.set(event_target_value(&ev).parse().ok());
                        }>{options}</select>
                    </div>
                    <div class="field">
                        <label for="income-year">{t(RankMsg::Year)}</label>
                        <input type="text" inputmode="numeric" id="income-year" autocomplete="off" bind:value=income_year/>
                        <FieldError id="income-year" field="year" errors=income_errors/>
                    </div>
                    <TextField id="income-amount" label=RankMsg::IncomeAmount field="income_yuan" value=income_amount errors=income_errors inputmode="numeric"/>
                </div>
                <SaveActions button_id="income-submit" label=RankMsg::IncomeSubmit state_id="income-state" state=income_state words=SAVE_WORDS/>
            </form>
        }
        .into_any()
    };
    let income_records = move || {
        let d = income_unit.get()?;
        let data = income_data.get()?;
        let mut list: Vec<CollectiveIncome> = data.incomes.values().cloned().collect();
        yanzhen_model::sorting::sort_by(&mut list, |a, b| {
            b.year.cmp(&a.year).then_with(|| a.id.cmp(&b.id))
        });
        let n = list.len().to_string();
        Some(view! {
            <h3>{t(RankMsg::IncomeRecorded)}</h3>
            <ul class="income-records" id="income-records" data-count=n>
                {list
                    .into_iter()
                    .map(|i| {
                        let id = i.id.clone();
                        let sel = i.id.clone();
                        view! {
                            <li
                                class="income-record"
                                class:selected=move || picked_income.get().is_some_and(|(_, x)| x == sel)
                                data-id=i.id.as_str().to_owned()
                                data-year=i.year.to_string()
                                data-amount=i.income_yuan.to_string()
                                on:click=move |_| picked_income.set(Some((d, id.clone())))
                            >
                                <span class="income-year">{i.year}</span>
                                <span class="income-amount">{yuan(i.income_yuan)} " " {t(RankMsg::Yuan)}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        })
    };

    let pay_unit_options = move || {
        communities
            .get()
            .into_iter()
            .map(|(d, _, name)| view! { <option value=d.to_string() selected=move || pay_unit.get() == Some(d)>{name}</option> })
            .collect_view()
    };
    let income_doc = Signal::derive(move || picked_income.get().map(|(d, _)| d));
    let income_rec = Signal::derive(move || picked_income.get().map(|(_, i)| i));
    let pay_doc = Signal::derive(move || picked_pay.get().map(|(d, _)| d));
    let policy_doc = district_doc(sync);
    let policy_rec = Signal::derive(move || policy.get().map(|p| p.id));
    let policy_saved = Callback::new(move |y: u16| year.set(Some(y)));
    let pay_saved = Callback::new(move |(d, id, y): (DocumentId, Id, u16)| {
        pay_year.set(Some(y));
        pay_unit.set(Some(d));
        picked_pay.set(Some((d, id)));
    });
    let pay_rec = Signal::derive(move || picked_pay.get().map(|(_, i)| i));

    view! {
        <ScreenHeader screen=Screen::LeadEconomy/>
        <p class="page-intro">{t(RankMsg::EconomyIntro)}</p>
        <section class="card rank-tools">
            <div class="field">
                <label for="economy-year">{t(RankMsg::Year)}</label>
                <select id="economy-year" on:change=move |ev| {
                    year.set(event_target_value(&ev).parse().ok());
                    picked_unit.set(None);
                }><YearOptions years=years year=year/></select>
            </div>
        </section>
        <section class="card">
            <h2>{t(RankMsg::PolicyTitle)}</h2>
            {policy_view}
            <EconomyPolicyForm district=district year=year policy=policy on_saved=policy_saved/>
        </section>
        <RecordTrail<RewardPolicy> doc=policy_doc id=policy_rec names=FIELD_NAMES/>
        <section class="card">
            <h2>{t(RankMsg::RankingTitle)}</h2>
            <p class="hint">{t(RankMsg::TapForDetails)} {t(RankMsg::AmountsInYuan)}</p>
            <EconomyRanking loaded=loaded complete=complete ranking=ranking picked_unit=picked_unit on_pick=on_pick/>
        </section>
        {computation}
        <RecordTrail<CollectiveIncome> doc=income_doc id=income_rec names=FIELD_NAMES/>
        <section class="card" id="income-card">
            <h2>{t(RankMsg::IncomeTitle)}</h2>
            {income_form}
            {income_records}
        </section>
        <section class="card" id="pay-card">
            <h2>{t(RankMsg::PayTitle)}</h2>
            <p class="hint">{t(RankMsg::PayScope)}</p>
            <div class="rank-tools">
                <div class="field">
                    <label for="pay-year">{t(RankMsg::Year)}</label>
                    <select id="pay-year" on:change=move |ev| pay_year.set(event_target_value(&ev).parse().ok())>
                        <YearOptions years=pay_years year=pay_year/>
                    </select>
                </div>
                <div class="field">
                    <label for="pay-unit">{t(RankMsg::PayUnit)}</label>
                    <select id="pay-unit" on:change=move |ev| pay_unit.set(event_target_value(&ev).parse().ok())>
                        {pay_unit_options}
                    </select>
                </div>
            </div>
            <EconomyPayTable growth=growth rows=pay_rows unit=pay_unit picked_pay=picked_pay/>
            <EconomyPayForm units=units district=district year=pay_year on_saved=pay_saved/>
        </section>
        <RecordTrail<PayRecord> doc=pay_doc id=pay_rec names=FIELD_NAMES/>
    }
}
