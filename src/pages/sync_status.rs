//! The sync-status screen: network state and the sync server in use.

use crate::app::use_settings;
use crate::components::page_header::PageHeader;
use crate::i18n::{Msg, t};
use crate::routes::Route;
use leptos::prelude::*;

#[component]
pub fn SyncStatusPage() -> impl IntoView {
    let app_settings = use_settings();
    let online = RwSignal::new(window().navigator().on_line());
    let on = window_event_listener(leptos::ev::online, move |_| online.set(true));
    let off = window_event_listener(leptos::ev::offline, move |_| online.set(false));
    on_cleanup(move || {
        on.remove();
        off.remove();
    });
    let server = move || app_settings.saved.with(|s| s.server_url.clone());
    view! {
        <PageHeader route=Route::Sync intro=Msg::SyncIntro/>
        <dl class="card facts">
            <dt>{t(Msg::SyncNetwork)}</dt>
            <dd id="sync-network">
                {move || if online.get() { t(Msg::SyncOnline)() } else { t(Msg::SyncOffline)() }}
            </dd>
            <dt>{t(Msg::SyncServer)}</dt>
            <dd id="sync-server">
                {move || match server() {
                    Some(url) => url.into_any(),
                    None => t(Msg::SyncServerSameOrigin).into_any(),
                }}
            </dd>
        </dl>
    }
}
