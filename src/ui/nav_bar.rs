//! The navigation rail (landscape) or bar (portrait): brand, one link per
//! route, and the language switch. Restricted routes (the admin screen)
//! are linked only when this tablet's role may use them. A tablet with a
//! lock has a "锁定" button (`#lock-now`): it waits for pending saves, forgets
//! the key and shows the unlock screen.

use crate::i18n::{Msg, t};
use crate::lock::messages::LockMsg;
use crate::routes::Route;
use crate::sync::repo::use_sync;
use crate::ui::lang_switch::LangSwitch;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NavBar() -> impl IntoView {
    let sync = use_sync();
    let role = move || {
        sync.enrolment
            .with(|e| e.as_ref().and_then(|e| e.device.role()))
    };
    let has_lock = crate::app::use_lock().has_lock;
    let locking = RwSignal::new(false);
    let link = move |route: Route| {
        view! {
            <li>
                <A href=route.path() attr:class="nav-link" attr:data-route=route.segment()>
                    <span class="nav-icon" aria-hidden="true">{route.icon()}</span>
                    <span class="nav-text">{t(route.title())}</span>
                </A>
            </li>
        }
    };
    view! {
        <nav class="nav" aria-label=t(Msg::NavLabel)>
            <div class="nav-brand">
                <span class="nav-logo" aria-hidden="true">"雁"</span>
                <span class="nav-name">{t(Msg::AppName)}</span>
            </div>
            <ul class="nav-links">
                {Route::ALL.into_iter().map(link).collect_view()}
                {move || {
                    let role = role();
                    Route::RESTRICTED.into_iter().filter(|r| r.offered_to(role)).map(link).collect_view()
                }}
            </ul>
            {move || has_lock.get().then(|| {
                let lock = move |_| {
                    if locking.get_untracked() {
                        return;
                    }
                    locking.set(true);
                    let pending = move || sync.saves_pending();
                    leptos::task::spawn_local(crate::lock::actions::lock_now(pending));
                };
                view! {
                    <button type="button" class="nav-lock" id="lock-now" title=t(LockMsg::LockNowTitle)
                        on:click=lock disabled=move || locking.get()>
                        <span class="nav-icon" aria-hidden="true">"锁"</span>
                        <span class="nav-text">
                            {move || if locking.get() { t(LockMsg::Locking)() } else { t(LockMsg::LockNow)() }}
                        </span>
                    </button>
                }
            })}
            <LangSwitch/>
        </nav>
    }
}
