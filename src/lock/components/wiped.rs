//! The screen of a tablet the district revoked: says why in plain words
//! while its local records are erased (IndexedDB, lock, enrolment, wrong-PIN
//! counter), and keeps saying so after a reload until "知道了".

use crate::i18n::{t, use_i18n};
use crate::lock::components::stop_card::StopCard;
use crate::lock::messages::LockMsg;
use crate::lock::{actions, store};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn LockWiped() -> impl IntoView {
    let i18n = use_i18n();
    let record = store::wiped();
    let erased = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    // Erase on every showing (idempotent), so a reload mid-way finishes it.
    spawn_local(async move {
        match actions::erase().await {
            Ok(()) => erased.set(true),
            Err(e) => failed.set(Some(e.to_string())),
        }
    });
    let at = record.as_ref().map(|w| w.at).unwrap_or_default();
    let when = move || {
        let tag = i18n.lang.get().tag();
        js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64))
            .to_locale_string(tag, &wasm_bindgen::JsValue::UNDEFINED)
            .as_string()
            .unwrap_or_default()
    };
    let ok = move |_| {
        store::clear_wiped();
        actions::reload();
    };
    view! {
        <StopCard id="wiped" icon="停" title=LockMsg::WipedTitle why=LockMsg::WipedWhy>
                {record.as_ref().is_some_and(|w| w.unsynced).then(|| view! {
                    <p id="wiped-unsynced">{t(LockMsg::WipedUnsynced)}</p>
                })}
                <p>{t(LockMsg::WipedNext)}</p>
                <p class="wiped-at">{t(LockMsg::WipedAt)}{when}</p>
                <p id="wiped-status" data-erased=move || erased.get().to_string()>
                    {move || if erased.get() { t(LockMsg::WipedDone)() } else { t(LockMsg::WipedErasing)() }}
                </p>
                {move || failed.get().map(|e| view! { <p class="field-error" id="wiped-failed">{e}</p> })}
                <div class="form-actions">
                    <button type="button" class="button primary lock-button" id="wiped-ok"
                        disabled=move || !erased.get() on:click=ok>
                        {t(LockMsg::WipedOk)}
                    </button>
                </div>
        </StopCard>
    }
}
