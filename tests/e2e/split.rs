//! End-to-end tests of the split build (issue 16: the shell is the first
//! download, each module's code is downloaded when it is first opened), in
//! real headless Chromium against the real server:
//!
//! 1. a district-admin tablet with the app installed (the service worker
//!    active and controlling the page, no module opened yet) loses the
//!    server, and then opens every module for the first time — 头雁, 群雁,
//!    归雁, 雏雁 with each of their screens, the dashboard, admin, a person's
//!    print page and an Excel export: each shows its screen, from the
//!    chunks the worker precached at install;
//! 2. a module whose chunk cannot be downloaded (blocked through Chrome
//!    DevTools, the service worker bypassed) shows the failure and a retry;
//!    the retry downloads it again, and once the network is back it works.
//!
//! Every loaded chunk sets the performance mark `yanzhen:chunk:<name>`, so
//! the tests also see that the module code was not in the first download.
//! Screenshots: `split-*.png`.

use crate::support::{ArgServer, Browser, Server, open_first_person, wait_attr};
use serde_json::json;
use yanzhen::i18n::{Lang, Msg};
use yanzhen::routes::{Route, Screen};
use yanzhen::ui::lazy_screen::chunk_mark;

/// How long a first sync may take (the admin tablet syncs every document).
const SYNC_SECS: u64 = 180;

/// The names of the chunks loaded so far (their performance marks).
const CHUNKS_LOADED: &str = "return performance.getEntriesByType('mark')
    .map(m => m.name).filter(n => n.startsWith('yanzhen:chunk:')).sort()";

/// The state of the worker controlling the page, or null.
const CONTROLLER: &str = "return navigator.serviceWorker.controller \
    ? navigator.serviceWorker.controller.state : null";

/// The performance marks of the chunks `names` (in sorted order).
fn marks(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| chunk_mark(n)).collect()
}

fn heading(route: Route) -> &'static str {
    route.title().text(Lang::ZhCn)
}

/// Taps the navigation's link to `route` and waits for its screen.
async fn open_route(b: &Browser, route: Route) {
    b.tap(&format!("a.nav-link[data-route='{}']", route.segment()))
        .await;
    b.wait_text("#page-title", heading(route)).await;
    assert_eq!(b.path().await, route.path());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_installed_app_opens_every_module_the_first_time_with_no_network() {
    let server = ArgServer::start_with_args(&["--demo"]);
    let url = server.url().to_owned();
    let code = server.cli_code("admin", None);
    let downloads = tempfile::tempdir().unwrap();
    let b = Browser::start_downloading(downloads.path()).await;
    b.enrol_on_settings(&url, &code, "区委组织部平板").await;

    // Installed: the worker is active and controls the page.
    b.wait_js_for(
        SYNC_SECS,
        "return navigator.serviceWorker.getRegistration()\
         .then(r => !!(r && r.active && r.active.state === 'activated'))",
        json!(true),
    )
    .await;
    b.goto(&url).await;
    b.wait_js(CONTROLLER, json!("activated")).await;
    // The roster list (a chunk of its own) and the shell's person file,
    // with the district's records.
    open_first_person(&b, SYNC_SECS).await;
    let person = b.path().await;
    assert_eq!(
        b.js(CHUNKS_LOADED).await,
        json!(marks(&["roster"])),
        "no module opened yet"
    );

    // No network from here on.
    let _stopped = server.stop();
    assert_eq!(
        b.js_async(
            "const done = arguments[arguments.length - 1];
             fetch('/healthz').then(r => done(r.status), () => done('network error'));",
        )
        .await,
        "network error"
    );

    // Every module, and each of its screens, opened for the first time.
    for route in [Route::Lead, Route::Flock, Route::Returning, Route::Young] {
        open_route(&b, route).await;
        for screen in Screen::of(route) {
            b.tap(&format!("a[href='{}']", screen.path())).await;
            b.wait_text("#page-title", screen.title().text(Lang::ZhCn))
                .await;
        }
        b.screenshot(&format!("split-offline-{}", route.segment()))
            .await;
    }
    open_route(&b, Route::Dashboard).await;
    b.wait_for("#dashboard").await;
    b.screenshot("split-offline-dashboard").await;
    open_route(&b, Route::Admin).await;
    b.screenshot("split-offline-admin").await;
    assert_eq!(
        b.js(CHUNKS_LOADED).await,
        json!(marks(&[
            "admin",
            "dashboard",
            "flock",
            "lead",
            "returning",
            "roster",
            "young"
        ]))
    );

    // The person's print page.
    b.goto(&format!("{url}{}", person.trim_start_matches('/')))
        .await;
    b.tap("#person-print-link").await;
    b.wait_for("#print-person").await;
    b.screenshot("split-offline-print").await;

    // An Excel export of every unit.
    open_route(&b, Route::Roster).await;
    b.tap("#roster-excel-link").await;
    b.wait_text("#page-title", Screen::RosterExcel.title().text(Lang::ZhCn))
        .await;
    b.tap("#excel-make").await;
    let bytes = b.download("#excel-download", downloads.path()).await;
    assert!(bytes.starts_with(b"PK"), "an .xlsx (zip) file");
    b.screenshot("split-offline-excel").await;

    // (The reload for the person's file cleared the marks before.)
    assert_eq!(
        b.js(CHUNKS_LOADED).await,
        json!(marks(&["excel", "print", "roster"]))
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_module_that_fails_to_download_offers_a_retry_that_works() {
    let server = Server::start();
    let b = Browser::start().await;
    // Every request goes to the network (the service worker is bypassed).
    b.cdp("Network.enable", json!({})).await;
    b.cdp("Network.setBypassServiceWorker", json!({ "bypass": true }))
        .await;
    b.goto(&server.url).await;
    b.wait_text("#page-title", Msg::HomeWelcome.text(Lang::ZhCn))
        .await;

    // The app runs; now no more wasm can be downloaded.
    b.cdp("Network.setBlockedURLs", json!({ "urls": ["*.wasm"] }))
        .await;
    b.tap(&format!(
        "a.nav-link[data-route='{}']",
        Route::Lead.segment()
    ))
    .await;
    b.wait_text("#lazy-failed p", Msg::ChunkFailed.text(Lang::ZhCn))
        .await;
    assert_eq!(b.path().await, Route::Lead.path());
    b.screenshot("split-chunk-failed").await;
    wait_attr(&b, 20, "#lazy-failed", "data-attempt", "1").await;
    // Still blocked: the retry tries again and fails again, calmly.
    b.tap("#lazy-retry").await;
    wait_attr(&b, 20, "#lazy-failed", "data-attempt", "2").await;
    assert_eq!(b.js(CHUNKS_LOADED).await, json!([]));

    // The network is back: the retry shows the module.
    b.cdp("Network.setBlockedURLs", json!({ "urls": [] })).await;
    b.tap("#lazy-retry").await;
    b.wait_text("#page-title", heading(Route::Lead)).await;
    assert!(!b.exists("#lazy-failed").await);
    assert_eq!(b.js(CHUNKS_LOADED).await, json!([chunk_mark("lead")]));
    b.screenshot("split-chunk-retried").await;
    b.close().await;
}
