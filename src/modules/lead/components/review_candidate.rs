//! The chosen candidate: facts (masked ID number, unit, seat, status, the
//! publicity period with its days left), every department's verdict with
//! reviewer, date and reason, the department sign-off form, "start
//! publicity", "conclude" and "give the seat" — each offered only where
//! this tablet may write the document concerned — and the record's
//! history and conflicts.

use leptos::prelude::*;

use crate::data::clock::today;
use yanzhen_model::Id;
use yanzhen_model::entities::{CandidateReview, Department, SignOffResult};
use yanzhen_model::review::{self, ReviewRefusal};
use yanzhen_model::store::DistrictData;
use yanzhen_model::validate::mask_id_number;
use yanzhen_sync::DocumentId;

use crate::data::edit as roster_write;
use crate::data::ids::new_id;
use crate::data::person_form::FieldErrors;
use crate::data::save::settle;
use crate::data::save::{SaveState, show_write};
use crate::data::write::{Written, change_meta, write_doc};
use crate::i18n::labels as roster_labels;
use crate::i18n::t;
use crate::modules::lead::messages::review::ReviewMsg;
use crate::modules::lead::review::form::{Refused, SignOffForm, field_errors};
use crate::modules::lead::review::units::{UnitHere, sync_id};
use crate::modules::lead::review::{labels, rows, write};
use crate::sync::repo::use_sync;
use crate::trail::record_trail::RecordTrail;
use crate::ui::field_error::FieldError;
use crate::ui::save_note::{self, SaveNote};

/// The words of an action's outcome: a message, an optional department
/// and a detail (reason, date).
type Outcome = (ReviewMsg, Option<ReviewMsg>, String, bool);

#[component]
pub fn ReviewCandidate(
    district: Memo<Option<DistrictData>>,
    district_id: Memo<Option<DocumentId>>,
    units: Memo<Vec<UnitHere>>,
    /// This tablet may write the district document.
    writable: Signal<bool>,
    selected: RwSignal<Option<Id>>,
) -> impl IntoView {
    let sync = use_sync();
    let review = Memo::new(move |_| {
        let id = selected.get()?;
        district.with(|d| d.as_ref()?.reviews.get(&id).cloned())
    });
    let unit_doc = Memo::new(move |_| {
        let r = review.get()?;
        district.with(|d| rows::unit_docs(d.as_ref()?).get(&r.unit_id).copied())
    });
    let unit_writable =
        Signal::derive(move || unit_doc.get().is_some_and(|d| sync.may_write(&sync_id(&d))));
    let unit_here = Signal::derive(move || {
        let d = unit_doc.get()?;
        let id = sync_id(&d);
        units.with(|u| u.iter().find(|(x, _)| *x == id).map(|(_, x)| x.clone()))
    });
    let outcome = RwSignal::new(None::<Outcome>);
    let errors = RwSignal::new(FieldErrors::default());
    let state = RwSignal::new(SaveState::Idle);
    let department = RwSignal::new(None::<Department>);
    let result = RwSignal::new(None::<SignOffResult>);
    let reviewer = RwSignal::new(String::new());
    let date = RwSignal::new(today().to_string());
    let reason = RwSignal::new(String::new());
    // A new candidate: clean form and messages.
    Effect::new(move |_| {
        selected.track();
        outcome.set(None);
        errors.set(FieldErrors::default());
        state.set(SaveState::Idle);
        department.set(None);
        result.set(None);
        reason.set(String::new());
    });
    settle(sync, move || district_id.get(), vec![state]);

    // Writes the updated review into the district document.
    let put_review = move |record: CandidateReview| -> bool {
        let Some(doc) = district_id.get_untracked() else {
            state.set(SaveState::Failed);
            return false;
        };
        let meta = change_meta();
        show_write(
            write_doc(sync, doc, |am| {
                write::edit_district(am, |d| d.put(&record, &meta))
            }),
            errors,
            state,
            |v| field_errors(v, "result"),
        )
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        outcome.set(None);
        let Some(r) = review.get_untracked() else {
            return;
        };
        let form = SignOffForm {
            department: department.get_untracked(),
            result: result.get_untracked(),
            reviewer: reviewer.get_untracked(),
            date: date.get_untracked(),
            reason: reason.get_untracked(),
        };
        match form.apply(&r) {
            Ok(updated) => {
                if put_review(updated) {
                    errors.set(FieldErrors::default());
                    reason.set(String::new());
                }
            }
            Err(Refused::Fields(e)) => {
                errors.set(e);
                state.set(SaveState::Invalid);
            }
            Err(Refused::Review(m)) => {
                errors.set(FieldErrors::default());
                state.set(SaveState::Idle);
                outcome.set(Some((m, None, String::new(), false)));
            }
        }
    };
    let step = move |f: fn(
        &CandidateReview,
        yanzhen_model::Date,
    ) -> Result<CandidateReview, ReviewRefusal>| {
        outcome.set(None);
        let Some(r) = review.get_untracked() else {
            return;
        };
        match f(&r, today()) {
            Ok(updated) => {
                if put_review(updated) {
                    outcome.set(Some((ReviewMsg::ActionDone, None, String::new(), true)));
                }
            }
            Err(e) => {
                let detail = match &e {
                    ReviewRefusal::PublicityNotOver(d) => d.to_string(),
                    ReviewRefusal::Pending(n) => n.to_string(),
                    _ => String::new(),
                };
                outcome.set(Some((labels::review_refusal(&e), None, detail, false)));
            }
        }
    };
    let give_seat = move |_| {
        outcome.set(None);
        let (Some(r), Some(doc)) = (review.get_untracked(), unit_doc.get_untracked()) else {
            return;
        };
        let Some(unit) = unit_here.get_untracked() else {
            outcome.set(Some((ReviewMsg::UnitNotHere, None, String::new(), false)));
            return;
        };
        let kind = district.with_untracked(|d| {
            d.as_ref()
                .and_then(|d| d.batches.get(&r.batch_id))
                .map(|b| b.kind)
        });
        let how =
            review::how_obtained(kind.unwrap_or(yanzhen_model::entities::BatchKind::Election));
        match review::give_seat(&r, how, &unit, today(), new_id) {
            Err(e) => {
                let (m, d, detail) = labels::seat_refusal(&e);
                outcome.set(Some((m, d, detail, false)));
            }
            Ok(seat) => {
                let meta = change_meta();
                let res = write_doc(sync, sync_id(&doc), |am| {
                    roster_write::edit_unit(am, |u| {
                        if let Some(p) = &seat.new_person {
                            u.put(p, &meta)?;
                        }
                        u.put(&seat.post, &meta)
                    })
                });
                match res {
                    Written::Saved(_) => {
                        outcome.set(Some((ReviewMsg::SeatGiven, None, String::new(), true)))
                    }
                    Written::Refused(_) => outcome.set(Some((
                        ReviewMsg::RefusedInvalid,
                        None,
                        String::new(),
                        false,
                    ))),
                    Written::Failed(_) => state.set(SaveState::Failed),
                }
            }
        }
    };

    let facts = move || {
        let r = review.get()?;
        let names = district.with(|d| d.as_ref().map(rows::unit_names).unwrap_or_default());
        let batch = district.with(|d| {
            d.as_ref()
                .and_then(|d| d.batches.get(&r.batch_id))
                .map(|b| b.name.clone())
                .unwrap_or_default()
        });
        let now = today();
        let status = review::status(&r, now);
        let days = review::publicity_days_left(&r, now);
        let publicity = match (r.publicity_start, r.publicity_end) {
            (Some(s), Some(e)) => format!("{s} — {e}"),
            _ => String::new(),
        };
        Some(view! {
            <dl class="facts" id="candidate-facts">
                <dt>{t(ReviewMsg::ColName)}</dt><dd id="candidate-name">{r.candidate_name.clone()}</dd>
                <dt>{t(ReviewMsg::ColIdNumber)}</dt><dd class="id-masked">{mask_id_number(&r.candidate_id_number)}</dd>
                <dt>{t(ReviewMsg::ColUnit)}</dt><dd>{names.get(&r.unit_id).cloned().unwrap_or_default()}</dd>
                <dt>{t(ReviewMsg::ColSeat)}</dt><dd>{t(roster_labels::post_title(r.seat))}</dd>
                <dt>{t(ReviewMsg::ColBatch)}</dt><dd>{batch}</dd>
                <dt>{t(ReviewMsg::ColStatus)}</dt>
                <dd><span id="candidate-status" data-status=labels::status_key(status)
                    class=format!("badge status-{}", labels::status_key(status))>{t(labels::status(status))}</span></dd>
                <dt>{t(ReviewMsg::Publicity)}</dt>
                <dd id="candidate-publicity">
                    {if publicity.is_empty() { t(ReviewMsg::PublicityNone)().to_owned() } else { publicity }}
                    {days.map(|d| view! { " " <span class="badge" id="publicity-days-left" data-days=d.to_string()>{d} " " {t(ReviewMsg::PublicityDaysLeft)}</span> })}
                </dd>
            </dl>
        })
    };
    let board = move || {
        let r = review.get()?;
        Some(view! {
            <table class="plain-table" id="candidate-board">
                <thead><tr>
                    <th>{t(ReviewMsg::ColDepartment)}</th>
                    <th>{t(ReviewMsg::ColVerdict)}</th>
                    <th>{t(ReviewMsg::ColReviewer)}</th>
                    <th>{t(ReviewMsg::ColDate)}</th>
                    <th>{t(ReviewMsg::ColReason)}</th>
                </tr></thead>
                <tbody>
                    {Department::ALL.iter().map(|&d| {
                        let s = r.signoffs.iter().find(|s| s.department == d).cloned();
                        let v = review::verdict(&r, d);
                        view! {
                            <tr class="signoff-row" data-department=format!("{d:?}") data-result=format!("{v:?}")>
                                <td>{t(labels::department(d))}</td>
                                <td><span class="verdict" class:mark-pass=v == SignOffResult::Pass class:mark-fail=v == SignOffResult::Fail>
                                    {labels::verdict_mark(v)} " " {t(labels::verdict(v))}</span></td>
                                <td>{s.as_ref().map(|s| s.reviewer.clone())}</td>
                                <td>{s.as_ref().and_then(|s| s.date).map(|d| d.to_string())}</td>
                                <td class="signoff-reason">{s.as_ref().map(|s| s.reason.clone())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        })
    };
    let invalid = move |f: &'static str| move || errors.with(|e| e.get(f).is_some());
    let doc_for_trail = Signal::derive(move || district_id.get());
    let id_for_trail = Signal::derive(move || review.with(|r| r.as_ref().map(|r| r.id.clone())));
    view! {
        <Show when=move || review.with(Option::is_some)>
            <section class="card review-candidate" id="candidate-panel">
                <h2>{t(ReviewMsg::CandidateTitle)}</h2>
                {facts}
                <h3>{t(ReviewMsg::BoardTitle)}</h3>
                {board}
                <Show
                    when=move || writable.get()
                    fallback=|| view! { <p class="hint" id="signoff-readonly">{t(ReviewMsg::ReadOnlyDistrict)}</p> }
                >
                    <h3>{t(ReviewMsg::SignOffTitle)}</h3>
                    <form class="form field-grid review-signoff" id="signoff-form" on:submit=submit novalidate=true>
                        <div class="field">
                            <label for="signoff-department">{t(ReviewMsg::SignOffDepartment)}</label>
                            <select id="signoff-department" class:invalid=invalid("department") on:change=move |ev| {
                                department.set(event_target_value(&ev).parse::<usize>().ok().and_then(|i| Department::ALL.get(i)).copied());
                            }>
                                <option value="" selected=move || department.get().is_none()>{t(ReviewMsg::SignOffPickDepartment)}</option>
                                {Department::ALL.iter().enumerate().map(|(i, v)| {
                                    let v = *v;
                                    view! { <option value=i.to_string() data-department=format!("{v:?}") selected=move || department.get() == Some(v)>{t(labels::department(v))}</option> }
                                }).collect_view()}
                            </select>
                            <FieldError id="signoff-department" field="department" errors=errors/>
                        </div>
                        <fieldset class="choices review-verdict">
                            <legend>{t(ReviewMsg::SignOffResult)}</legend>
                            <label class="choice">
                                <input type="radio" name="signoff-result" id="signoff-pass"
                                    prop:checked=move || result.get() == Some(SignOffResult::Pass)
                                    on:change=move |_| result.set(Some(SignOffResult::Pass))/>
                                {t(ReviewMsg::VerdictPass)}
                            </label>
                            <label class="choice">
                                <input type="radio" name="signoff-result" id="signoff-fail"
                                    prop:checked=move || result.get() == Some(SignOffResult::Fail)
                                    on:change=move |_| result.set(Some(SignOffResult::Fail))/>
                                {t(ReviewMsg::VerdictFail)}
                            </label>
                            <FieldError id="signoff-result" field="result" errors=errors/>
                        </fieldset>
                        <div class="field">
                            <label for="signoff-reviewer">{t(ReviewMsg::SignOffReviewer)}</label>
                            <input type="text" id="signoff-reviewer" bind:value=reviewer class:invalid=invalid("reviewer")/>
                            <FieldError id="signoff-reviewer" field="reviewer" errors=errors/>
                        </div>
                        <div class="field">
                            <label for="signoff-date">{t(ReviewMsg::SignOffDate)}</label>
                            <input type="date" id="signoff-date" bind:value=date class:invalid=invalid("date")/>
                            <FieldError id="signoff-date" field="date" errors=errors/>
                        </div>
                        <div class="field field-wide">
                            <label for="signoff-reason">{t(ReviewMsg::SignOffReason)}</label>
                            <input type="text" id="signoff-reason" bind:value=reason class:invalid=invalid("reason")/>
                            <FieldError id="signoff-reason" field="reason" errors=errors/>
                        </div>
                        <div class="form-actions field-wide">
                            <button type="submit" class="button primary" id="signoff-submit">{t(ReviewMsg::SignOffSubmit)}</button>
                            <SaveNote id="signoff-state" state=state words=save_note::ROSTER/>
                        </div>
                    </form>
                </Show>
                <div class="form-actions review-actions">
                    <Show when=move || writable.get()>
                        <button type="button" class="button" id="publicity-start" on:click=move |_| step(review::start_publicity)>
                            {t(ReviewMsg::PublicityStart)}
                        </button>
                        <button type="button" class="button" id="review-conclude" on:click=move |_| step(review::conclude)>
                            {t(ReviewMsg::Conclude)}
                        </button>
                    </Show>
                    <button type="button" class="button primary" id="give-seat"
                        disabled=move || !unit_writable.get() on:click=give_seat>
                        {t(ReviewMsg::GiveSeat)}
                    </button>
                </div>
                {move || if unit_writable.get() {
                    view! { <p class="hint">{t(ReviewMsg::GiveSeatHint)}</p> }.into_any()
                } else {
                    view! { <p class="hint" id="give-seat-readonly">{t(ReviewMsg::ReadOnlyUnit)}</p> }.into_any()
                }}
                {move || outcome.get().map(|(m, d, detail, ok)| view! {
                    <p class="notice" class:notice-error=!ok class:notice-ok=ok id="candidate-message"
                        data-ok=ok.to_string() role=if ok { "status" } else { "alert" }>
                        {t(m)}
                        {d.map(|d| view! { " " <strong>{t(d)}</strong> })}
                        {(!detail.is_empty()).then(|| view! { " " <span class="detail">{detail.clone()}</span> })}
                    </p>
                })}
            </section>
            <RecordTrail<CandidateReview> doc=doc_for_trail id=id_for_trail names=labels::FIELD_NAMES/>
        </Show>
    }
}
