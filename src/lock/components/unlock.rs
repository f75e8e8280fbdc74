//! The unlock screen: the only thing a locked tablet shows (no sync, no
//! document loading). The office PIN unwraps the data key; a wrong PIN
//! says so and keeps the tablet locked; after five in a row attempts are
//! refused for a while (30 s, doubling), with the seconds left shown —
//! counted on the monotonic clock and kept as it goes down (see
//! [`crate::lock::actions`]).

use crate::i18n::t;
use crate::lock::actions::{self, UnlockError};
use crate::lock::messages::LockMsg;
use crate::lock::wait_secs;
use crate::ui::labelled_input::LabelledInput;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

/// What went wrong with the last attempt.
#[derive(Clone, Copy, PartialEq)]
enum Shown {
    Wrong,
    Broken,
}

#[component]
pub fn LockUnlock(
    /// Called once the data key is in memory.
    on_unlocked: Callback<()>,
) -> impl IntoView {
    let pin = RwSignal::new(String::new());
    let shown = RwSignal::new(None::<Shown>);
    let busy = RwSignal::new(false);
    // Re-read twice a second; what is left of a wait is written back each
    // second, so a reload goes on from there (see `actions`).
    let tick = RwSignal::new(0u32);
    if let Ok(h) = set_interval_with_handle(
        move || {
            tick.update(|t| *t = t.wrapping_add(1));
            if tick.get_untracked().is_multiple_of(2) && actions::backoff_remaining_ms() > 0.0 {
                spawn_local(actions::keep_countdown());
            }
        },
        Duration::from_millis(500),
    ) {
        on_cleanup(move || h.clear());
    }
    // Seconds to wait before the next attempt (0: may try now).
    let wait = move || {
        tick.track();
        wait_secs(actions::backoff_remaining_ms())
    };
    let waiting = move || wait() > 0;

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || waiting() {
            return;
        }
        busy.set(true);
        let typed = pin.get_untracked();
        spawn_local(async move {
            match actions::unlock(typed.trim()).await {
                Ok(()) => on_unlocked.run(()),
                Err(UnlockError::Wrong(_)) => {
                    shown.set(Some(Shown::Wrong));
                    pin.set(String::new());
                }
                Err(UnlockError::Wait(_)) => {}
                Err(UnlockError::Broken(_)) => shown.set(Some(Shown::Broken)),
            }
            tick.update(|t| *t = t.wrapping_add(1));
            busy.set(false);
        });
    };

    view! {
        <main class="lock-screen" id="unlock-screen">
            <form class="card form lock-card" id="unlock-form" on:submit=submit novalidate=true>
                <div class="lock-icon" aria-hidden="true">"锁"</div>
                <h1>{t(LockMsg::UnlockTitle)}</h1>
                <p class="form-intro">{t(LockMsg::UnlockIntro)}</p>
                <LabelledInput id="unlock-pin" label=LockMsg::UnlockPin value=pin pin=true autocomplete="off" autofocus=true/>
                {move || shown.get().map(|s| {
                    let msg = match s {
                        Shown::Wrong => LockMsg::UnlockWrong,
                        Shown::Broken => LockMsg::UnlockBroken,
                    };
                    view! { <p class="field-error" id="unlock-error" role="alert">{t(msg)}</p> }
                })}
                {move || waiting().then(|| view! {
                    <p class="field-error" id="unlock-wait" role="status">
                        {t(LockMsg::UnlockWait)}<span id="unlock-wait-secs">{wait}</span>
                    </p>
                })}
                <div class="form-actions">
                    <button
                        type="submit"
                        class="button primary lock-button"
                        id="unlock-submit"
                        disabled=move || busy.get() || waiting()
                    >
                        {move || if busy.get() { t(LockMsg::UnlockBusy)() } else { t(LockMsg::UnlockSubmit)() }}
                    </button>
                </div>
            </form>
        </main>
    }
}
