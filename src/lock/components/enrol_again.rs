//! The screen of a tablet whose lock record is gone (or damaged) while
//! sealed data remains: the data key cannot be recovered, so nothing is
//! offered that would reuse what is there — no "set a new PIN", no sync.
//! It says why in plain words; its one button erases the unreadable data
//! ([`crate::lock::actions::erase`]) and reloads into a tablet that is not
//! enrolled, which needs a fresh enrolment code. Until the button is
//! tapped nothing is deleted (a restored profile could still bring the
//! lock record back).

use crate::i18n::t;
use crate::lock::actions;
use crate::lock::components::stop_card::StopCard;
use crate::lock::messages::LockMsg;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn LockEnrolAgain() -> impl IntoView {
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    let erase = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match actions::erase().await {
                Ok(()) => actions::reload(),
                Err(e) => {
                    failed.set(Some(e.to_string()));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <StopCard id="enrol-again" icon="锁" title=LockMsg::EnrolAgainTitle why=LockMsg::EnrolAgainWhy>
                <p>{t(LockMsg::EnrolAgainNext)}</p>
                {move || failed.get().map(|e| view! { <p class="field-error" id="enrol-again-failed">{e}</p> })}
                <div class="form-actions">
                    <button type="button" class="button primary lock-button" id="enrol-again-erase"
                        disabled=move || busy.get() on:click=erase>
                        {move || if busy.get() { t(LockMsg::EnrolAgainErasing)() } else { t(LockMsg::EnrolAgainErase)() }}
                    </button>
                </div>
        </StopCard>
    }
}
