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
use crate::ui::labelled_input::LabelledInput;
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
            <LabelledInput id="enrol-code" label=Msg::EnrolCode value=code class="code-input" autocomplete="off"
                autocapitalize="characters" spellcheck="false" placeholder=Msg::EnrolCodeHint
                error=Signal::derive(move || errors.with(|e| e.code))/>
            <LabelledInput id="enrol-device-name" label=Msg::EnrolDeviceName value=device_name autocomplete="off"
                placeholder=Msg::EnrolDeviceNameHint error=Signal::derive(move || errors.with(|e| e.device_name))/>
            <Show when=move || needs_pin.get()>
                <p class="form-intro">{t(LockMsg::PinIntro)}</p>
                <LabelledInput id="enrol-pin" label=LockMsg::PinLabel value=pin pin=true autocomplete="new-password"
                    invalid=Signal::derive(move || pin_error.with(Option::is_some))/>
                <LabelledInput id="enrol-pin-again" label=LockMsg::PinAgainLabel value=pin_again pin=true
                    autocomplete="new-password" invalid=Signal::derive(move || pin_error.with(Option::is_some))/>
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
