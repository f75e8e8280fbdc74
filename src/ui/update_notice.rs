//! Announces a new version of the app that has been downloaded (a waiting
//! service worker, see `assets/sw.js`) and will be used at the next start.
//! `assets/boot.js` marks `<html>` with [`UPDATE_ATTR`] and dispatches
//! [`UPDATE_EVENT`] on `window`; this component shows the notice when either
//! happened, whether it was mounted before or after.

use crate::i18n::{Msg, t};
use leptos::prelude::*;

/// The attribute `assets/boot.js` sets on `<html>` when an update waits.
pub const UPDATE_ATTR: &str = "data-update-ready";
/// The window event `assets/boot.js` dispatches when an update waits.
pub const UPDATE_EVENT: &str = "yanzhen:update-ready";

fn update_waiting() -> bool {
    document()
        .document_element()
        .is_some_and(|root| root.has_attribute(UPDATE_ATTR))
}

/// The "new version downloaded" notice; renders nothing until then.
#[component]
pub fn UpdateNotice() -> impl IntoView {
    let ready = RwSignal::new(update_waiting());
    let listener = window_event_listener_untyped(UPDATE_EVENT, move |_| ready.set(true));
    on_cleanup(move || listener.remove());
    view! {
        <Show when=move || ready.get()>
            <p id="update-notice" class="notice notice-info" role="status">
                {t(Msg::UpdateReady)}
            </p>
        </Show>
    }
}
