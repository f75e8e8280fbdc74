//! Settings of the lock: how long without use before the tablet locks
//! itself (1 / 5 / 10 / 30 minutes) and changing the office PIN (the data
//! key is re-wrapped; the records are not rewritten). Shown only on a tablet
//! that has a lock.

use crate::i18n::t;
use crate::lock::crypto::CryptoError;
use crate::lock::messages::LockMsg;
use crate::lock::{LOCK_AFTER_CHOICES, actions, check_new_pin, minutes_msg, pin_error_msg, store};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn LockSettings() -> impl IntoView {
    let has_lock = store::lock_record().is_some();
    let minutes = RwSignal::new(store::lock_after_minutes());
    let after_saved = RwSignal::new(false);
    let old = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let error = RwSignal::new(None::<LockMsg>);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);

    let choose = move |ev: leptos::ev::Event| {
        let m: u32 = event_target_value(&ev).parse().unwrap_or_default();
        let m = crate::lock::lock_after_minutes(Some(m));
        if store::save_lock_after(m).is_ok() {
            minutes.set(m);
            after_saved.set(true);
        }
    };
    let change = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        done.set(false);
        let current = old.get_untracked();
        match check_new_pin(&new.get_untracked(), &again.get_untracked()) {
            Err(e) => error.set(Some(pin_error_msg(e))),
            Ok(p) => {
                error.set(None);
                busy.set(true);
                spawn_local(async move {
                    match actions::change_pin(current.trim(), &p).await {
                        Ok(()) => {
                            done.set(true);
                            old.set(String::new());
                            new.set(String::new());
                            again.set(String::new());
                        }
                        Err(CryptoError::WrongKey) => error.set(Some(LockMsg::ChangePinWrongOld)),
                        Err(CryptoError::Failed(_)) => error.set(Some(LockMsg::PinErrStorage)),
                        Err(_) => error.set(Some(LockMsg::PinErrCrypto)),
                    }
                    busy.set(false);
                });
            }
        }
    };
    let pin_input = |id: &'static str, value: RwSignal<String>| {
        view! {
            <input type="password" id=id class="pin-input" inputmode="numeric" pattern="[0-9]*"
                autocomplete="off" maxlength="12" bind:value=value/>
        }
    };

    view! {
        <section class="card form" id="lock-settings">
            <h2>{t(LockMsg::SettingsTitle)}</h2>
            {if has_lock {
                view! {
                    <label for="lock-after">{t(LockMsg::LockAfterLabel)}</label>
                    <select id="lock-after" on:change=choose>
                        {LOCK_AFTER_CHOICES.into_iter().map(|m| view! {
                            <option value=m.to_string() selected=move || minutes.get() == m>
                                {t(minutes_msg(m))}
                            </option>
                        }).collect_view()}
                    </select>
                    <Show when=move || after_saved.get()>
                        <span class="saved" id="lock-after-saved" role="status">{t(LockMsg::LockAfterSaved)}</span>
                    </Show>
                    <form id="pin-change-form" class="form lock-pin-change" on:submit=change novalidate=true>
                        <h3>{t(LockMsg::ChangePinTitle)}</h3>
                        <label for="pin-old">{t(LockMsg::OldPinLabel)}</label>
                        {pin_input("pin-old", old)}
                        <label for="pin-new">{t(LockMsg::NewPinLabel)}</label>
                        {pin_input("pin-new", new)}
                        <label for="pin-new-again">{t(LockMsg::NewPinAgainLabel)}</label>
                        {pin_input("pin-new-again", again)}
                        {move || error.get().map(|m| view! {
                            <p class="field-error" id="pin-change-error" role="alert">{t(m)}</p>
                        })}
                        <div class="form-actions">
                            <button type="submit" class="button" id="pin-change" disabled=move || busy.get()>
                                {t(LockMsg::ChangePinSubmit)}
                            </button>
                            <Show when=move || done.get()>
                                <span class="saved" id="pin-change-done" role="status">{t(LockMsg::ChangePinDone)}</span>
                            </Show>
                        </div>
                    </form>
                }.into_any()
            } else {
                view! { <p id="lock-none">{t(LockMsg::NoLock)}</p> }.into_any()
            }}
        </section>
    }
}
