//! 乡村人才 (rural talent register, district document): the counts by kind
//! (school pairs, teachers exchanged, medical staff trained, tech
//! commissioners, demonstration households), the entries of one kind (tap
//! one for its history and conflicts), and a form to add an entry. Only
//! the district admin's tablet may write the district document; any other
//! tablet is told so instead of being offered the form.

use leptos::prelude::*;

use crate::data::save::settle;
use crate::data::write::put_record;

use crate::data::save::show_write;
use yanzhen_model::Id;
use yanzhen_model::entities::{ExchangeKind, TalentExchange};
use yanzhen_model::returning::talent_counts;

use crate::data::choices::residence_choices;
use crate::data::docs::{district_doc, use_district};
use crate::data::ids::new_id;
use crate::data::save::SaveState;
use crate::i18n::t;
use crate::modules::returning::components::field::RetField;
use crate::modules::returning::components::trail::ReturningTrail;
use crate::modules::returning::data::district_writable;
use crate::modules::returning::form::{Errors, ExchangeForm};
use crate::modules::returning::labels;
use crate::modules::returning::messages::ReturningMsg as M;
use crate::modules::returning::messages::SAVE_WORDS;
use crate::modules::returning::rows::{exchange_place, exchange_rows, pair_choices};
use crate::routes::Screen;
use crate::sync::repo::use_sync;
use crate::ui::choice_field::ChoiceField;
use crate::ui::empty_note::EmptyNote;
use crate::ui::field_error::FieldError;
use crate::ui::pick_row::PickRow;
use crate::ui::save_actions::SaveActions;
use crate::ui::screen_header::ScreenHeader;

#[component]
pub fn ReturningTalentPage() -> impl IntoView {
    let sync = use_sync();
    let doc = district_doc(sync);
    let district = use_district(sync);
    let can_write = district_writable(sync);
    let counts = Signal::derive(move || {
        district.with(|d| d.as_ref().map(talent_counts).unwrap_or_default())
    });
    let shown = RwSignal::new(ExchangeKind::SchoolPair);
    let rows = Signal::derive(move || {
        let k = shown.get();
        district.with(|d| {
            d.as_ref()
                .map(|d| {
                    exchange_rows(d, k)
                        .into_iter()
                        .map(|x| {
                            let place = exchange_place(d, &x);
                            (x, place)
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let picked = RwSignal::new(None::<Id>);

    // The form.
    let kind = RwSignal::new(ExchangeKind::SchoolPair);
    let name = RwSignal::new(String::new());
    let from_org = RwSignal::new(String::new());
    let to_org = RwSignal::new(String::new());
    let unit = RwSignal::new(String::new());
    let pair = RwSignal::new(String::new());
    let start = RwSignal::new(String::new());
    let errors = RwSignal::new(Errors::default());
    let state = RwSignal::new(SaveState::Idle);
    settle(sync, move || doc.get(), vec![state]);
    let pairs =
        Signal::derive(move || district.with(|d| d.as_ref().map(pair_choices).unwrap_or_default()));
    let villages = Signal::derive(move || {
        district.with(|d| d.as_ref().map(residence_choices).unwrap_or_default())
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(d) = doc.get_untracked() else {
            state.set(SaveState::Failed);
            return;
        };
        let form = ExchangeForm {
            kind: kind.get_untracked(),
            name: name.get_untracked(),
            from_org: from_org.get_untracked(),
            to_org: to_org.get_untracked(),
            unit: Id::parse(&unit.get_untracked()),
            pair: Id::parse(&pair.get_untracked()),
            start: start.get_untracked(),
        };
        let x = match district
            .with_untracked(|dd| dd.as_ref().map(|dd| form.to_exchange(new_id(), dd)))
        {
            Some(Ok(x)) => x,
            Some(Err(e)) => {
                errors.set(e);
                state.set(SaveState::Invalid);
                return;
            }
            None => {
                state.set(SaveState::Failed);
                return;
            }
        };
        if show_write(put_record(sync, d, &x), errors, state, |v| {
            Errors::from_validation(v, "name")
        }) {
            name.set(String::new());
            shown.set(x.kind);
            picked.set(Some(x.id.clone()));
        }
    };
    let text_input = move |id: &'static str,
                           field: &'static str,
                           label: M,
                           value: RwSignal<String>,
                           kind: &'static str| {
        view! { <RetField id=id field=field label=label value=value kind=kind errors=errors/> }
    };

    let tiles = move || {
        ExchangeKind::ALL
            .iter()
            .map(|k| {
                let k = *k;
                view! {
                    <button
                        type="button"
                        class="ret-figure ret-kind"
                        class:selected=move || shown.get() == k
                        id=format!("ret-talent-{}", labels::slug(k))
                        data-count=move || counts.get().of(k).to_string()
                        on:click=move |_| { shown.set(k); picked.set(None); }
                    >
                        <strong>{move || counts.get().of(k)}</strong>
                        <span>{t(labels::exchange_kind(k))}</span>
                    </button>
                }
            })
            .collect_view()
    };

    let trail_doc = Signal::derive(move || doc.get());
    view! {
        <ScreenHeader screen=Screen::ReturningTalent/>
        <section class="card">
            <h2>{t(M::TalentTitle)}</h2>
            <div class="ret-figures ret-kinds">{tiles}</div>
        </section>
        <section class="card">
            <h2>{t(M::TalentShown)} " · " {move || t(labels::exchange_kind(shown.get()))()}</h2>
            <Show
                when=move || !rows.with(Vec::is_empty)
                fallback=|| view! { <EmptyNote id="ret-talent-none" msg=M::NoneYet small=true/> }
            >
                <div class="ret-scroll">
                    <table class="plain-table ret-table" id="ret-talent" data-count=move || rows.with(Vec::len).to_string()>
                        <thead>
                            <tr>
                                <th>{t(M::TalentName)}</th>
                                <th>{t(M::TalentPlace)}</th>
                                <th>{t(M::TalentStart)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || rows.get().into_iter().map(|(x, place)| {
                                let id = x.id.clone();
                                view! {
                                    <PickRow class="ret-row ret-talent-row" id=id picked=picked>
                                        <td>{x.name.clone()}</td>
                                        <td>{place}</td>
                                        <td>{x.start.to_string()}</td>
                                    </PickRow>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </Show>
            <ReturningTrail<TalentExchange> doc=trail_doc id=Signal::derive(move || picked.get())/>
        </section>
        <section class="card">
            <h2>{t(M::TalentAddTitle)}</h2>
            <Show
                when=move || can_write.get()
                fallback=move || view! { <p class="hint readonly-reason" id="ret-talent-readonly">{t(M::ReadOnlyDistrict)}</p> }
            >
                <form class="form field-grid" id="ret-talent-form" on:submit=save novalidate=true>
                    <ChoiceField id="ret-talent-kind" label=M::TalentKind all=ExchangeKind::ALL value=kind name=labels::exchange_kind/>
                    {text_input("ret-talent-name", "name", M::TalentName, name, "text")}
                    {text_input("ret-talent-from", "from_org", M::TalentFrom, from_org, "text")}
                    {text_input("ret-talent-to", "to_org", M::TalentTo, to_org, "text")}
                    <Show when=move || ExchangeForm::needs_pair(kind.get())>
                        <div class="field">
                            <label for="ret-talent-pair">{t(M::TalentPair)}</label>
                            <select id="ret-talent-pair" on:change=move |ev| pair.set(event_target_value(&ev))>
                                <option value="">{t(M::TalentPick)}</option>
                                {move || pairs.get().into_iter().map(|(id, label)| view! {
                                    <option value=id.as_str().to_owned()>{label}</option>
                                }).collect_view()}
                            </select>
                            <FieldError id="ret-talent-pair" field="pair_id" errors=errors/>
                        </div>
                    </Show>
                    <Show when=move || ExchangeForm::needs_unit(kind.get())>
                        <div class="field">
                            <label for="ret-talent-unit">{t(M::TalentVillage)}</label>
                            <select id="ret-talent-unit" on:change=move |ev| unit.set(event_target_value(&ev))>
                                <option value="">{t(M::TalentPick)}</option>
                                {move || villages.get().into_iter().map(|(id, label)| view! {
                                    <option value=id>{label}</option>
                                }).collect_view()}
                            </select>
                            <FieldError id="ret-talent-unit" field="unit_id" errors=errors/>
                        </div>
                    </Show>
                    {text_input("ret-talent-start", "start", M::TalentStart, start, "date")}
                    <SaveActions button_id="ret-talent-save" label=M::TalentSave state_id="ret-talent-save-state" state=state words=SAVE_WORDS wide=true/>
                </form>
            </Show>
        </section>
    }
}
