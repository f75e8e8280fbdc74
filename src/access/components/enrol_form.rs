//! The enrolment form: the one-time code (typed as a person types it on a
//! tablet: lower case, spaces and dashes are fine) and a name for the
//! tablet. Checking is [`crate::access::device::EnrolForm::validate`]; the
//! call is [`crate::sync::api::enrol`]; a refused code shows the server's
//! reason and keeps nothing.
//!
//! A tablet without a lock yet also sets the **office PIN** here
//! (`#enrol-pin`, `#enrol-pin-again`; rules in [`crate::lock::check_new_pin`]):
//! a refused PIN enrols nothing; the lock is prepared (PBKDF2) before the
//! code is spent, kept only once the server accepted the code, and every
//! chunk already on the tablet is then rewritten encrypted.

use crate::access::device::{EnrolErrors, EnrolForm as Form};
use crate::app::use_settings;
use crate::i18n::{Msg, t, use_i18n};
use crate::lock::messages::LockMsg;
use crate::lock::{actions, check_new_pin, pin_error_msg, store as lock_store};
use crate::sync::api::{self, ApiError};
use crate::sync::repo::use_sync;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn EnrolForm() -> impl IntoView {
    let i18n = use_i18n();
    let settings = use_settings();
    let sync = use_sync();
    let has_lock = crate::app::use_lock().has_lock;
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
    // A tablet that has its lock keeps it (and its PIN) when enrolling again.
    let needs_pin = RwSignal::new(lock_store::lock_record().is_none());
    let pin = RwSignal::new(String::new());
    let pin_again = RwSignal::new(String::new());
    let pin_error = RwSignal::new(None::<LockMsg>);

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
        let checked_pin = if needs_pin.get_untracked() {
            check_new_pin(&pin.get_untracked(), &pin_again.get_untracked()).map(Some)
        } else {
            Ok(None)
        };
        pin_error.set(checked_pin.as_ref().err().map(|e| pin_error_msg(*e)));
        match (form.validate(), checked_pin) {
            (Err(e), _) => errors.set(e),
            (Ok(_), Err(_)) => errors.set(EnrolErrors::default()),
            (Ok((c, name)), Ok(new_pin)) => {
                errors.set(EnrolErrors::default());
                busy.set(true);
                let base = settings.saved.with_untracked(api::base_url);
                spawn_local(async move {
                    // The lock first (nothing kept yet): a browser that
                    // cannot encrypt spends no code.
                    let lock = match &new_pin {
                        Some(p) => match actions::prepare(p).await {
                            Ok(l) => Some(l),
                            Err(_) => {
                                pin_error.set(Some(LockMsg::PinErrCrypto));
                                busy.set(false);
                                return;
                            }
                        },
                        None => None,
                    };
                    match api::enrol(&base, &c, &name).await {
                        Ok(enrolment) => {
                            if let Some((record, key)) = lock {
                                if actions::keep(&record, key).await.is_err() {
                                    pin_error.set(Some(LockMsg::PinErrStorage));
                                    busy.set(false);
                                    return;
                                }
                                needs_pin.set(false);
                                has_lock.set(true);
                                pin.set(String::new());
                                pin_again.set(String::new());
                                // What the tablet already holds: encrypted
                                // in place (new writes are sealed from now).
                                sync.encrypt_stored();
                            }
                            match sync.enrol(enrolment).await {
                                Ok(()) => {
                                    code.set(String::new());
                                    done.set(true);
                                }
                                Err(_) => refused.set(Some(ApiError::Network("storage".into()))),
                            }
                        }
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
            <Show when=move || needs_pin.get()>
                <p class="form-intro">{t(LockMsg::PinIntro)}</p>
                <label for="enrol-pin">{t(LockMsg::PinLabel)}</label>
                <input type="password" id="enrol-pin" class="pin-input" inputmode="numeric"
                    pattern="[0-9]*" autocomplete="new-password" maxlength="12"
                    class:invalid=move || pin_error.with(Option::is_some) bind:value=pin/>
                <label for="enrol-pin-again">{t(LockMsg::PinAgainLabel)}</label>
                <input type="password" id="enrol-pin-again" class="pin-input" inputmode="numeric"
                    pattern="[0-9]*" autocomplete="new-password" maxlength="12"
                    class:invalid=move || pin_error.with(Option::is_some) bind:value=pin_again/>
                {move || pin_error.get().map(|m| view! {
                    <p class="field-error" id="enrol-pin-error" role="alert">{t(m)}</p>
                })}
            </Show>
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
