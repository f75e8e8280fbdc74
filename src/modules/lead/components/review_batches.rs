//! The batch board: every review batch with its counts (submitted, in
//! review, passed, blocked, in publicity, concluded) — a tap shows its
//! candidates — and, on the district's tablet, the form that opens a batch
//! (换届/补选, year, name).

use leptos::prelude::*;

use crate::data::clock::today;
use yanzhen_model::Id;
use yanzhen_model::entities::BatchKind;
use yanzhen_model::store::DistrictData;
use yanzhen_sync::DocumentId;

use crate::data::ids::new_id;
use crate::data::person_form::FieldErrors;
use crate::data::save::settle;
use crate::data::save::{SaveState, show_write};
use crate::data::write::{change_meta, write_doc};
use crate::i18n::t;
use crate::modules::lead::messages::review::ReviewMsg;
use crate::modules::lead::review::form::{BatchForm, field_errors};
use crate::modules::lead::review::{labels, rows, write};
use crate::sync::repo::use_sync;
use crate::ui::empty_note::EmptyNote;
use crate::ui::field_error::FieldError;
use crate::ui::pick_button::PickButton;
use crate::ui::save_note::{self, SaveNote};
use crate::ui::table::{Heads, Table};

#[component]
pub fn ReviewBatches(
    district: Memo<Option<DistrictData>>,
    district_id: Memo<Option<DocumentId>>,
    /// This tablet may write the district document.
    writable: Signal<bool>,
    selected: RwSignal<Option<Id>>,
) -> impl IntoView {
    let sync = use_sync();
    let list = Memo::new(move |_| {
        district.with(|d| {
            d.as_ref()
                .map(|d| rows::batch_rows(d, today()))
                .unwrap_or_default()
        })
    });
    let kind = RwSignal::new(BatchKind::Election);
    let year = RwSignal::new(today().year().to_string());
    let name = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let state = RwSignal::new(SaveState::Idle);
    settle(sync, move || district_id.get(), vec![state]);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(doc) = district_id.get_untracked() else {
            state.set(SaveState::Failed);
            return;
        };
        let form = BatchForm {
            kind: kind.get_untracked(),
            year: year.get_untracked(),
            name: name.get_untracked(),
        };
        let id = new_id();
        let record = match form.to_batch(id.clone(), today()) {
            Ok(b) => b,
            Err(e) => {
                errors.set(e);
                state.set(SaveState::Invalid);
                return;
            }
        };
        let meta = change_meta();
        if show_write(
            write_doc(sync, doc, |am| {
                write::edit_district(am, |d| d.put(&record, &meta))
            }),
            errors,
            state,
            |v| field_errors(v, "name"),
        ) {
            name.set(String::new());
            selected.set(Some(id));
        }
    };
    let invalid = move |f: &'static str| move || errors.with(|e| e.get(f).is_some());
    view! {
        <section class="card review-batches" id="batches">
            <h2>{t(ReviewMsg::BatchesTitle)}</h2>
            <Table id="batch-table" class="plain-table review-counts" scroll="table-scroll" rows=list
                empty=|| view! { <EmptyNote msg=ReviewMsg::BatchesNone small=true/> }
                row=move |b: rows::BatchRow| {
                    let id = b.id.clone();
                    let id2 = b.id.clone();
                    let c = b.counts;
                    view! {
                        <tr class="batch-row" data-batch=b.id.as_str().to_owned()
                            class:selected=move || selected.with(|s| s.as_ref() == Some(&id2))>
                            <td>{b.name.clone()}</td>
                            <td>{t(labels::batch_kind(b.kind))}</td>
                            <td>{b.year}</td>
                            <td class="num count-submitted">{c.submitted}</td>
                            <td class="num count-in-review">{c.in_review}</td>
                            <td class="num count-passed">{c.passed}</td>
                            <td class="num count-blocked">{c.blocked}</td>
                            <td class="num count-in-publicity">{c.in_publicity}</td>
                            <td class="num count-concluded">{c.concluded}</td>
                            <td><PickButton class="button batch-open" id=id picked=selected msg=ReviewMsg::BatchShow/></td>
                        </tr>
                    }
                }
            >
                <Heads words=[ReviewMsg::ColBatch, ReviewMsg::BatchKind, ReviewMsg::BatchYear]/>
                <Heads num=true words=[ReviewMsg::CountSubmitted, ReviewMsg::CountInReview, ReviewMsg::CountPassed, ReviewMsg::CountBlocked, ReviewMsg::CountInPublicity, ReviewMsg::CountConcluded]/>
                <th></th>
            </Table>
            <Show when=move || writable.get()>
                <h3>{t(ReviewMsg::BatchOpenTitle)}</h3>
                <form class="form review-batch-form" id="batch-form" on:submit=submit novalidate=true>
                    <div class="field">
                        <label for="batch-kind">{t(ReviewMsg::BatchKind)}</label>
                        <select id="batch-kind" on:change=move |ev| {
                            if let Some(v) = event_target_value(&ev).parse::<usize>().ok().and_then(|i| BatchKind::ALL.get(i)) {
                                kind.set(*v);
                            }
                        }>
                            {BatchKind::ALL.iter().enumerate().map(|(i, v)| {
                                let v = *v;
                                view! { <option value=i.to_string() selected=move || kind.get() == v>{t(labels::batch_kind(v))}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="batch-year">{t(ReviewMsg::BatchYear)}</label>
                        <input type="text" inputmode="numeric" id="batch-year" bind:value=year class:invalid=invalid("year")/>
                        <FieldError id="batch-year" field="year" errors=errors/>
                    </div>
                    <div class="field field-wide">
                        <label for="batch-name">{t(ReviewMsg::BatchName)}</label>
                        <input type="text" id="batch-name" bind:value=name class:invalid=invalid("name")/>
                        <FieldError id="batch-name" field="name" errors=errors/>
                    </div>
                    <div class="form-actions field-wide">
                        <button type="submit" class="button primary" id="batch-submit">{t(ReviewMsg::BatchSubmit)}</button>
                        <SaveNote id="batch-state" state=state words=save_note::ROSTER/>
                    </div>
                </form>
            </Show>
        </section>
    }
}
