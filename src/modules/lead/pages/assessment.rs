//! 年度考核 (annual assessment): a year and a ranking group (township /
//! street) picked, the group's ranking (rank 1 = best; ties explained); a
//! score entered for a secretary re-ranks the whole group in one write
//! ([`yanzhen_model::rank::enter_score`]); the secretaries ranked last two
//! years running, adjusted and still to adjust, with the adjust action; a
//! tapped row shows the assessment's history and conflicts. Assessments are
//! district-document records: only a tablet that may write the district
//! document (the district admin) is offered the forms.

use leptos::prelude::*;

use crate::data::clock::today;
use yanzhen_model::Id;
use yanzhen_model::entities::{Assessment, Grade};
use yanzhen_model::rank;

use crate::data::docs::{district_doc, use_district};
use crate::data::ids::new_id;
use crate::data::save::{SaveState, settle, show_write};
use crate::data::write::{change_meta, write_doc};
use crate::i18n::{Lang, t};
use crate::modules::lead::components::rank_adjust_done::RankAdjustDone;
use crate::modules::lead::components::rank_adjust_form::RankAdjustForm;
use crate::modules::lead::components::rank_adjust_pending::RankAdjustPending;
use crate::modules::lead::components::rank_detail::RankDetail;
use crate::modules::lead::components::rank_score_form::{RankScoreForm, ScoreFields};
use crate::modules::lead::components::rank_table::RankTable;
use crate::modules::lead::messages::rank::RankMsg;
use crate::modules::lead::rank::data::{can_write, use_units_here};
use crate::modules::lead::rank::form::{AdjustForm, RankErr, RankErrors, ScoreForm};
use crate::modules::lead::rank::rows::{
    self, FIELD_NAMES, adjust_rows, group_choices, group_of, parse_person_key, ranking_rows,
    secretary_choices,
};
use crate::modules::lead::rank::write::put_all;
use crate::routes::Screen;
use crate::sync::repo::use_sync;
use crate::trail::record_trail::RecordTrail;
use crate::ui::save_note::SaveNote;
use crate::ui::screen_header::ScreenHeader;
use crate::ui::year_options::YearOptions;

#[component]
pub fn LeadAssessmentPage() -> impl IntoView {
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
    settle(sync, move || ddoc.get(), vec![state, adjust_state]);
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
            write_doc(sync, d, |am| put_all(am, &records, &meta)),
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
            write_doc(sync, d, |am| put_all(am, &[record], &meta)),
            adjust_errors,
            adjust_state,
            |v| RankErrors::from_validation(v, "adjustment.reason"),
        ) {
            adjusting.set(None);
        }
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
    let detail = move || {
        let id = selected.get()?;
        let a: Assessment = district.with(|d| d.as_ref()?.assessments.get(&id).cloned())?;
        let name = unit_list.with(|u| rows::person_name(u, &a.person));
        let unit = district.with(|d| d.as_ref().map(|d| rows::unit_name(d, &a.person.unit)))?;
        Some(view! { <RankDetail assessment=a name=name unit=unit selected=selected/> })
    };
    let selected_sig = Signal::derive(move || selected.get());
    let ddoc_sig = Signal::derive(move || ddoc.get());
    let loaded = Signal::derive(move || district.with(Option::is_some));
    let fields = ScoreFields {
        person,
        score,
        grade,
        votes_for,
        votes_total,
    };
    let pending = Signal::derive(move || lists.get().1);
    let done = Signal::derive(move || lists.get().0);

    view! {
        <ScreenHeader screen=Screen::LeadAssessment/>
        <p class="page-intro">{t(RankMsg::AssessIntro)}</p>
        <section class="card rank-tools">
            <div class="field">
                <label for="rank-year">{t(RankMsg::Year)}</label>
                <select id="rank-year" on:change=move |ev| {
                    year.set(event_target_value(&ev).parse().ok());
                    selected.set(None);
                }><YearOptions years=years year=year/></select>
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
            <RankTable loaded=loaded ranking=ranking selected=selected/>
        </section>
        {detail}
        <RecordTrail<Assessment> doc=ddoc_sig id=selected_sig names=FIELD_NAMES/>
        <section class="card" id="score-card">
            <h2>{t(RankMsg::ScoreTitle)}</h2>
            <RankScoreForm
                may_write=may_write
                secretaries=secretaries
                fields=fields
                errors=errors
                state=state
                on_choose=choose_person
                on_submit=submit
            />
        </section>
        <section class="card" id="bottom-card">
            <h2>{t(RankMsg::BottomTitle)}</h2>
            <p class="hint">{t(RankMsg::BottomIntro)}</p>
            <h3>{t(RankMsg::PendingTitle)}</h3>
            <RankAdjustPending rows=pending selected=selected adjusting=adjusting may_write=may_write on_open=open_adjust>
                <RankAdjustForm date=adjust_date reason=adjust_reason errors=adjust_errors adjusting=adjusting on_submit=submit_adjust/>
            </RankAdjustPending>
            <SaveNote id="adjust-state" state=adjust_state words=crate::modules::lead::messages::rank::SAVE_WORDS/>
            <h3>{t(RankMsg::DoneTitle)}</h3>
            <RankAdjustDone rows=done selected=selected/>
        </section>
    }
}
