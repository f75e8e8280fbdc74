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

use crate::data::docs::{PickedUnit, use_picked_unit};
use crate::data::ids::new_id;
use crate::data::save::settle;
use crate::data::write::{change_meta, write_doc};
use crate::i18n::t;
use crate::modules::flock::components::attendance::FlockAttendance;
use crate::modules::flock::components::card_head::FlockCardHead;
use crate::modules::flock::components::coverage::FlockCoverage;
use crate::modules::flock::components::screen::FlockScreen;
use crate::modules::flock::components::session_form::FlockSessionForm;
use crate::modules::flock::components::session_list::FlockSessionList;
use crate::modules::flock::components::trail::FlockTrail;
use crate::modules::flock::form::SessionForm;
use crate::modules::flock::hooks::{district_reads, over_units, use_record_form};
use crate::modules::flock::messages::FlockMsg;
use crate::modules::flock::names;
use crate::modules::flock::rows::{self, CoverageView};
use crate::modules::flock::write;
use crate::routes::Screen;
use crate::sync::repo::use_sync;
use crate::ui::unit_picker::UnitPicker;

#[component]
pub fn FlockTrainingPage() -> impl IntoView {
    let sync = use_sync();
    let (district, ddoc, units, district_writable) = district_reads(sync);

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
    let coverage = over_units(district, units, move |d, refs| {
        rows::district_coverage(d, refs, year.get())
    });
    let below = over_units(district, units, move |d, refs| {
        rows::below_rows(d, refs, year.get())
    });
    let sessions = over_units(district, units, move |d, refs| {
        rows::session_rows(d, refs, year.get())
    });
    let units_counted = Signal::derive(move || units.with(Vec::len));

    // ---- the session form
    let edit = use_record_form();
    settle(sync, move || ddoc.get(), vec![edit.state]);
    let selected_session = Memo::new(move |_| {
        let id = edit.selected.get()?;
        district.with(|d| d.as_ref().and_then(|d| d.sessions.get(&id).cloned()))
    });
    let on_save = Callback::new(move |form: SessionForm| {
        let saved = edit.save(
            sync,
            ddoc.get_untracked(),
            |id| form.to_session(id),
            "title",
        );
        if let Some((record, true)) = saved {
            year_choice.set(Some(record.date.year()));
        }
    });

    // ---- attendance
    let PickedUnit {
        choices,
        unit: unit_choice,
        doc: unit_doc,
        data: unit,
        can_write: unit_writable,
    } = use_picked_unit(sync, district);
    let attend_rows = Signal::derive(move || {
        let Some(s) = edit.selected.get() else {
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
        if !district_writable.get() {
            return None;
        }
        if edit.creating.get() {
            return Some(
                view! {
                    <FlockSessionForm initial=SessionForm::default() is_new=true errors=edit.errors state=edit.state.into() on_save=on_save/>
                }
                .into_any(),
            );
        }
        let id = edit.selected.get()?;
        let s =
            district.with_untracked(|d| d.as_ref().and_then(|d| d.sessions.get(&id).cloned()))?;
        Some(
            view! {
                <FlockSessionForm initial=SessionForm::from_session(&s) is_new=false errors=edit.errors state=edit.state.into() on_save=on_save/>
            }
            .into_any(),
        )
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
        <FlockScreen screen=Screen::FlockTraining intro=FlockMsg::TrainingIntro district=district>
            <div class="flock-toolbar">
                <label for="flock-year">{t(FlockMsg::Year)}</label>
                <select id="flock-year" on:change=move |ev| year_choice.set(event_target_value(&ev).parse().ok())>
                    {year_options}
                </select>
            </div>
            <FlockCoverage district=coverage.into() units_counted=units_counted below=below.into()/>
            <section class="card" id="flock-sessions-card">
                <FlockCardHead writable=district_writable readonly_id="flock-session-readonly"
                    button_id="flock-session-new" label=FlockMsg::SessionNew on_new=Callback::new(move |()| edit.start_new())>
                    {t(FlockMsg::SessionsTitle)}
                </FlockCardHead>
                <FlockSessionList rows=sessions.into() selected=edit.selected/>
            </section>
            {form}
            {detail}
            <FlockTrail<TrainingSession> id="flock-session-trail" doc=ddoc picked=edit.selected names=names::SESSION/>
        </FlockScreen>
    }
}
