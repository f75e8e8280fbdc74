//! The placement form. New: studio, kind, the mentee's unit and the
//! mentee, start, end, outcome, note. Edit (a saved placement): end,
//! outcome and note (and start); who and where stay as recorded. A message
//! sits next to each refused field (an end before the start). It only
//! collects; the page converts
//! ([`crate::modules::flock::form::PlacementForm::to_placement`]) and writes.

use leptos::prelude::*;

use crate::ui::save_note::SaveNote;
use yanzhen_model::Id;
use yanzhen_model::entities::{MentorshipKind, MentorshipOutcome, PersonRef};

use crate::data::choices::UnitChoice;
use crate::data::save::SaveState;
use crate::i18n::t;
use crate::modules::flock::components::fields::{choice, text_field};
use crate::modules::flock::form::{FlockErrors, PlacementForm};
use crate::modules::flock::labels;
use crate::modules::flock::messages::FlockMsg;
use crate::ui::field_error::FieldError;
use crate::ui::unit_picker::UnitPicker;

#[component]
pub fn FlockPlacementForm(
    initial: PlacementForm,
    is_new: bool,
    /// The studios to choose from: (id, name).
    studios: Signal<Vec<(Id, String)>>,
    /// Units whose people can be picked (new placements).
    units: Signal<Vec<UnitChoice>>,
    /// The unit picked (a unit document, as in URLs).
    unit: RwSignal<Option<String>>,
    /// The picked unit's people: (reference, name).
    mentees: Signal<Vec<(PersonRef, String)>>,
    errors: RwSignal<FlockErrors>,
    state: Signal<SaveState>,
    on_save: Callback<PlacementForm>,
) -> impl IntoView {
    let studio = RwSignal::new(initial.studio.clone());
    let kind = RwSignal::new(initial.kind);
    let mentee = RwSignal::new(initial.mentee.clone());
    let start = RwSignal::new(initial.start.clone());
    let end = RwSignal::new(initial.end.clone());
    let outcome = RwSignal::new(initial.outcome);
    let note = RwSignal::new(initial.note.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_save.run(PlacementForm {
            studio: studio.get_untracked(),
            kind: kind.get_untracked(),
            mentee: mentee.get_untracked(),
            start: start.get_untracked(),
            end: end.get_untracked(),
            outcome: outcome.get_untracked(),
            note: note.get_untracked(),
        });
    };
    let heading = if is_new {
        FlockMsg::PlacementNewTitle
    } else {
        FlockMsg::PlacementEditTitle
    };
    let who = (!is_new).then(|| {
        view! {
            <div class="field-grid">
                {choice("flock-placement-kind", FlockMsg::PlacementKind, MentorshipKind::ALL, kind, labels::mentorship_kind)}
            </div>
        }
    });
    let pick = is_new.then(|| {
        view! {
            <div class="field-grid">
                <div class="field">
                    <label for="flock-placement-studio">{t(FlockMsg::PlacementStudio)}</label>
                    <select
                        id="flock-placement-studio"
                        class:invalid=move || errors.with(|e| e.get("studio_id").is_some())
                        on:change=move |ev| studio.set(yanzhen_model::Id::parse(&event_target_value(&ev)))
                    >
                        <option value="" selected=move || studio.get().is_none()>{t(FlockMsg::PlacementPickStudio)}</option>
                        {move || studios.get().into_iter().map(|(id, name)| {
                            let v = id.as_str().to_owned();
                            view! { <option value=v selected=move || studio.get().as_ref() == Some(&id)>{name}</option> }
                        }).collect_view()}
                    </select>
                    <FieldError id="flock-placement-studio".to_owned() field="studio_id" errors=errors/>
                </div>
                {choice("flock-placement-kind", FlockMsg::PlacementKind, MentorshipKind::ALL, kind, labels::mentorship_kind)}
                <div class="field-wide">
                    <UnitPicker choices=units selected=unit/>
                </div>
                <div class="field-wide">
                    <label for="flock-placement-mentee">{t(FlockMsg::PlacementMentee)}</label>
                    <select
                        id="flock-placement-mentee"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            let m = v.parse::<usize>().ok().and_then(|i| mentees.with(|l| l.get(i).map(|x| x.0.clone())));
                            mentee.set(m);
                        }
                    >
                        <option value="" selected=move || mentee.get().is_none()>{t(FlockMsg::PlacementPickMentee)}</option>
                        {move || mentees.get().into_iter().enumerate().map(|(i, (r, name))| {
                            view! { <option value=i.to_string() selected=move || mentee.get().as_ref() == Some(&r)>{name}</option> }
                        }).collect_view()}
                    </select>
                    <FieldError id="flock-placement-mentee".to_owned() field="mentee" errors=errors/>
                </div>
            </div>
        }
    });
    // A new unit: its people are different, the pick starts again.
    Effect::new(move |prev: Option<Option<String>>| {
        let now = unit.get();
        if prev.is_some_and(|p| p != now) {
            mentee.set(None);
        }
        now
    });
    view! {
        <form class="form card flock-form" id="flock-placement-form" novalidate=true on:submit=submit>
            <h2>{t(heading)}</h2>
            {pick}
            {who}
            <div class="field-grid">
                {text_field("flock-placement-start", "start", FlockMsg::PlacementStart, start, errors, "date")}
                {text_field("flock-placement-end", "end", FlockMsg::PlacementEnd, end, errors, "date")}
                <div class="field">
                    <label for="flock-placement-outcome">{t(FlockMsg::PlacementOutcome)}</label>
                    <select
                        id="flock-placement-outcome"
                        on:change=move |ev| outcome.set(labels::at(MentorshipOutcome::ALL, &event_target_value(&ev)))
                    >
                        <option value="" selected=move || outcome.get().is_none()>{t(FlockMsg::OutcomeNone)}</option>
                        {MentorshipOutcome::ALL.iter().enumerate().map(|(i, o)| {
                            let o = *o;
                            view! { <option value=i.to_string() selected=move || outcome.get() == Some(o)>{t(labels::outcome(Some(o)))}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field-wide">
                    {text_field("flock-placement-note", "note", FlockMsg::PlacementNote, note, errors, "text")}
                </div>
            </div>
            <div class="form-actions">
                <button type="submit" class="button primary" id="flock-placement-save">{t(FlockMsg::PlacementSave)}</button>
                <SaveNote id="flock-placement-state" state=state words=crate::modules::flock::messages::SAVE_WORDS/>
            </div>
        </form>
    }
}
