//! 全覆盖培训 (full-coverage training) at `/flock/training`: the year's
//! coverage of two-committee members over every unit on this tablet with
//! the units below 100 % (tap one: who is missing); the year's sessions
//! (tap one to edit it, mark attendance and see its history); a new
//! session. Sessions live in the district document (written by the
//! district's tablet only; elsewhere the form is replaced by the reason);
//! attendance lives in each unit's document, so a village tablet marks its
//! own members. Rules: `yanzhen_model::{rules, flock}`; rows:
//! [`crate::modules::flock::rows`]; forms: [`crate::modules::flock::form`].

use leptos::prelude::*;

use crate::data::clock::today;
use yanzhen_model::Id;
use yanzhen_model::entities::TrainingSession;
use yanzhen_model::flock::{session_years, tap_attendance};
use yanzhen_model::rules::training_coverage;
use yanzhen_model::store::UnitData;

use crate::data::docs::{PickedUnit, district_doc, use_district, use_picked_unit};
use crate::data::ids::new_id;
use crate::data::save::{SaveState, save_form, settle};
use crate::data::write::{change_meta, write_doc};
use crate::i18n::{t, use_i18n};
use crate::modules::flock::components::attendance::FlockAttendance;
use crate::modules::flock::components::coverage::FlockCoverage;
use crate::modules::flock::components::session_form::FlockSessionForm;
use crate::modules::flock::components::session_list::FlockSessionList;
use crate::modules::flock::form::{FlockErrors, SessionForm};
use crate::modules::flock::hooks::all_units;
use crate::modules::flock::messages::FlockMsg;
use crate::modules::flock::names;
use crate::modules::flock::rows::{self, CoverageView};
use crate::modules::flock::write;
use crate::routes::Screen;
use crate::sync::repo::use_sync;
use crate::trail::record_trail::RecordTrail;
use crate::ui::empty_note::EmptyNote;
use crate::ui::screen_header::ScreenHeader;
use crate::ui::unit_picker::UnitPicker;

/// What the session form shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// No form (a session may still be selected).
    Closed,
    /// A new session.
    New,
}

#[component]
pub fn FlockTrainingPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let district = use_district(sync);
    let ddoc = district_doc(sync);
    let units = all_units(sync);
    let district_writable = Memo::new(move |_| ddoc.get().is_some_and(|d| sync.may_write(&d)));

    let years =
        Memo::new(move |_| district.with(|d| d.as_ref().map(session_years).unwrap_or_default()));
    let year_choice = RwSignal::new(None::<u16>);
    let year = Memo::new(move |_| {
        year_choice
            .get()
            .or_else(|| years.with(|y| y.first().copied()))
            .unwrap_or_else(|| today().year())
    });
    // Rows over every unit document on the tablet.
    let coverage = Memo::new(move |_| {
        let y = year.get();
        district.with(|d| {
            units.with(|u| {
                let refs: Vec<&UnitData> = u.iter().map(|a| a.as_ref()).collect();
                d.as_ref()
                    .map(|d| rows::district_coverage(d, &refs, y))
                    .unwrap_or_default()
            })
        })
    });
    let below = Memo::new(move |_| {
        let y = year.get();
        district.with(|d| {
            units.with(|u| {
                let refs: Vec<&UnitData> = u.iter().map(|a| a.as_ref()).collect();
                d.as_ref()
                    .map(|d| rows::below_rows(d, &refs, y))
                    .unwrap_or_default()
            })
        })
    });
    let sessions = Memo::new(move |_| {
        let y = year.get();
        district.with(|d| {
            units.with(|u| {
                let refs: Vec<&UnitData> = u.iter().map(|a| a.as_ref()).collect();
                d.as_ref()
                    .map(|d| rows::session_rows(d, &refs, y))
                    .unwrap_or_default()
            })
        })
    });
    let units_counted = Signal::derive(move || units.with(Vec::len));

    // ---- the session form
    let selected = RwSignal::new(None::<Id>);
    let mode = RwSignal::new(Mode::Closed);
    let fresh_id = StoredValue::new(new_id());
    let errors = RwSignal::new(FlockErrors::default());
    let state = RwSignal::new(SaveState::Idle);
    settle(sync, move || ddoc.get(), vec![state]);
    // Another session picked: its form starts clean.
    Effect::new(move |prev: Option<Option<Id>>| {
        let now = selected.get();
        if let Some(Some(p)) = prev
            && now.as_ref() != Some(&p)
        {
            errors.set(FlockErrors::default());
            state.set(SaveState::Idle);
        }
        now
    });
    let selected_session = Memo::new(move |_| {
        let id = selected.get()?;
        district.with(|d| d.as_ref().and_then(|d| d.sessions.get(&id).cloned()))
    });
    let on_save = Callback::new(move |form: SessionForm| {
        let is_new = mode.get_untracked() == Mode::New;
        let id = if is_new {
            fresh_id.get_value()
        } else {
            match selected.get_untracked() {
                Some(id) => id,
                None => return,
            }
        };
        let made: Result<TrainingSession, _> = form.to_session(id.clone());
        let Some(record) = save_form(sync, ddoc.get_untracked(), made, errors, state, |v| {
            FlockErrors::from_validation(v, "title")
        }) else {
            return;
        };
        if is_new {
            fresh_id.set_value(new_id());
            year_choice.set(Some(record.date.year()));
            mode.set(Mode::Closed);
            selected.set(Some(id));
        }
    });
    let start_new = move |_| {
        selected.set(None);
        errors.set(FlockErrors::default());
        state.set(SaveState::Idle);
        mode.set(Mode::New);
    };

    // ---- attendance
    let PickedUnit {
        choices,
        unit: unit_choice,
        doc: unit_doc,
        data: unit,
        can_write: unit_writable,
    } = use_picked_unit(sync, district);
    let attend_rows = Signal::derive(move || {
        let Some(s) = selected.get() else {
            return Vec::new();
        };
        unit.with(|u| {
            u.as_ref()
                .map(|u| rows::attend_rows(u, &s))
                .unwrap_or_default()
        })
    });
    let unit_coverage = Signal::derive(move || {
        let y = selected_session.with(|s| s.as_ref().map(|s| s.date.year()))?;
        district.with(|d| {
            unit.with(|u| match (d, u) {
                (Some(d), Some(u)) => Some(CoverageView::from(training_coverage(d, u, y))),
                _ => None,
            })
        })
    });
    let tap_failed = RwSignal::new(false);
    let on_tap = Callback::new(move |person: Id| {
        let (Some(doc), Some(session)) =
            (unit_doc.get_untracked(), selected_session.get_untracked())
        else {
            return;
        };
        let Some(tap) = unit.with_untracked(|u| {
            u.as_ref()
                .map(|u| tap_attendance(u, &session, &person, new_id()))
        }) else {
            return;
        };
        let meta = change_meta();
        let written = write_doc(sync, doc, |am| write::tap(am, &tap, &meta));
        tap_failed.set(!written.is_saved());
    });

    let year_options = move || {
        let cur = year.get();
        let mut ys = years.get();
        if !ys.contains(&cur) {
            ys.insert(0, cur);
        }
        ys.into_iter()
            .map(|y| view! { <option value=y.to_string() selected=y == cur>{y}</option> })
            .collect_view()
    };

    let form = move || {
        let m = mode.get();
        let sel = selected.get();
        if !district_writable.get() {
            return None;
        }
        match (m, sel) {
            (Mode::New, _) => Some(
                view! {
                    <FlockSessionForm initial=SessionForm::default() is_new=true errors=errors state=state.into() on_save=on_save/>
                }
                .into_any(),
            ),
            (Mode::Closed, Some(id)) => {
                let s = district.with_untracked(|d| d.as_ref().and_then(|d| d.sessions.get(&id).cloned()))?;
                Some(
                    view! {
                        <FlockSessionForm initial=SessionForm::from_session(&s) is_new=false errors=errors state=state.into() on_save=on_save/>
                    }
                    .into_any(),
                )
            }
            _ => None,
        }
    };

    let detail = move || {
        selected_session.get().map(|s| {
            view! {
                <section class="card flock-detail" id="flock-session-detail" data-session=s.id.as_str().to_owned()>
                    <h2>{t(FlockMsg::AttendanceTitle)} " · " {s.title.clone()} " (" {s.date.to_string()} ")"</h2>
                    <UnitPicker choices=choices.into() selected=unit_choice/>
                    {move || unit_coverage.get().map(|c| view! {
                        <p class="flock-unit-coverage" id="flock-unit-coverage" data-pct=c.percent.to_string()
                            data-trained=c.trained.to_string() data-members=c.members.to_string()>
                            {t(FlockMsg::UnitCoverage)} " "
                            <strong>{format!("{}%", c.percent)}</strong>
                            " (" {c.trained} "/" {c.members} ")"
                        </p>
                    })}
                    <Show when=move || unit.with(Option::is_some)>
                        <FlockAttendance rows=attend_rows enabled=unit_writable on_tap=on_tap/>
                    </Show>
                    <Show when=move || tap_failed.get()>
                        <p class="notice notice-error" role="alert" id="flock-attend-failed">{t(FlockMsg::SaveFailed)}</p>
                    </Show>
                </section>
            }
        })
    };

    view! {
        <ScreenHeader screen=Screen::FlockTraining intro=Signal::derive(move || FlockMsg::TrainingIntro.text(i18n.lang.get()).to_owned())/>
        <Show
            when=move || district.with(Option::is_some)
            fallback=|| view! { <EmptyNote id="flock-state" msg=FlockMsg::Loading/> }
        >
            <div class="flock-toolbar">
                <label for="flock-year">{t(FlockMsg::Year)}</label>
                <select id="flock-year" on:change=move |ev| year_choice.set(event_target_value(&ev).parse().ok())>
                    {year_options}
                </select>
            </div>
            <FlockCoverage district=coverage.into() units_counted=units_counted below=below.into()/>
            <section class="card" id="flock-sessions-card">
                <div class="card-head">
                    <h2>{t(FlockMsg::SessionsTitle)}</h2>
                    <Show
                        when=move || district_writable.get()
                        fallback=|| view! { <p class="notice notice-info" id="flock-session-readonly">{t(FlockMsg::ReadOnlyDistrict)}</p> }
                    >
                        <button type="button" class="button primary" id="flock-session-new" on:click=start_new>
                            {t(FlockMsg::SessionNew)}
                        </button>
                    </Show>
                </div>
                <FlockSessionList rows=sessions.into() selected=selected/>
            </section>
            {form}
            {detail}
            <Show when=move || selected.with(Option::is_some)>
                <section class="card" id="flock-session-trail">
                    <h2>{t(FlockMsg::HistoryOfRecord)}</h2>
                    <RecordTrail<TrainingSession> doc=ddoc id=selected names=names::SESSION/>
                </section>
            </Show>
        </Show>
    }
}
