//! The settings screen: sync server address, office name and language;
//! this tablet's enrolment (role and unit in plain words) and the form to
//! enrol it with a one-time code. Validation is
//! [`crate::settings::SettingsForm::validate`]; a rejected form shows every
//! problem next to its field and saves nothing.

use crate::access::components::device_summary::DeviceSummary;
use crate::access::components::enrol_form::EnrolForm;
use crate::app::use_settings;
use crate::i18n::{Lang, Msg, t, use_i18n};
use crate::lock::components::settings::LockSettings;
use crate::routes::Route;
use crate::settings::{FormErrors, SettingsForm};
use crate::ui::labelled_input::LabelledInput;
use crate::ui::page_header::PageHeader;
use leptos::prelude::*;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let app_settings = use_settings();
    let initial = SettingsForm::from_settings(&app_settings.saved.get_untracked());
    let server_url = RwSignal::new(initial.server_url);
    let office = RwSignal::new(initial.office);
    let lang = RwSignal::new(i18n.lang.get_untracked());
    let errors = RwSignal::new(FormErrors::default());
    let saved = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let form = SettingsForm {
            server_url: server_url.get(),
            office: office.get(),
            lang: lang.get(),
        };
        match form.validate() {
            Err(e) => errors.set(e),
            Ok(new) => {
                errors.set(FormErrors::default());
                let new_lang = new.lang;
                if app_settings.save(new).is_ok() {
                    i18n.lang.set(new_lang);
                    saved.set(true);
                }
            }
        }
    };
    let lang_choice = move |choice: Lang, label: Msg, id: &'static str| {
        view! {
            <label class="choice" for=id>
                <input
                    type="radio"
                    name="lang"
                    id=id
                    prop:checked=move || lang.get() == choice
                    on:change=move |_| lang.set(choice)
                />
                {t(label)}
            </label>
        }
    };

    view! {
        <PageHeader route=Route::Settings intro=Msg::SettingsIntro/>
        <form class="card form" on:submit=submit novalidate=true>
            <LabelledInput id="settings-server-url" label=Msg::SettingsServerUrl value=server_url kind="url"
                inputmode="url" autocomplete="off" placeholder=Msg::SettingsServerUrlHint
                error=Signal::derive(move || errors.with(|e| e.server_url))/>
            <LabelledInput id="settings-office" label=Msg::SettingsOffice value=office
                placeholder=Msg::SettingsOfficeHint error=Signal::derive(move || errors.with(|e| e.office))/>
            <fieldset class="choices">
                <legend>{t(Msg::SettingsLanguage)}</legend>
                {lang_choice(Lang::ZhCn, Msg::LangNameZh, "settings-lang-zh")}
                {lang_choice(Lang::En, Msg::LangNameEn, "settings-lang-en")}
            </fieldset>
            <div class="form-actions">
                <button type="submit" class="button primary" id="settings-save">{t(Msg::Save)}</button>
                <Show when=move || saved.get()>
                    <span class="saved" id="settings-saved" role="status">{t(Msg::Saved)}</span>
                </Show>
            </div>
        </form>
        <section class="card" id="device-card">
            <h2>{t(Msg::DeviceCardTitle)}</h2>
            <DeviceSummary/>
        </section>
        <EnrolForm/>
        <LockSettings/>
    }
}
