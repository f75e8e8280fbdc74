//! End-to-end tests of the offline app in real headless Chromium against the
//! real server: after a first visit the service worker controls the page;
//! with the server gone the app still starts, reloads, routes and opens
//! deep links; the web manifest is linked, parses and its icons load. A new
//! build installs in the background, is announced, is not mixed into the
//! running session, and is the one in use after the app is reopened.

use crate::support;

use crate::support::{Browser, Server};
use serde_json::json;
use yanzhen::i18n::{Lang, Msg};
use yanzhen::routes::Route;

fn heading(route: Route) -> &'static str {
    match route {
        Route::Home => Msg::HomeWelcome.text(Lang::ZhCn),
        other => other.title().text(Lang::ZhCn),
    }
}

/// The state of the worker controlling the page, or null.
const CONTROLLER: &str = "return navigator.serviceWorker.controller \
    ? navigator.serviceWorker.controller.state : null";

/// A first visit online, then reloads until a service worker controls the
/// page with its cache filled.
async fn visit_until_controlled(b: &Browser, url: &str) {
    b.goto(url).await;
    b.wait_text("#page-title", heading(Route::Home)).await;
    b.wait_js(
        "return navigator.serviceWorker.getRegistration()\
         .then(r => !!(r && r.active && r.active.state === 'activated'))",
        json!(true),
    )
    .await;
    b.refresh().await;
    b.wait_text("#page-title", heading(Route::Home)).await;
    b.wait_js(CONTROLLER, json!("activated")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_starts_and_routes_with_no_network() {
    let server = Server::start();
    let b = Browser::start().await;
    let url = server.url.clone();
    visit_until_controlled(&b, &url).await;

    // The manifest is linked, served as a manifest, parses, and its icons load.
    let manifest = b
        .js_async(
            "const done = arguments[arguments.length - 1];
             const link = document.querySelector('link[rel=manifest]');
             fetch(link.href).then(async r => {
               const type = r.headers.get('content-type');
               const m = await r.json();
               const icons = await Promise.all(m.icons.map(i => fetch(new URL(i.src, link.href))
                 .then(r => [i.sizes, r.status, r.headers.get('content-type')])));
               done({ type, name: m.name, short: m.short_name, lang: m.lang,
                      display: m.display, theme: m.theme_color, start: m.start_url, icons });
             }).catch(e => done(String(e)));",
        )
        .await;
    assert_eq!(manifest["type"], "application/manifest+json", "{manifest}");
    assert_eq!(manifest["name"], "雁阵");
    assert_eq!(manifest["short"], "雁阵");
    assert_eq!(manifest["lang"], "zh-CN");
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["theme"], "#b3261e");
    assert_eq!(manifest["start"], "/");
    let icons = manifest["icons"].as_array().unwrap();
    for size in ["192x192", "512x512"] {
        assert!(
            icons.contains(&json!([size, 200, "image/png"])),
            "a {size} PNG icon: {icons:?}"
        );
    }

    // One cache, of this build, holding the wasm.
    let caches = b
        .js_async(
            "const done = arguments[arguments.length - 1];
             caches.keys().then(async keys => {
               const c = await caches.open(keys[0]);
               const urls = (await c.keys()).map(r => new URL(r.url).pathname);
               done({ keys, wasm: urls.some(u => u.endsWith('_bg.wasm')), index: urls.includes('/index.html') });
             });",
        )
        .await;
    assert_eq!(caches["keys"].as_array().unwrap().len(), 1, "{caches}");
    assert!(caches["keys"][0].as_str().unwrap().starts_with("yanzhen-"));
    assert_eq!(caches["wasm"], true, "{caches}");
    assert_eq!(caches["index"], true, "{caches}");

    // The server goes away: no network peer at all.
    server.stop();
    let healthz = b
        .js_async(
            "const done = arguments[arguments.length - 1];
             fetch('/healthz').then(r => done(r.status), () => done('network error'));",
        )
        .await;
    assert_eq!(
        healthz, "network error",
        "/healthz is never served from cache"
    );

    // The app still starts, from a reload and from a deep link.
    b.refresh().await;
    b.wait_text("#page-title", heading(Route::Home)).await;
    b.screenshot("offline-home").await;
    for route in Route::ALL {
        b.tap(&format!("a.nav-link[data-route='{}']", route.segment()))
            .await;
        b.wait_text("#page-title", heading(route)).await;
        assert_eq!(b.path().await, route.path());
    }
    b.goto(&format!("{url}{}", Route::Settings.segment())).await;
    b.wait_text("#page-title", heading(Route::Settings)).await;
    b.screenshot("offline-settings").await;
    b.goto(&format!("{url}no-such-page")).await;
    b.wait_text("#page-title", Msg::NotFoundTitle.text(Lang::ZhCn))
        .await;
    // And after the app is closed and opened again.
    b.reopen(&url).await;
    b.wait_text("#page-title", heading(Route::Home)).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_build_is_announced_and_used_at_the_next_start() {
    let dist = std::path::PathBuf::from(std::env::var_os("YANZHEN_DIST").expect("YANZHEN_DIST"));
    let server = Server::start_on(support::free_port(), &dist);
    let port = server.port();
    let url = server.url.clone();
    let b = Browser::start().await;
    visit_until_controlled(&b, &url).await;
    const BUILD_MARK: &str =
        "return document.querySelector('meta[name=yanzhen-test-build]') !== null";
    assert_eq!(b.js(BUILD_MARK).await, json!(false));
    assert_eq!(
        b.js("return document.documentElement.hasAttribute('data-update-ready')")
            .await,
        json!(false),
        "no update on a first visit"
    );

    // A new build: a changed page and a newly stamped worker, served from
    // the same origin.
    let next = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&dist).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, next.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap();
    let index = index.replacen(
        "<head>",
        "<head>\n  <meta name=\"yanzhen-test-build\" content=\"next\">",
        1,
    );
    std::fs::write(next.path().join("index.html"), index).unwrap();
    let sw = std::fs::read_to_string(dist.join("sw.js")).unwrap();
    let line = sw
        .lines()
        .find(|l| l.starts_with("const BUILD = \""))
        .unwrap();
    assert!(!line.contains("__"), "dist/sw.js is stamped: {line}");
    let sw = sw.replacen(line, &line.replace("\";", "-next\";"), 1);
    std::fs::write(next.path().join("sw.js"), sw).unwrap();
    // The new build's server no longer has one module's chunk (unchanged,
    // same name): the new worker must take it from the old build's cache,
    // as it does every unchanged content-hashed file, instead of
    // downloading it again — otherwise its install fails and nothing is
    // announced.
    let young = std::fs::read_dir(next.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.starts_with("split_young-") && n.ends_with(".wasm"))
        .expect("the split build has the 雏雁 chunk");
    std::fs::remove_file(next.path().join(&young)).unwrap();
    // And a damaged copy in the old build's cache (a storage fault) is not
    // carried over: 头雁's chunk there is overwritten with other bytes under
    // its name, so the new worker must see that they no longer match the
    // name's hash and download it again.
    let lead = std::fs::read_dir(next.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.starts_with("split_lead-") && n.ends_with(".wasm"))
        .expect("the split build has the 头雁 chunk");
    assert_eq!(
        b.js_async(&format!(
            "const done = arguments[arguments.length - 1];
             caches.keys()
               .then(ks => caches.open(ks[0]))
               .then(c => c.put('/{lead}', new Response('not the chunk', {{ headers: {{ 'Content-Type': 'application/wasm' }} }})))
               .then(() => done(true), e => done(String(e)));"
        ))
        .await,
        json!(true)
    );
    // Its precompressed copies too, where the build made them.
    for suffix in [".br", ".gz"] {
        let _ = std::fs::remove_file(next.path().join(format!("{young}{suffix}")));
    }
    server.stop();
    let _server = Server::start_on(port, next.path());

    // The next start finds the new build: it installs in the background and
    // is announced, while this session stays on the build it started with.
    b.refresh().await;
    b.wait_text("#page-title", heading(Route::Home)).await;
    b.wait_js(
        "return navigator.serviceWorker.getRegistration().then(r => !!r.waiting)",
        json!(true),
    )
    .await;
    b.wait_js(
        "return document.documentElement.hasAttribute('data-update-ready')",
        json!(true),
    )
    .await;
    b.wait_text("#update-notice", Msg::UpdateReady.text(Lang::ZhCn))
        .await;
    b.screenshot("offline-update-notice").await;
    assert_eq!(b.js(BUILD_MARK).await, json!(false), "no mixing of builds");
    // A reload keeps the running build: no worker is swapped in mid-session.
    b.refresh().await;
    b.wait_text("#page-title", heading(Route::Home)).await;
    assert_eq!(b.js(BUILD_MARK).await, json!(false));

    // Closing the app and opening it again: the new build is active, its
    // page is served, the old cache is gone and nothing is announced.
    b.reopen(&url).await;
    b.wait_text("#page-title", heading(Route::Home)).await;
    b.wait_js(BUILD_MARK, json!(true)).await;
    b.wait_js(CONTROLLER, json!("activated")).await;
    let keys = b
        .js_async(
            "const done = arguments[arguments.length - 1];
             caches.keys().then(done);",
        )
        .await;
    assert_eq!(keys.as_array().unwrap().len(), 1, "{keys}");
    assert!(keys[0].as_str().unwrap().ends_with("-next"), "{keys}");
    // The chunk the server no longer has was carried over: 雏雁 opens.
    assert_eq!(
        b.js_async(&format!(
            "const done = arguments[arguments.length - 1];
             caches.open({:?}).then(c => c.match('/{young}')).then(r => done(!!r));",
            keys[0].as_str().unwrap()
        ))
        .await,
        json!(true)
    );
    b.tap(&format!(
        "a.nav-link[data-route='{}']",
        Route::Young.segment()
    ))
    .await;
    b.wait_text("#page-title", heading(Route::Young)).await;
    // The damaged chunk was downloaded again: 头雁 opens.
    b.tap(&format!(
        "a.nav-link[data-route='{}']",
        Route::Lead.segment()
    ))
    .await;
    b.wait_text("#page-title", heading(Route::Lead)).await;
    assert_eq!(
        b.js("return document.documentElement.hasAttribute('data-update-ready')")
            .await,
        json!(false)
    );
    assert!(!b.exists("#update-notice").await);
    b.close().await;
}
