//! The add-a-certificate form for the worker picked in the list: level,
//! date obtained, certificate number, with a message next to each refused
//! field and where the save stands. It only collects; the page converts
//! ([`crate::modules::flock::form::CertForm::to_certificate`]) and writes.

use leptos::prelude::*;

use crate::ui::save_note::SaveNote;
use yanzhen_model::Id;
use yanzhen_model::entities::CertificateLevel;

use crate::data::save::SaveState;
use crate::i18n::t;
use crate::modules::flock::components::fields::{choice, text_field};
use crate::modules::flock::form::{CertForm, FlockErrors};
use crate::modules::flock::labels;
use crate::modules::flock::messages::FlockMsg;
use crate::ui::field_error::FieldError;

#[component]
pub fn FlockCertForm(
    /// The holder picked in the list, and their name.
    person: Signal<Option<(Id, String)>>,
    errors: RwSignal<FlockErrors>,
    state: Signal<SaveState>,
    on_save: Callback<CertForm>,
) -> impl IntoView {
    let level = RwSignal::new(CertificateLevel::Assistant);
    let obtained = RwSignal::new(String::new());
    let number = RwSignal::new(String::new());
    // A saved certificate clears the form for the next one.
    Effect::new(move |_| {
        if state.get() == SaveState::Saving {
            obtained.set(String::new());
            number.set(String::new());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_save.run(CertForm {
            person: person.with_untracked(|p| p.as_ref().map(|p| p.0.clone())),
            level: level.get_untracked(),
            obtained: obtained.get_untracked(),
            number: number.get_untracked(),
        });
    };
    view! {
        <form class="form card flock-form" id="flock-cert-form" novalidate=true on:submit=submit>
            <h2>{t(FlockMsg::CertAddTitle)}</h2>
            <div class="field">
                <span class="label">{t(FlockMsg::CertFor)}</span>
                <strong id="flock-cert-person">
                    {move || person.get().map(|p| p.1).unwrap_or_else(|| "—".to_owned())}
                </strong>
                <FieldError id="flock-cert-person".to_owned() field="person_id" errors=errors/>
            </div>
            <div class="field-grid">
                {choice("flock-cert-level", FlockMsg::CertLevel, CertificateLevel::ALL, level, labels::certificate_level)}
                {text_field("flock-cert-obtained", "obtained", FlockMsg::CertObtained, obtained, errors, "date")}
                <div class="field-wide">
                    {text_field("flock-cert-number", "number", FlockMsg::CertNumber, number, errors, "text")}
                </div>
            </div>
            <div class="form-actions">
                <button type="submit" class="button primary" id="flock-cert-save">{t(FlockMsg::CertSave)}</button>
                <SaveNote id="flock-cert-state" state=state words=crate::modules::flock::messages::SAVE_WORDS/>
            </div>
        </form>
    }
}
