//! 任期承诺与述职评议: per village / community, the secretary's term
//! commitments with their progress and the annual duty reports with their
//! votes; a tapped row opens its form (progress 0–100; four vote counts and
//! the ballots cast, none negative, together at most the ballots) and its
//! history and conflicts. A tablet holding several units (township,
//! district) sees an overview across them. Commitments and reports are
//! unit-document records: the forms are offered only where this tablet may
//! write the unit's document.

use leptos::prelude::*;

use crate::data::docs::unit_choice_list;

use crate::data::clock::today;
use yanzhen_model::Id;
use yanzhen_model::entities::{DutyReport, TermCommitment};
use yanzhen_sync::DocumentId;

use crate::data::docs::{doc_param, parse_doc, unit_docs_here, use_district, use_unit};
use crate::data::save::SaveState;
use crate::data::save::settle;
use crate::i18n::{t, use_i18n};
use crate::modules::lead::components::rank_locked::RankLocked;
use crate::modules::lead::components::rank_progress_bar::RankProgressBar;
use crate::modules::lead::messages::rank::RankMsg;
use crate::modules::lead::rank::data::{can_write, save_edit, use_units_here};
use crate::modules::lead::rank::form::{RankErrors, VotesForm, progress};
use crate::modules::lead::rank::rows::{
    CommitmentRow, DutyOverviewRow, DutyRow, FIELD_NAMES, commitment_rows, duty_overview, duty_rows,
};
use crate::routes::Screen;
use crate::sync::repo::use_sync;
use crate::trail::record_trail::RecordTrail;
use crate::ui::empty_note::EmptyNote;
use crate::ui::field_error::FieldError;
use crate::ui::save_actions::SaveActions;
use crate::ui::screen_header::ScreenHeader;
use crate::ui::table::{Heads, Table};
use crate::ui::text_field::TextField;
use crate::ui::unit_picker::UnitPicker;

/// What the detail panel shows.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Picked {
    Commitment(Id),
    Report(Id),
}

#[component]
pub fn LeadCommitmentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let district = use_district(sync);
    let here = unit_docs_here(sync);
    let choices = unit_choice_list(district, here);
    let selected_unit = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let c = choices.get();
        if selected_unit.get_untracked().is_none()
            && let Some(first) = c.first()
        {
            selected_unit.set(Some(doc_param(&first.doc)));
        }
    });
    let doc = Signal::derive(move || selected_unit.get().as_deref().and_then(parse_doc));
    let data = use_unit(sync, doc);
    let may_write = Memo::new(move |_| can_write(sync, doc.get()));
    let picked = RwSignal::new(None::<Picked>);
    Effect::new(move |_| {
        doc.track();
        picked.set(None);
    });

    // ---- overview (several units on this tablet)
    let units = use_units_here(sync);
    let overview = Memo::new(move |_| {
        let list: Vec<_> = units.with(|u| u.iter().map(|(_, d)| d.clone()).collect());
        district.with(|d| {
            d.as_ref()
                .map(|d| duty_overview(d, &list))
                .unwrap_or_default()
        })
    });
    let doc_of_unit = move |unit: &Id| -> Option<DocumentId> {
        units.with_untracked(|u| {
            u.iter()
                .find(|(_, d)| &d.unit_id == unit)
                .map(|(id, _)| *id)
        })
    };

    // ---- forms
    let progress_value = RwSignal::new(String::new());
    let progress_errors = RwSignal::new(RankErrors::default());
    let progress_state = RwSignal::new(SaveState::Idle);
    let votes = RwSignal::new(VotesForm::default());
    let votes_errors = RwSignal::new(RankErrors::default());
    let votes_state = RwSignal::new(SaveState::Idle);
    settle(sync, move || doc.get(), vec![progress_state, votes_state]);
    let commitment = Memo::new(move |_| match picked.get() {
        Some(Picked::Commitment(id)) => data.with(|d| d.as_ref()?.commitments.get(&id).cloned()),
        _ => None,
    });
    let report = Memo::new(move |_| match picked.get() {
        Some(Picked::Report(id)) => data.with(|d| d.as_ref()?.duty_reports.get(&id).cloned()),
        _ => None,
    });
    let pick = move |p: Picked| {
        picked.set(Some(p.clone()));
        match p {
            Picked::Commitment(id) => {
                let pct = data.with_untracked(|d| {
                    d.as_ref()
                        .and_then(|d| d.commitments.get(&id))
                        .map(|c| c.progress_pct.to_string())
                });
                progress_value.set(pct.unwrap_or_default());
                progress_errors.set(RankErrors::default());
                progress_state.set(SaveState::Idle);
            }
            Picked::Report(id) => {
                let f = data.with_untracked(|d| {
                    d.as_ref()
                        .and_then(|d| d.duty_reports.get(&id))
                        .map(VotesForm::from_report)
                });
                votes.set(f.unwrap_or_default());
                votes_errors.set(RankErrors::default());
                votes_state.set(SaveState::Idle);
            }
        }
    };
    let save_progress = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = progress_value.get_untracked();
        let change = |c: &TermCommitment| progress(c, &value, today());
        let picked = commitment.get_untracked();
        let doc = doc.get_untracked();
        save_edit(
            sync,
            doc,
            picked,
            change,
            "progress_pct",
            progress_errors,
            progress_state,
        );
    };
    let save_votes = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (picked, form) = (report.get_untracked(), votes.get_untracked());
        let doc = doc.get_untracked();
        save_edit(
            sync,
            doc,
            picked,
            |r| form.apply(r),
            "votes_total",
            votes_errors,
            votes_state,
        );
    };

    let unknown = move || RankMsg::Unknown.text(i18n.lang.get()).to_owned();
    // A list row's record: whether it is the picked one, and the tap that
    // picks it.
    let row_pick = move |p: Picked| {
        let sel = p.clone();
        (
            move || picked.get().as_ref() == Some(&sel),
            move |_: leptos::ev::MouseEvent| pick(p.clone()),
        )
    };
    // A person's name cell ("unknown" for a person not on this tablet).
    let name_cell = move |name: Option<String>| view! { <td>{move || name.clone().unwrap_or_else(unknown)}</td> };

    let overview_view = move || {
        let rows = overview.get();
        (rows.len() > 1).then(|| {
            view! {
                <section class="card" id="duty-overview-card">
                    <h2>{t(RankMsg::OverviewTitle)}</h2>
                    <Table id="duty-overview" class="plain-table rank-table" scroll="rank-scroll" rows=rows
                        row=move |r: DutyOverviewRow| {
                            let unit = r.unit_id.clone();
                            let target = doc_of_unit(&unit).map(|d| d.to_string());
                            let mean = r.duty.mean_progress;
                            view! {
                                <tr
                                    class="overview-row"
                                    data-unit=r.unit_id.as_str().to_owned()
                                    data-mean=mean.map(|m| m.to_string()).unwrap_or_default()
                                    on:click=move |_| {
                                        if let Some(t) = target.clone() {
                                            selected_unit.set(Some(t));
                                        }
                                    }
                                >
                                    <td>{r.township.clone()}</td>
                                    <td>{r.unit.clone()}</td>
                                    <td>{r.secretary.clone().unwrap_or_default()}</td>
                                    <td class="num">{r.duty.commitments}</td>
                                    <td>{mean.map(|m| view! { <RankProgressBar pct=m/> })}</td>
                                    <td class="num">{r.duty.fulfilled}</td>
                                    <td class="num">
                                        {r.duty.latest_report.map(|(y, p)| format!("{y} · {p}%"))}
                                    </td>
                                </tr>
                            }
                        }
                    >
                        <Heads words=[RankMsg::Township, RankMsg::Unit, RankMsg::Secretary]/>
                        <Heads num=true words=[RankMsg::Commitments]/>
                        <th>{t(RankMsg::MeanProgress)}</th>
                        <Heads num=true words=[RankMsg::Fulfilled, RankMsg::LatestReport]/>
                    </Table>
                </section>
            }
        })
    };

    let commitments_view = move || {
        let Some(list) = data.with(|d| d.as_ref().map(commitment_rows)) else {
            return view! { <EmptyNote id="duty-state" msg=RankMsg::Loading/> }.into_any();
        };
        view! {
            <Table id="commitment-list" class="plain-table rank-table" rows=list
                empty=|| view! { <EmptyNote id="commitments-none" msg=RankMsg::NoCommitments small=true/> }
                row=move |r: CommitmentRow| {
                    let (is_picked, tap) = row_pick(Picked::Commitment(r.record.id.clone()));
                    view! {
                        <tr
                            class="commitment-row"
                            class:selected=is_picked
                            data-id=r.record.id.as_str().to_owned()
                            data-progress=r.record.progress_pct.to_string()
                            on:click=tap
                        >
                            {name_cell(r.name.clone())}
                            <td>{r.record.text.clone()}</td>
                            <td class="num">{r.record.term_start_year}</td>
                            <td><RankProgressBar pct=u32::from(r.record.progress_pct)/></td>
                            <td>{r.record.updated.to_string()}</td>
                        </tr>
                    }
                }
            >
                <Heads words=[RankMsg::Name, RankMsg::Commitment]/>
                <Heads num=true words=[RankMsg::TermStart]/>
                <Heads words=[RankMsg::Progress, RankMsg::Updated]/>
            </Table>
        }
        .into_any()
    };

    let reports_view = move || {
        let list = data.with(|d| d.as_ref().map(duty_rows)).unwrap_or_default();
        view! {
            <Table id="duty-list" class="plain-table rank-table" rows=list
                empty=|| view! { <EmptyNote id="reports-none" msg=RankMsg::NoDutyReports small=true/> }
                row=move |r: DutyRow| {
                    let (is_picked, tap) = row_pick(Picked::Report(r.record.id.clone()));
                    let d = r.record.clone();
                    view! {
                        <tr
                            class="duty-row"
                            class:selected=is_picked
                            data-id=d.id.as_str().to_owned()
                            data-total=r.votes.total.to_string()
                            on:click=tap
                        >
                            {name_cell(r.name.clone())}
                            <td class="num">{d.year}</td>
                            <td>{d.date.to_string()}</td>
                            <td class="num votes-excellent">{d.votes_excellent}</td>
                            <td class="num">{d.votes_competent}</td>
                            <td class="num">{d.votes_basic}</td>
                            <td class="num">{d.votes_incompetent}</td>
                            <td class="num">{r.votes.total}</td>
                            <td class="num">{format!("{}%", r.votes.approval_pct)}</td>
                        </tr>
                    }
                }
            >
                <th>{t(RankMsg::Name)}</th>
                <Heads num=true words=[RankMsg::Year]/>
                <th>{t(RankMsg::ReportDate)}</th>
                <Heads num=true words=[RankMsg::VotesExcellent, RankMsg::VotesCompetent, RankMsg::VotesBasic, RankMsg::VotesIncompetent, RankMsg::VotesBallots, RankMsg::Approval]/>
            </Table>
        }
        .into_any()
    };

    let vote_field = move |id: &'static str,
                           field: &'static str,
                           label: RankMsg,
                           get: fn(&VotesForm) -> String,
                           set: fn(&mut VotesForm, String)| {
        view! {
            <div class="field">
                <label for=id>{t(label)}</label>
                <input type="text" inputmode="numeric" id=id autocomplete="off"
                    class:invalid=move || votes_errors.with(|e| e.get(field).is_some())
                    prop:value=move || votes.with(get)
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        votes.update(|f| set(f, v));
                    }/>
                <FieldError id=id field=field errors=votes_errors/>
            </div>
        }
    };

    // A picked record's card: its title and the close button, what it
    // shows, then its form (where this tablet may not write, why).
    let detail_card = move |id: &'static str,
                            data_id: &Id,
                            title: AnyView,
                            shown: AnyView,
                            form: AnyView| {
        let form = if may_write.get() {
            form
        } else {
            view! { <RankLocked id="duty-locked" msg=RankMsg::UnitLocked/> }.into_any()
        };
        view! {
            <section class="card rank-detail" id=id data-id=data_id.as_str().to_owned()>
                <div class="card-head">
                    <h2>{title}</h2>
                    <button type="button" class="button" id="duty-detail-close" on:click=move |_| picked.set(None)>
                        {t(RankMsg::Close)}
                    </button>
                </div>
                {shown}
                {form}
            </section>
        }
        .into_any()
    };

    let detail = move || match picked.get()? {
        Picked::Commitment(_) => {
            let c = commitment.get()?;
            let form = view! {
                <form class="form rank-form" id="progress-form" on:submit=save_progress novalidate=true>
                    <TextField id="progress-value" label=RankMsg::ProgressValue field="progress_pct" value=progress_value errors=progress_errors inputmode="numeric"/>
                    <SaveActions button_id="progress-submit" label=RankMsg::ProgressSubmit state_id="progress-state" state=progress_state words=crate::modules::lead::messages::rank::SAVE_WORDS/>
                </form>
            };
            let shown = view! {
                <p class="rank-commitment-text">{c.text.clone()}</p>
                <RankProgressBar pct=u32::from(c.progress_pct)/>
            };
            let title = t(RankMsg::CommitmentsTitle).into_any();
            Some(detail_card(
                "commitment-detail",
                &c.id,
                title,
                shown.into_any(),
                form.into_any(),
            ))
        }
        Picked::Report(_) => {
            let r = report.get()?;
            let form = view! {
                <form class="form rank-form votes-form" id="votes-form" on:submit=save_votes novalidate=true>
                    <div class="field-grid">
                        {vote_field("votes-excellent", "votes_excellent", RankMsg::VotesExcellent, |f| f.excellent.clone(), |f, v| f.excellent = v)}
                        {vote_field("votes-competent", "votes_competent", RankMsg::VotesCompetent, |f| f.competent.clone(), |f, v| f.competent = v)}
                        {vote_field("votes-basic", "votes_basic", RankMsg::VotesBasic, |f| f.basic.clone(), |f, v| f.basic = v)}
                        {vote_field("votes-incompetent", "votes_incompetent", RankMsg::VotesIncompetent, |f| f.incompetent.clone(), |f, v| f.incompetent = v)}
                        {vote_field("votes-total", "votes_total", RankMsg::VotesBallots, |f| f.total.clone(), |f, v| f.total = v)}
                    </div>
                    <SaveActions button_id="votes-submit" label=RankMsg::VotesSubmit state_id="votes-state" state=votes_state words=crate::modules::lead::messages::rank::SAVE_WORDS/>
                </form>
            };
            let title = view! { {t(RankMsg::DutyTitle)} " " {r.year} }.into_any();
            Some(detail_card(
                "duty-detail",
                &r.id,
                title,
                ().into_any(),
                form.into_any(),
            ))
        }
    };
    let commitment_id = Signal::derive(move || match picked.get() {
        Some(Picked::Commitment(id)) => Some(id),
        _ => None,
    });
    let report_id = Signal::derive(move || match picked.get() {
        Some(Picked::Report(id)) => Some(id),
        _ => None,
    });

    view! {
        <ScreenHeader screen=Screen::LeadCommitments/>
        <p class="page-intro">{t(RankMsg::DutyIntro)}</p>
        {overview_view}
        <section class="card rank-tools">
            <UnitPicker choices=choices.into() selected=selected_unit/>
        </section>
        <section class="card">
            <h2>{t(RankMsg::CommitmentsTitle)}</h2>
            <p class="hint">{t(RankMsg::TapForDetails)}</p>
            {commitments_view}
        </section>
        {move || matches!(picked.get(), Some(Picked::Commitment(_))).then(detail)}
        <RecordTrail<TermCommitment> doc=doc id=commitment_id names=FIELD_NAMES/>
        <section class="card">
            <h2>{t(RankMsg::DutyTitle)}</h2>
            {reports_view}
        </section>
        {move || matches!(picked.get(), Some(Picked::Report(_))).then(detail)}
        <RecordTrail<DutyReport> doc=doc id=report_id names=FIELD_NAMES/>
    }
}
