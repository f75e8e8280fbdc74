//! A unit tablet's nomination form (batch, name, ID number, seat) and its
//! own nominations with their review status. The nomination is written
//! into the unit's own document; a refused form shows the message next to
//! the field and writes nothing.

use leptos::prelude::*;

use crate::data::clock::today;
use yanzhen_model::entities::PostTitle;
use yanzhen_model::store::DistrictData;

use crate::data::edit as roster_write;
use crate::data::ids::new_id;
use crate::data::person_form::FieldErrors;
use crate::data::save::settle;
use crate::data::save::{SaveState, show_write};
use crate::data::write::{change_meta, write_doc};
use crate::i18n::labels as roster_labels;
use crate::i18n::t;
use crate::modules::lead::components::review_nomination_cells::{
    NOMINATION_HEADS, NominationCells,
};
use crate::modules::lead::messages::review::ReviewMsg;
use crate::modules::lead::review::form::{NominationForm, field_errors};
use crate::modules::lead::review::units::UnitHere;
use crate::modules::lead::review::{labels, rows};
use crate::sync::repo::use_sync;
use crate::ui::empty_note::EmptyNote;
use crate::ui::field_error::FieldError;
use crate::ui::save_note::{self, SaveNote};
use crate::ui::table::{Heads, Table};

#[component]
pub fn ReviewNominate(
    district: Memo<Option<DistrictData>>,
    /// Unit documents this tablet may write.
    own_units: Signal<Vec<UnitHere>>,
) -> impl IntoView {
    let sync = use_sync();
    let unit_ix = RwSignal::new(0usize);
    let batch = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let seat = RwSignal::new(PostTitle::CommitteeMember);
    let errors = RwSignal::new(FieldErrors::default());
    let state = RwSignal::new(SaveState::Idle);
    let fresh = StoredValue::new(new_id());
    let current = Signal::derive(move || own_units.with(|u| u.get(unit_ix.get()).cloned()));
    settle(sync, move || current.get().map(|(d, _)| d), vec![state]);
    let batches = Signal::derive(move || {
        district.with(|d| {
            d.as_ref()
                .map(|d| {
                    rows::batch_rows(d, today())
                        .into_iter()
                        .map(|b| (b.id.as_str().to_owned(), b.name))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let mine = Signal::derive(move || {
        let Some((_, u)) = current.get() else {
            return Vec::new();
        };
        district.with(|d| {
            d.as_ref()
                .map(|d| rows::unit_nominations(d, &u, today()))
                .unwrap_or_default()
        })
    });
    let unit_names = Signal::derive(move || {
        let names = district.with(|d| d.as_ref().map(rows::unit_names).unwrap_or_default());
        own_units.with(|u| {
            u.iter()
                .map(|(_, d)| names.get(&d.unit_id).cloned().unwrap_or_default())
                .collect::<Vec<_>>()
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((doc, _)) = current.get_untracked() else {
            state.set(SaveState::Failed);
            return;
        };
        let form = NominationForm {
            batch: batch.get_untracked(),
            name: name.get_untracked(),
            id_number: id_number.get_untracked(),
            seat: seat.get_untracked(),
        };
        let record = match form.to_nomination(fresh.get_value(), today()) {
            Ok(n) => n,
            Err(e) => {
                errors.set(e);
                state.set(SaveState::Invalid);
                return;
            }
        };
        let meta = change_meta();
        let written = write_doc(sync, doc, |am| {
            roster_write::edit_unit(am, |u| u.put(&record, &meta))
        });
        if show_write(written, errors, state, |v| field_errors(v, "name")) {
            fresh.set_value(new_id());
            name.set(String::new());
            id_number.set(String::new());
        }
    };
    let invalid = move |f: &'static str| move || errors.with(|e| e.get(f).is_some());
    view! {
        <section class="card review-nominate" id="nominate">
            <h2>{t(ReviewMsg::NominateTitle)}</h2>
            <p class="hint">{t(ReviewMsg::NominateIntro)}</p>
            <Show
                when=move || !batches.with(Vec::is_empty)
                fallback=|| view! { <EmptyNote id="nominate-no-batch" msg=ReviewMsg::NominateNoBatch small=true/> }
            >
                <form class="form field-grid" id="nominate-form" on:submit=submit novalidate=true>
                    <Show when=move || unit_names.with(|n| n.len() > 1)>
                        <div class="field field-wide">
                            <label for="nominate-unit">{t(ReviewMsg::NominateUnit)}</label>
                            <select id="nominate-unit" on:change=move |ev| {
                                if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                                    unit_ix.set(i);
                                }
                            }>
                                {move || unit_names.get().into_iter().enumerate().map(|(i, n)| {
                                    view! { <option value=i.to_string() selected=move || unit_ix.get() == i>{n}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                    </Show>
                    <div class="field field-wide">
                        <label for="nominate-batch">{t(ReviewMsg::NominateBatch)}</label>
                        <select id="nominate-batch" class:invalid=invalid("batch") on:change=move |ev| batch.set(event_target_value(&ev))>
                            <option value="" selected=move || batch.with(String::is_empty)>{t(ReviewMsg::NominatePickBatch)}</option>
                            {move || batches.get().into_iter().map(|(id, n)| {
                                let v = id.clone();
                                view! { <option value=id selected=move || batch.with(|b| *b == v)>{n}</option> }
                            }).collect_view()}
                        </select>
                        <FieldError id="nominate-batch" field="batch" errors=errors/>
                    </div>
                    <div class="field">
                        <label for="nominate-name">{t(ReviewMsg::NominateName)}</label>
                        <input type="text" id="nominate-name" bind:value=name class:invalid=invalid("name")/>
                        <FieldError id="nominate-name" field="name" errors=errors/>
                    </div>
                    <div class="field">
                        <label for="nominate-id-number">{t(ReviewMsg::NominateIdNumber)}</label>
                        <input type="text" id="nominate-id-number" inputmode="text" maxlength="18" autocomplete="off"
                            bind:value=id_number class:invalid=invalid("id_number")/>
                        <FieldError id="nominate-id-number" field="id_number" errors=errors/>
                    </div>
                    <div class="field">
                        <label for="nominate-seat">{t(ReviewMsg::NominateSeat)}</label>
                        <select id="nominate-seat" on:change=move |ev| {
                            if let Some(v) = event_target_value(&ev).parse::<usize>().ok().and_then(|i| PostTitle::ALL.get(i)) {
                                seat.set(*v);
                            }
                        }>
                            {PostTitle::ALL.iter().enumerate().map(|(i, v)| {
                                let v = *v;
                                view! { <option value=i.to_string() selected=move || seat.get() == v>{t(roster_labels::post_title(v))}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="form-actions field-wide">
                        <button type="submit" class="button primary" id="nominate-submit">{t(ReviewMsg::NominateSubmit)}</button>
                        <SaveNote id="nominate-state" state=state words=save_note::ROSTER/>
                    </div>
                </form>
            </Show>
            <h3>{t(ReviewMsg::MyNominationsTitle)}</h3>
            <Table id="my-nominations" rows=mine
                empty=|| view! { <EmptyNote id="my-nominations-none" msg=ReviewMsg::MyNominationsNone small=true/> }
                row=|n: rows::NominationRow| view! {
                    <tr class="nomination-row" data-id=n.id.as_str().to_owned()>
                        <NominationCells row=n.clone()/>
                        <td>
                            <span class="badge">
                                {match n.review {
                                    Some(s) => t(labels::status(s)).into_any(),
                                    None => t(ReviewMsg::NominationWaiting).into_any(),
                                }}
                            </span>
                        </td>
                    </tr>
                }
            >
                <Heads words=NOMINATION_HEADS/>
                <th>{t(ReviewMsg::ColStatus)}</th>
            </Table>
        </section>
    }
}
