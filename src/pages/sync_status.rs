//! The sync-status screen: network state, the sync server in use, the
//! connection in plain words (connected / connecting / offline / retrying in
//! N s, with a "retry now" button), the last problem, and one row per
//! document (name from the unit directory, last sync, whether local changes
//! are still unconfirmed by the server). Before enrolment it says so and
//! how to enrol; a refused token says why and that syncing stopped; edits
//! of read-only documents kept on this tablet get a notice. Sync by file
//! sits at the bottom ([`crate::sync::components::file_transfer`]; on the
//! split build its code is a chunk of its own, `transfer`, downloaded when
//! this screen first opens, since few offices ever sync by file). Everything
//! shown comes from the [`crate::sync::repo::SyncContext`]; the words from
//! [`crate::sync::status`].

use crate::app::use_settings;
use crate::i18n::{Msg, t};
use crate::routes::Route;
use crate::sync::components::doc_row::SyncDocRow;
use crate::sync::components::file_transfer::FileTransfer;
use crate::sync::repo::use_sync;
use crate::sync::status::Connection;
use crate::ui::page_header::PageHeader;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;

crate::lazy_view!(transfer, file_transfer, FileTransfer);

#[component]
pub fn SyncStatusPage() -> impl IntoView {
    let app_settings = use_settings();
    let sync = use_sync();
    let online = RwSignal::new(window().navigator().on_line());
    let on = window_event_listener(leptos::ev::online, move |_| online.set(true));
    let off = window_event_listener(leptos::ev::offline, move |_| online.set(false));
    on_cleanup(move || {
        on.remove();
        off.remove();
    });
    let server = move || app_settings.saved.with(|s| s.server_url.clone());
    let connection = move || sync.connection.get();
    let retry_in = move || connection().retry_in_secs(sync.now.get());
    let can_retry = move || matches!(connection(), Connection::Retrying { .. });
    let problem = move || sync.last_error.get();
    let rows = move || sync.docs.get();
    let readonly_edits = move || sync.docs.with(|r| r.iter().any(|r| r.readonly_edits));
    // Not enrolled, or refused: what it means and what to do.
    let access_help = move || match connection() {
        Connection::NotEnrolled => Some((Msg::SyncNotEnrolledHowTo, "sync-not-enrolled")),
        Connection::Refused(r) => Some((r.msg(), "sync-refused")),
        _ => None,
    };
    view! {
        <PageHeader route=Route::Sync intro=Msg::SyncIntro/>
        {move || access_help().map(|(msg, id)| view! {
            <section class="card notice-card" id=id role="alert">
                <p>{t(msg)}</p>
                <A href=Route::Settings.path() attr:class="button primary" attr:id="sync-go-settings">
                    {t(Msg::SyncGoToSettings)}
                </A>
            </section>
        })}
        {move || readonly_edits().then(|| view! {
            <p class="notice notice-info" id="sync-readonly-notice" role="status">{t(Msg::SyncReadOnlyNotice)}</p>
        })}
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
            <dt>{t(Msg::SyncConnection)}</dt>
            <dd id="sync-connection" data-state=move || connection().name()>
                <span>{move || t(connection().msg())()}</span>
                {move || retry_in().map(|n| view! {
                    " " <span id="sync-retry-in">{n}</span> " " {t(Msg::SyncSecondsLater)}
                })}
                {move || can_retry().then(|| view! {
                    " "
                    <button id="sync-retry" class="button" type="button" on:click=move |_| sync.retry_now()>
                        {t(Msg::SyncRetryNow)}
                    </button>
                })}
            </dd>
            <dt>{t(Msg::SyncLastError)}</dt>
            <dd id="sync-last-error" data-problem=move || problem().is_some().to_string()>
                {move || match problem() {
                    Some(p) => Either::Left(view! {
                        <span role="alert">{t(p.msg())}</span>
                        <br/>
                        <small class="sync-error-detail">{p.detail()}</small>
                    }),
                    None => Either::Right(t(Msg::SyncNoError)),
                }}
            </dd>
        </dl>
        <section class="card">
            <h2>{t(Msg::SyncDocuments)}</h2>
            {move || {
                let rows = rows();
                if rows.is_empty() {
                    Either::Left(view! { <p id="sync-no-docs">{t(Msg::SyncNoDocuments)}</p> })
                } else {
                    Either::Right(view! {
                        <table id="sync-docs" class="sync-docs">
                            <thead>
                                <tr>
                                    <th scope="col">{t(Msg::SyncColDocument)}</th>
                                    <th scope="col">{t(Msg::SyncColLastSync)}</th>
                                    <th scope="col">{t(Msg::SyncColState)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows.into_iter().map(|row| view! { <SyncDocRow row=row/> }).collect_view()}
                            </tbody>
                        </table>
                    })
                }
            }}
        </section>
        {file_transfer()}
    }
}
