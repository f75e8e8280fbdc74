//! End-to-end test of the app shell in real headless Chromium against the
//! real server: a person opens the app, taps through every top-level route,
//! switches the language and back, fixes a wrong settings entry, and lands
//! on deep links and unknown addresses. A screenshot of every route goes to
//! `target/screenshots/`.

use crate::support::{Browser, Server};
use yanzhen::i18n::{Lang, Msg};
use yanzhen::routes::{Route, Screen};

fn heading(route: Route, lang: Lang) -> &'static str {
    match route {
        Route::Home => Msg::HomeWelcome.text(lang),
        other => other.title().text(lang),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_navigates_every_route_in_both_languages() {
    let server = Server::start();
    let b = Browser::start().await;
    b.goto(&server.url).await;
    b.wait_text("#page-title", heading(Route::Home, Lang::ZhCn))
        .await;
    assert_eq!(b.js("return document.documentElement.lang").await, "zh-CN");
    assert_eq!(b.client.title().await.unwrap(), "雁阵");
    // The cold-open marks of the benchmark: documents loaded (none on a new
    // tablet), then the home screen painted after them, once each.
    b.wait_js(
        "return performance.getEntriesByName('yanzhen:docs-loaded').length",
        serde_json::json!(1),
    )
    .await;
    b.wait_js(
        "const [l] = performance.getEntriesByName('yanzhen:docs-loaded');
         const p = performance.getEntriesByName('yanzhen:home-painted');
         return p.length === 1 && p[0].startTime >= l.startTime",
        serde_json::json!(true),
    )
    .await;

    // Tap every route in the navigation, in Chinese.
    for route in Route::ALL {
        b.tap(&format!("a.nav-link[data-route='{}']", route.segment()))
            .await;
        b.wait_text("#page-title", heading(route, Lang::ZhCn)).await;
        assert_eq!(b.path().await, route.path());
        let current = b
            .js("return document.querySelector('a.nav-link[aria-current=page]').dataset.route")
            .await;
        assert_eq!(current, route.segment(), "the nav marks the current route");
        b.screenshot(&format!("shell-{}-zh", name(route))).await;
    }

    // Switch to English: the page and the navigation change in place.
    b.tap("#lang-switch").await;
    b.wait_text("#page-title", heading(Route::Settings, Lang::En))
        .await;
    assert_eq!(b.js("return document.documentElement.lang").await, "en");
    b.wait_text(
        "a.nav-link[data-route='roster'] .nav-text",
        Msg::NavRoster.text(Lang::En),
    )
    .await;
    for route in Route::ALL {
        b.tap(&format!("a.nav-link[data-route='{}']", route.segment()))
            .await;
        b.wait_text("#page-title", heading(route, Lang::En)).await;
        b.screenshot(&format!("shell-{}-en", name(route))).await;
    }

    // The choice survives a reload (kept with gloo-storage).
    b.refresh().await;
    b.wait_text("#page-title", heading(Route::Settings, Lang::En))
        .await;

    // And back to Chinese.
    b.tap("#lang-switch").await;
    b.wait_text("#page-title", heading(Route::Settings, Lang::ZhCn))
        .await;
    assert_eq!(b.js("return document.documentElement.lang").await, "zh-CN");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_refuse_bad_input_and_keep_good_input() {
    let server = Server::start();
    let b = Browser::start().await;
    b.goto(&format!("{}settings", server.url)).await;
    b.wait_text("#page-title", heading(Route::Settings, Lang::ZhCn))
        .await;

    // A wrong address: a clear message, nothing saved.
    b.type_into("#settings-server-url", "yanzhen.example.cn")
        .await;
    b.type_into("#settings-office", "东风村党总支").await;
    b.tap("#settings-save").await;
    b.wait_text(
        "#settings-server-url-error",
        Msg::ErrServerUrl.text(Lang::ZhCn),
    )
    .await;
    assert!(
        !b.exists("#settings-saved").await,
        "nothing may be reported saved"
    );
    b.screenshot("shell-settings-error").await;
    b.refresh().await;
    b.wait_text("#page-title", heading(Route::Settings, Lang::ZhCn))
        .await;
    assert_eq!(b.value("#settings-server-url").await, "");
    assert_eq!(
        b.value("#settings-office").await,
        "",
        "a rejected form saves nothing"
    );

    // Corrected: saved, shown on home, kept after a reload.
    b.type_into("#settings-server-url", "https://yanzhen.example.cn/")
        .await;
    b.type_into("#settings-office", "东风村党总支").await;
    b.tap("#settings-save").await;
    b.wait_text("#settings-saved", Msg::Saved.text(Lang::ZhCn))
        .await;
    assert!(!b.exists("#settings-server-url-error").await);
    b.refresh().await;
    b.wait_text("#page-title", heading(Route::Settings, Lang::ZhCn))
        .await;
    assert_eq!(
        b.value("#settings-server-url").await,
        "https://yanzhen.example.cn"
    );
    b.tap("a.nav-link[data-route='']").await;
    b.wait_text("#home-office", "东风村党总支").await;
    b.tap("a.nav-link[data-route='sync-status']").await;
    b.wait_text("#sync-server", "https://yanzhen.example.cn")
        .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deep_links_and_unknown_addresses() {
    let server = Server::start();
    let b = Browser::start_sized(800, 1280).await;
    // A deep link is served by the SPA fallback and routed by the app.
    b.goto(&format!("{}young", server.url)).await;
    b.wait_text("#page-title", heading(Route::Young, Lang::ZhCn))
        .await;
    b.goto(&server.url).await;
    b.wait_text("#page-title", heading(Route::Home, Lang::ZhCn))
        .await;
    b.screenshot("shell-home-portrait").await;
    // A module tile leads to its module.
    b.tap("a.tile[data-route='returning']").await;
    b.wait_text("#page-title", heading(Route::Returning, Lang::ZhCn))
        .await;
    // An unknown address says so and leads home.
    b.goto(&format!("{}no-such-page", server.url)).await;
    b.wait_text("#page-title", Msg::NotFoundTitle.text(Lang::ZhCn))
        .await;
    b.screenshot("shell-not-found").await;
    b.tap("a.button").await;
    b.wait_text("#page-title", heading(Route::Home, Lang::ZhCn))
        .await;
    b.close().await;
}

fn name(route: Route) -> &'static str {
    match route {
        Route::Home => "home",
        other => other.segment(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_module_screen_opens_from_its_hub_tiles_tabs_and_links() {
    let server = Server::start();
    let b = Browser::start().await;
    b.goto(&server.url).await;
    b.wait_text("#page-title", heading(Route::Home, Lang::ZhCn))
        .await;
    for module in [Route::Lead, Route::Flock, Route::Returning, Route::Young] {
        // The hub: one tile per screen.
        b.tap(&format!("a.nav-link[data-route='{}']", module.segment()))
            .await;
        b.wait_text("#page-title", heading(module, Lang::ZhCn))
            .await;
        b.screenshot(&format!("hub-{}", module.segment())).await;
        let screens: Vec<Screen> = Screen::of(module).collect();
        assert_eq!(
            b.count("a.tile[data-screen]").await,
            screens.len(),
            "{module:?}: a tile per screen"
        );
        // The first screen from its tile, the others from the tabs.
        b.tap(&format!("a.tile[data-screen='{}']", screens[0].segment()))
            .await;
        for (i, screen) in screens.iter().enumerate() {
            if i > 0 {
                b.tap(&format!("a.screen-tab[data-screen='{}']", screen.segment()))
                    .await;
            }
            b.wait_text("#page-title", screen.title().text(Lang::ZhCn))
                .await;
            assert_eq!(b.path().await, screen.path());
            let current = b
                .js("return document.querySelector('a.screen-tab.current').dataset.screen")
                .await;
            assert_eq!(
                current,
                screen.segment(),
                "the tabs mark the current screen"
            );
        }
    }
    // A screen opens from a deep link too.
    let screen = Screen::ALL[Screen::ALL.len() - 1];
    b.goto(&format!("{}{}", server.url, &screen.path()[1..]))
        .await;
    b.wait_text("#page-title", screen.title().text(Lang::ZhCn))
        .await;
    b.close().await;
}
