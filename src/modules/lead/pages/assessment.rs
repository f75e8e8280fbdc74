//! 年度考核 (annual assessment): a year and a ranking group (township /
//! street) picked, the group's ranking (rank 1 = best; ties explained); a
//! score entered for a secretary re-ranks the whole group in one write
//! ([`yanzhen_model::rank::enter_score`]); the secretaries ranked last two
//! years running, adjusted and still to adjust, with the adjust action; a
//! tapped row shows the assessment's history and conflicts. Assessments are
//! district-document records: only a tablet that may write the district
//! document (the district admin) is offered the forms.

// Writes return the model's (large) `ModelError`, the model's own API shape.
#![allow(clippy::result_large_err)]

use leptos::prelude::*;

use crate::data::clock::today;
use yanzhen_model::Id;
use yanzhen_model::entities::{Assessment, Grade};
use yanzhen_model::rank;

use crate::data::docs::{district_doc, unsaved, use_district};
use crate::data::ids::new_id;
use crate::data::save::{SaveState, show_write};
use crate::data::write::change_meta;
use crate::i18n::{Lang, t, use_i18n};
use crate::modules::lead::components::rank_locked::RankLocked;
use crate::modules::lead::messages::rank::RankMsg;
use crate::modules::lead::rank::data::{can_write, use_units_here};
use crate::modules::lead::rank::form::{AdjustForm, RankErr, RankErrors, ScoreForm, format_score};
use crate::modules::lead::rank::rows::{
    self, AdjustRow, FIELD_NAMES, adjust_rows, grade_msg, group_choices, group_of,
    parse_person_key, person_key, ranking_rows, secretary_choices,
};
use crate::modules::lead::rank::write::put_all;
use crate::routes::Screen;
use crate::sync::repo::use_sync;
use crate::trail::record_trail::RecordTrail;
use crate::ui::field_error::FieldError;
use crate::ui::save_note::SaveNote;
use crate::ui::screen_header::ScreenHeader;

#[component]
pub fn LeadAssessmentPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let district = use_district(sync);
    let ddoc = district_doc(sync);
    let units = use_units_here(sync);
    let unit_list =
        Memo::new(move |_| units.with(|u| u.iter().map(|(_, d)| d.clone()).collect::<Vec<_>>()));
    let may_write = Memo::new(move |_| can_write(sync, ddoc.get()));

    let years = Memo::new(move |_| {
        district.with(|d| d.as_ref().map(rank::assessment_years).unwrap_or_default())
    });
    let year = RwSignal::new(None::<u16>);
    Effect::new(move |_| {
        if year.get_untracked().is_none()
            && let Some(y) = years.get().first()
        {
            year.set(Some(*y));
        }
    });
    let groups =
        Memo::new(move |_| district.with(|d| d.as_ref().map(group_choices).unwrap_or_default()));
    let group = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if group.get_untracked().is_none()
            && let Some((g, _)) = groups.get().first()
        {
            group.set(Some(g.clone()));
        }
    });

    let ranking = Memo::new(move |_| {
        let (Some(y), Some(g)) = (year.get(), group.get()) else {
            return Vec::new();
        };
        district.with(|d| {
            d.as_ref()
                .map(|d| unit_list.with(|u| ranking_rows(d, u, &g, y)))
                .unwrap_or_default()
        })
    });
    let selected = RwSignal::new(None::<Id>);

    // ---- score entry
    let secretaries = Memo::new(move |_| {
        let Some(g) = group.get() else {
            return Vec::new();
        };
        district.with(|d| {
            d.as_ref()
                .map(|d| unit_list.with(|u| secretary_choices(d, u, &g)))
                .unwrap_or_default()
        })
    });
    let person = RwSignal::new(String::new());
    let score = RwSignal::new(String::new());
    let grade = RwSignal::new(String::new());
    let votes_for = RwSignal::new(String::new());
    let votes_total = RwSignal::new(String::new());
    let errors = RwSignal::new(RankErrors::default());
    let state = RwSignal::new(SaveState::Idle);
    let adjust_errors = RwSignal::new(RankErrors::default());
    let adjust_state = RwSignal::new(SaveState::Idle);
    Effect::new(move |_| {
        let Some(d) = ddoc.get() else { return };
        let pending = unsaved(sync, &d);
        for s in [state, adjust_state] {
            if s.get() == SaveState::Saving && !pending {
                s.set(SaveState::Saved);
            }
        }
    });
    // Choosing a secretary fills in their score of the year, if any.
    let choose_person = move |key: String| {
        person.set(key.clone());
        let existing = parse_person_key(&key).and_then(|p| {
            let y = year.get_untracked()?;
            district.with_untracked(|d| {
                d.as_ref()
                    .and_then(|d| rank::assessment_of(d, &p, y).cloned())
            })
        });
        let f = existing
            .as_ref()
            .map(ScoreForm::from_assessment)
            .unwrap_or_default();
        score.set(f.score);
        grade.set(
            f.grade
                .and_then(|g| Grade::ALL.iter().position(|x| *x == g))
                .map(|i| i.to_string())
                .unwrap_or_default(),
        );
        votes_for.set(f.votes_for);
        votes_total.set(f.votes_total);
        errors.set(RankErrors::default());
        state.set(SaveState::Idle);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(d), Some(y)) = (ddoc.get_untracked(), year.get_untracked()) else {
            state.set(SaveState::Failed);
            return;
        };
        let form = ScoreForm {
            person: parse_person_key(&person.get_untracked()),
            score: score.get_untracked(),
            grade: grade
                .get_untracked()
                .parse::<usize>()
                .ok()
                .and_then(|i| Grade::ALL.get(i).copied()),
            votes_for: votes_for.get_untracked(),
            votes_total: votes_total.get_untracked(),
        };
        let records = district.with_untracked(|dd| {
            let dd = dd.as_ref()?;
            let g = form
                .person
                .as_ref()
                .and_then(|p| group_of(dd, p))
                .or_else(|| group.get_untracked())
                .unwrap_or_default();
            let existing = form
                .person
                .as_ref()
                .and_then(|p| rank::assessment_of(dd, p, y));
            Some(
                form.to_assessment(new_id(), y, &g, existing)
                    .map(|a| (a.id.clone(), rank::enter_score(dd, &a))),
            )
        });
        let (id, records) = match records {
            None => {
                state.set(SaveState::Failed);
                return;
            }
            Some(Err(e)) => {
                errors.set(e);
                state.set(SaveState::Invalid);
                return;
            }
            Some(Ok(r)) => r,
        };
        let meta = change_meta();
        if show_write(
            sync.change(d, |am| put_all(am, &records, &meta)),
            errors,
            state,
            |v| RankErrors::from_validation(v, "score"),
        ) {
            selected.set(Some(id));
        }
    };

    // ---- adjustments
    let lists = Memo::new(move |_| {
        district.with(|d| {
            d.as_ref()
                .map(|d| unit_list.with(|u| adjust_rows(d, u)))
                .unwrap_or_default()
        })
    });
    let adjusting = RwSignal::new(None::<Id>);
    let adjust_date = RwSignal::new(String::new());
    let adjust_reason = RwSignal::new(String::new());
    let open_adjust = move |id: Id| {
        adjusting.set(Some(id.clone()));
        selected.set(Some(id));
        adjust_date.set(today().to_string());
        adjust_reason.set(String::new());
        adjust_errors.set(RankErrors::default());
        adjust_state.set(SaveState::Idle);
    };
    let submit_adjust = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(d), Some(aid)) = (ddoc.get_untracked(), adjusting.get_untracked()) else {
            adjust_state.set(SaveState::Failed);
            return;
        };
        let meta = change_meta();
        let by = if meta.person.trim().is_empty() {
            RankMsg::DistrictDept.text(Lang::ZhCn).to_owned()
        } else {
            meta.person.clone()
        };
        let form = AdjustForm {
            date: adjust_date.get_untracked(),
            reason: adjust_reason.get_untracked(),
        };
        let adjustment = match form.to_adjustment(&by) {
            Ok(a) => a,
            Err(e) => {
                adjust_errors.set(e);
                adjust_state.set(SaveState::Invalid);
                return;
            }
        };
        let Some(record) = district.with_untracked(|dd| {
            dd.as_ref()
                .and_then(|dd| rank::adjust(dd, &aid, adjustment))
        }) else {
            let mut e = RankErrors::default();
            e.add("adjustment.reason", RankErr::App(RankMsg::AdjustNotBottom));
            adjust_errors.set(e);
            adjust_state.set(SaveState::Invalid);
            return;
        };
        if show_write(
            sync.change(d, |am| put_all(am, &[record], &meta)),
            adjust_errors,
            adjust_state,
            |v| RankErrors::from_validation(v, "adjustment.reason"),
        ) {
            adjusting.set(None);
        }
    };

    let unknown = move || RankMsg::Unknown.text(i18n.lang.get()).to_owned();
    let rank_rows_view = move || {
        ranking
            .get()
            .into_iter()
            .map(|r| {
                let id = r.id.clone();
                let sel = r.id.clone();
                let name = r.name.clone();
                view! {
                    <tr
                        class="rank-row"
                        class:selected=move || selected.get().as_ref() == Some(&sel)
                        data-id=r.id.as_str().to_owned()
                        data-rank=r.rank.to_string()
                        data-person=r.person.person.as_str().to_owned()
                        data-score=format_score(r.score)
                        on:click=move |_| selected.set(Some(id.clone()))
                    >
                        <td class="rank-no">{r.rank}</td>
                        <td>{move || name.clone().unwrap_or_else(unknown)}</td>
                        <td>{r.unit.clone()}</td>
                        <td class="num">{format_score(r.score)}</td>
                        <td>{t(grade_msg(r.grade))}</td>
                        <td class="num">{format!("{}/{}", r.votes_for, r.votes_total)}</td>
                        <td>
                            {r.tied.then(|| view! { <span class="badge rank-tied">{t(RankMsg::Tied)}</span> })}
                            {r.adjusted.then(|| view! { <span class="badge rank-adjusted">{t(RankMsg::Adjusted)}</span> })}
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    let ranking_view = move || {
        if district.with(Option::is_none) {
            return view! { <p class="empty-state" id="rank-state">{t(RankMsg::Loading)}</p> }
                .into_any();
        }
        if ranking.with(Vec::is_empty) {
            return view! { <p class="empty-state" id="rank-state">{t(RankMsg::NoAssessments)}</p> }
                .into_any();
        }
        view! {
            <table class="plain-table rank-table" id="rank-table">
                <thead>
                    <tr>
                        <th>{t(RankMsg::RankCol)}</th>
                        <th>{t(RankMsg::Name)}</th>
                        <th>{t(RankMsg::Unit)}</th>
                        <th class="num">{t(RankMsg::Score)}</th>
                        <th>{t(RankMsg::Grade)}</th>
                        <th class="num">{t(RankMsg::Votes)}</th>
                        <th>{t(RankMsg::Status)}</th>
                    </tr>
                </thead>
                <tbody>{rank_rows_view}</tbody>
            </table>
            <p class="hint" id="rank-tie-rule">{t(RankMsg::TieRule)}</p>
        }
        .into_any()
    };

    let year_options = move || {
        years
            .get()
            .into_iter()
            .map(|y| view! { <option value=y.to_string() selected=move || year.get() == Some(y)>{y}</option> })
            .collect_view()
    };
    let group_options = move || {
        groups
            .get()
            .into_iter()
            .map(|(g, name)| {
                let v = g.clone();
                view! { <option value=g selected=move || group.get().as_deref() == Some(v.as_str())>{name}</option> }
            })
            .collect_view()
    };
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

    let score_form = move || {
        if !may_write.get() {
            return view! { <RankLocked id="score-locked" msg=RankMsg::ScoreLocked/> }.into_any();
        }
        view! {
            <form class="form rank-form" id="score-form" on:submit=submit novalidate=true>
                <p class="hint">{t(RankMsg::ScoreHint)}</p>
                <div class="field-grid">
                    <div class="field field-wide">
                        <label for="score-person">{t(RankMsg::Secretary)}</label>
                        <select id="score-person" on:change=move |ev| choose_person(event_target_value(&ev))>
                            <option value="" selected=move || person.get().is_empty()>{t(RankMsg::PickSecretary)}</option>
                            {person_options}
                        </select>
                        <FieldError id="score-person" field="person" errors=errors/>
                    </div>
                    <div class="field">
                        <label for="score-value">{t(RankMsg::Score)}</label>
                        <input type="text" inputmode="decimal" id="score-value" autocomplete="off"
                            class:invalid=move || errors.with(|e| e.get("score").is_some())
                            bind:value=score/>
                        <FieldError id="score-value" field="score" errors=errors/>
                    </div>
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
                <div class="form-actions">
                    <button type="submit" class="button primary" id="score-submit">{t(RankMsg::Save)}</button>
                    <SaveNote id="score-state" state=state words=crate::modules::lead::messages::rank::SAVE_WORDS/>
                </div>
            </form>
        }
        .into_any()
    };

    let adjust_form = move || {
        view! {
            <form class="form rank-form adjust-form" id="adjust-form" on:submit=submit_adjust novalidate=true>
                <div class="field-grid">
                    <div class="field">
                        <label for="adjust-date">{t(RankMsg::AdjustDate)}</label>
                        <input type="date" id="adjust-date" bind:value=adjust_date/>
                        <FieldError id="adjust-date" field="adjustment.date" errors=adjust_errors/>
                    </div>
                    <div class="field field-wide">
                        <label for="adjust-reason">{t(RankMsg::AdjustReason)}</label>
                        <input type="text" id="adjust-reason" autocomplete="off"
                            placeholder=move || RankMsg::AdjustReasonHint.text(i18n.lang.get())
                            bind:value=adjust_reason/>
                        <FieldError id="adjust-reason" field="adjustment.reason" errors=adjust_errors/>
                    </div>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button danger" id="adjust-submit">{t(RankMsg::AdjustSubmit)}</button>
                    <button type="button" class="button" id="adjust-cancel" on:click=move |_| adjusting.set(None)>
                        {t(RankMsg::Cancel)}
                    </button>
                </div>
            </form>
        }
    };
    let case_line = move |r: &AdjustRow| {
        let name = r.name.clone();
        view! {
            <span class="adjust-name">{move || name.clone().unwrap_or_else(unknown)}</span>
            <span class="adjust-unit">{format!("{} · {}", r.unit, r.group)}</span>
            <span class="adjust-years">{t(RankMsg::BottomYears)} " " {format!("{}–{}", r.years.0, r.years.1)}</span>
        }
    };
    let pending_view = move || {
        let (_, pending) = lists.get();
        if pending.is_empty() {
            return view! { <p class="empty-state small" id="adjust-none-pending">{t(RankMsg::NonePending)}</p> }
                .into_any();
        }
        view! {
            <ul class="adjust-list" id="adjust-pending">
                {pending
                    .into_iter()
                    .map(|r| {
                        let id = r.id.clone();
                        let open = r.id.clone();
                        let is_open = r.id.clone();
                        view! {
                            <li class="adjust-row" data-id=r.id.as_str().to_owned()>
                                <div class="adjust-line" on:click=move |_| selected.set(Some(id.clone()))>
                                    {case_line(&r)}
                                    {move || {
                                        if may_write.get() {
                                            let open = open.clone();
                                            view! {
                                                <button type="button" class="button adjust-open" on:click=move |ev| {
                                                    ev.stop_propagation();
                                                    open_adjust(open.clone());
                                                }>{t(RankMsg::Adjust)}</button>
                                            }
                                            .into_any()
                                        } else {
                                            ().into_any()
                                        }
                                    }}
                                </div>
                                <Show when=move || adjusting.get().as_ref() == Some(&is_open)>
                                    {adjust_form}
                                </Show>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let done_view = move || {
        let (done, _) = lists.get();
        if done.is_empty() {
            return view! { <p class="empty-state small" id="adjust-none-done">{t(RankMsg::NoneDone)}</p> }
                .into_any();
        }
        view! {
            <ul class="adjust-list" id="adjust-done">
                {done
                    .into_iter()
                    .map(|r| {
                        let id = r.id.clone();
                        let a = r.adjustment.clone();
                        view! {
                            <li class="adjusted-row" data-id=r.id.as_str().to_owned() on:click=move |_| selected.set(Some(id.clone()))>
                                <div class="adjust-line">{case_line(&r)}</div>
                                {a.map(|a| view! {
                                    <dl class="facts adjust-facts">
                                        <dt>{t(RankMsg::AdjustDate)}</dt>
                                        <dd class="adjust-date">{a.date.to_string()}</dd>
                                        <dt>{t(RankMsg::AdjustBy)}</dt>
                                        <dd class="adjust-by">{a.by}</dd>
                                        <dt>{t(RankMsg::AdjustReason)}</dt>
                                        <dd class="adjust-reason">{a.reason}</dd>
                                    </dl>
                                })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };

    let detail = move || {
        let id = selected.get()?;
        let a: Assessment = district.with(|d| d.as_ref()?.assessments.get(&id).cloned())?;
        let name = unit_list.with(|u| rows::person_name(u, &a.person));
        let unit = district.with(|d| d.as_ref().map(|d| rows::unit_name(d, &a.person.unit)))?;
        Some(view! {
            <section class="card rank-detail" id="rank-detail" data-id=id.as_str().to_owned()>
                <div class="card-head">
                    <h2>{t(RankMsg::RecordTitle)}</h2>
                    <button type="button" class="button" id="rank-detail-close" on:click=move |_| selected.set(None)>
                        {t(RankMsg::Close)}
                    </button>
                </div>
                <dl class="facts">
                    <dt>{t(RankMsg::Name)}</dt>
                    <dd>{move || name.clone().unwrap_or_else(unknown)}</dd>
                    <dt>{t(RankMsg::Unit)}</dt>
                    <dd>{unit}</dd>
                    <dt>{t(RankMsg::Year)}</dt>
                    <dd>{a.year}</dd>
                    <dt>{t(RankMsg::Score)}</dt>
                    <dd id="rank-detail-score">{format_score(a.score)}</dd>
                    <dt>{t(RankMsg::RankCol)}</dt>
                    <dd id="rank-detail-rank">{a.rank}</dd>
                    <dt>{t(RankMsg::Grade)}</dt>
                    <dd>{t(grade_msg(a.grade))}</dd>
                </dl>
            </section>
        })
    };
    let selected_sig = Signal::derive(move || selected.get());
    let ddoc_sig = Signal::derive(move || ddoc.get());

    view! {
        <ScreenHeader screen=Screen::LeadAssessment/>
        <p class="page-intro">{t(RankMsg::AssessIntro)}</p>
        <section class="card rank-tools">
            <div class="field">
                <label for="rank-year">{t(RankMsg::Year)}</label>
                <select id="rank-year" on:change=move |ev| {
                    year.set(event_target_value(&ev).parse().ok());
                    selected.set(None);
                }>{year_options}</select>
            </div>
            <div class="field">
                <label for="rank-group">{t(RankMsg::Group)}</label>
                <select id="rank-group" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    group.set((!v.is_empty()).then_some(v));
                    selected.set(None);
                    person.set(String::new());
                }>{group_options}</select>
            </div>
        </section>
        <section class="card">
            {ranking_view}
        </section>
        {detail}
        <RecordTrail<Assessment> doc=ddoc_sig id=selected_sig names=FIELD_NAMES/>
        <section class="card" id="score-card">
            <h2>{t(RankMsg::ScoreTitle)}</h2>
            {score_form}
        </section>
        <section class="card" id="bottom-card">
            <h2>{t(RankMsg::BottomTitle)}</h2>
            <p class="hint">{t(RankMsg::BottomIntro)}</p>
            <h3>{t(RankMsg::PendingTitle)}</h3>
            {pending_view}
            <SaveNote id="adjust-state" state=adjust_state words=crate::modules::lead::messages::rank::SAVE_WORDS/>
            <h3>{t(RankMsg::DoneTitle)}</h3>
            {done_view}
        </section>
    }
}
