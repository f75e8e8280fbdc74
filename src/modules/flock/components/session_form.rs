//! The training-session form (new or edit): title, kind, date, class
//! hours, the first-topic and exam-preparation toggles, teachers and
//! place, with a message next to each refused field and where the save
//! stands. It only collects; the page converts
//! ([`crate::modules::flock::form::SessionForm::to_session`]) and writes.

use leptos::prelude::*;

use crate::ui::save_note::SaveNote;
use yanzhen_model::entities::{TeacherSource, TrainingKind};

use crate::data::save::SaveState;
use crate::i18n::t;
use crate::modules::flock::components::fields::{choice, text_field, toggle};
use crate::modules::flock::form::{FlockErrors, SessionForm};
use crate::modules::flock::labels;
use crate::modules::flock::messages::FlockMsg;

#[component]
pub fn FlockSessionForm(
    initial: SessionForm,
    is_new: bool,
    errors: RwSignal<FlockErrors>,
    state: Signal<SaveState>,
    on_save: Callback<SessionForm>,
) -> impl IntoView {
    let title = RwSignal::new(initial.title);
    let kind = RwSignal::new(initial.kind);
    let date = RwSignal::new(initial.date);
    let hours = RwSignal::new(initial.hours);
    let first_topic = RwSignal::new(initial.first_topic);
    let teacher = RwSignal::new(initial.teacher_source);
    let exam_prep = RwSignal::new(initial.exam_prep);
    let location = RwSignal::new(initial.location);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_save.run(SessionForm {
            title: title.get_untracked(),
            kind: kind.get_untracked(),
            date: date.get_untracked(),
            hours: hours.get_untracked(),
            first_topic: first_topic.get_untracked(),
            teacher_source: teacher.get_untracked(),
            exam_prep: exam_prep.get_untracked(),
            location: location.get_untracked(),
        });
    };
    let heading = if is_new {
        FlockMsg::SessionNewTitle
    } else {
        FlockMsg::SessionEditTitle
    };
    view! {
        <form class="form card flock-form" id="flock-session-form" novalidate=true on:submit=submit>
            <h2>{t(heading)}</h2>
            <div class="field-grid">
                <div class="field-wide">
                    {text_field("flock-session-title", "title", FlockMsg::SessionTitle, title, errors, "text")}
                </div>
                {choice("flock-session-kind", FlockMsg::SessionKind, TrainingKind::ALL, kind, labels::training_kind)}
                {text_field("flock-session-date", "date", FlockMsg::SessionDate, date, errors, "date")}
                {text_field("flock-session-hours", "hours", FlockMsg::SessionHours, hours, errors, "number")}
                {choice("flock-session-teacher", FlockMsg::SessionTeacher, TeacherSource::ALL, teacher, labels::teacher_source)}
                {toggle("flock-session-first-topic", FlockMsg::SessionFirstTopic, first_topic)}
                {toggle("flock-session-exam-prep", FlockMsg::SessionExamPrep, exam_prep)}
                <div class="field-wide">
                    {text_field("flock-session-location", "location", FlockMsg::SessionPlace, location, errors, "text")}
                </div>
            </div>
            <div class="form-actions">
                <button type="submit" class="button primary" id="flock-session-save">{t(FlockMsg::SessionSave)}</button>
                <SaveNote id="flock-session-state" state=state words=crate::modules::flock::messages::SAVE_WORDS/>
            </div>
        </form>
    }
}
