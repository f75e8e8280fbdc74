//! The enrolment form: the one-time code (typed as a person types it on a
//! tablet: lower case, spaces and dashes are fine) and a name for the
//! tablet. Checking is [`crate::access::device::EnrolForm::validate`]; the
//! call is [`crate::sync::api::enrol`]; a refused code shows the server's
//! reason and keeps nothing.

use crate::access::device::{EnrolErrors, EnrolForm as Form};
use crate::app::use_settings;
use crate::i18n::{Msg, t, use_i18n};
use crate::sync::api::{self, ApiError};
use crate::sync::repo::use_sync;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn EnrolForm() -> impl IntoView {
    let i18n = use_i18n();
    let settings = use_settings();
    let sync = use_sync();
    let code = RwSignal::new(String::new());
    let device_name = RwSignal::new(
        settings
            .saved
            .with_untracked(|s| s.office.clone())
            .unwrap_or_default(),
    );
    let errors = RwSignal::new(EnrolErrors::default());
    let refused = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        done.set(false);
        refused.set(None);
        let form = Form {
            code: code.get_untracked(),
            device_name: device_name.get_untracked(),
        };
        match form.validate() {
            Err(e) => errors.set(e),
            Ok((c, name)) => {
                errors.set(EnrolErrors::default());
                busy.set(true);
                let base = settings.saved.with_untracked(api::base_url);
                spawn_local(async move {
                    match api::enrol(&base, &c, &name).await {
                        Ok(enrolment) => match sync.enrol(enrolment) {
                            Ok(()) => {
                                code.set(String::new());
                                done.set(true);
                            }
                            Err(_) => refused.set(Some(ApiError::Network("storage".into()))),
                        },
                        Err(e) => refused.set(Some(e)),
                    }
                    busy.set(false);
                });
            }
        }
    };
    let field_error = move |pick: fn(&EnrolErrors) -> Option<Msg>, id: &'static str| {
        move || {
            errors
                .with(pick)
                .map(|msg| view! { <p class="field-error" id=id role="alert">{t(msg)}</p> })
        }
    };

    view! {
        <form class="card form" id="enrol-form" on:submit=submit novalidate=true>
            <h2>
                {move || if sync.enrolment.with(Option::is_some) {
                    t(Msg::EnrolAgain)()
                } else {
                    t(Msg::EnrolTitle)()
                }}
            </h2>
            <p class="form-intro">{t(Msg::EnrolIntro)}</p>
            <label for="enrol-code">{t(Msg::EnrolCode)}</label>
            <input
                type="text"
                id="enrol-code"
                class="code-input"
                autocomplete="off"
                autocapitalize="characters"
                spellcheck="false"
                placeholder=t(Msg::EnrolCodeHint)
                class:invalid=move || errors.with(|e| e.code.is_some())
                bind:value=code
            />
            {field_error(|e| e.code, "enrol-code-error")}
            <label for="enrol-device-name">{t(Msg::EnrolDeviceName)}</label>
            <input
                type="text"
                id="enrol-device-name"
                autocomplete="off"
                placeholder=t(Msg::EnrolDeviceNameHint)
                class:invalid=move || errors.with(|e| e.device_name.is_some())
                bind:value=device_name
            />
            {field_error(|e| e.device_name, "enrol-device-name-error")}
            {move || refused.get().map(|e| {
                let key = e.key().unwrap_or("network").to_owned();
                view! {
                <p class="field-error" id="enrol-error" role="alert" data-key=key>
                    {move || e.text(i18n.lang.get())}
                </p>
                }
            })}
            <div class="form-actions">
                <button type="submit" class="button primary" id="enrol-submit" disabled=move || busy.get()>
                    {move || if busy.get() { t(Msg::EnrolBusy)() } else { t(Msg::EnrolSubmit)() }}
                </button>
                <Show when=move || done.get()>
                    <span class="saved" id="enrol-done" role="status">{t(Msg::EnrolDone)}</span>
                </Show>
            </div>
        </form>
    }
}
