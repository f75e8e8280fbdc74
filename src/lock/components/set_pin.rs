//! The one-time "set the office PIN" screen of a tablet enrolled before
//! the records were encrypted: the new PIN (twice) creates the lock, every
//! plaintext chunk in IndexedDB is rewritten encrypted, the plaintext
//! enrolment is sealed (and its plaintext copies deleted), and the app opens.
//! Shown only when nothing sealed is on the tablet
//! ([`crate::lock::start_screen`]).

use crate::i18n::t;
use crate::lock::messages::LockMsg;
use crate::lock::{actions, check_new_pin, pin_error_msg};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn LockSetPin(
    /// Called once the lock exists and the data key is in memory.
    on_done: Callback<()>,
) -> impl IntoView {
    let pin = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let error = RwSignal::new(None::<LockMsg>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        match check_new_pin(&pin.get_untracked(), &again.get_untracked()) {
            Err(e) => error.set(Some(pin_error_msg(e))),
            Ok(p) => {
                error.set(None);
                busy.set(true);
                spawn_local(async move {
                    match actions::prepare(&p).await {
                        Ok((record, key)) => match actions::keep(&record, key).await {
                            Ok(()) => {
                                // Chunks left plaintext still load; the next
                                // start tries again.
                                let _ = actions::encrypt_stored().await;
                                // The plaintext enrolment: sealed, then into memory.
                                actions::open_secrets().await;
                                crate::sync::repo::performance_mark(crate::lock::UNLOCKED_MARK);
                                on_done.run(());
                            }
                            Err(_) => error.set(Some(LockMsg::PinErrStorage)),
                        },
                        Err(_) => error.set(Some(LockMsg::PinErrCrypto)),
                    }
                    busy.set(false);
                });
            }
        }
    };

    view! {
        <main class="lock-screen" id="setpin-screen">
            <form class="card form lock-card" id="setpin-form" on:submit=submit novalidate=true>
                <div class="lock-icon" aria-hidden="true">"锁"</div>
                <h1>{t(LockMsg::SetPinTitle)}</h1>
                <p class="form-intro">{t(LockMsg::SetPinIntro)}</p>
                <p class="form-intro">{t(LockMsg::PinIntro)}</p>
                <label for="setpin-pin">{t(LockMsg::PinLabel)}</label>
                <input type="password" id="setpin-pin" class="pin-input" inputmode="numeric"
                    pattern="[0-9]*" autocomplete="off" maxlength="12" bind:value=pin/>
                <label for="setpin-pin-again">{t(LockMsg::PinAgainLabel)}</label>
                <input type="password" id="setpin-pin-again" class="pin-input" inputmode="numeric"
                    pattern="[0-9]*" autocomplete="off" maxlength="12" bind:value=again/>
                {move || error.get().map(|m| view! {
                    <p class="field-error" id="setpin-error" role="alert">{t(m)}</p>
                })}
                <div class="form-actions">
                    <button type="submit" class="button primary lock-button" id="setpin-submit"
                        disabled=move || busy.get()>
                        {t(LockMsg::SetPinSubmit)}
                    </button>
                </div>
            </form>
        </main>
    }
}
