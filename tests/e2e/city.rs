//! End-to-end tests of the city level in real headless Chromium against
//! the real server with the demo city (`--demo-city`: four districts, the
//! first the demo district of `--demo`).
//!
//! * A city viewer (enrolled through `yanzhen-server enrol --role
//!   city_viewer`) is led from home to the city dashboard; it shows the
//!   four districts side by side, 雁城区（演示） first, and the whole city;
//!   雁城区（演示）'s column equals the district dashboard's reference
//!   figures (`figures::compute` on the demo data: 40 candidates reviewed,
//!   39 % certified …); the city's counts are the districts' sums and its
//!   certified share is recomputed from the summed counts; the charts
//!   follow the chosen district.
//! * A city admin creates a district on the districts screen (a bad id is
//!   refused at the field first) and gets its first district-admin code.
//!
//! Screenshots: `city-*.png`.

use std::collections::BTreeMap;

use crate::support::{ArgServer, Browser};
use yanzhen::modules::dashboard::figures::figure_rows;
use yanzhen::routes::{Route, Screen};
use yanzhen_model::demo::{REFERENCE_YEAR, generate};
use yanzhen_model::figures::{Filter, compute};

/// How long the first sync of four districts' documents may take.
const SYNC_SECS: u64 = 480;

/// The two tests run one after the other: each syncs four districts.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Every cell of the city table: column (`data-district`) → figure →
/// value.
async fn table(b: &Browser) -> BTreeMap<String, BTreeMap<String, String>> {
    let v = b
        .js("const out = {};
             for (const td of document.querySelectorAll('#city-table td[data-district]')) {
                 (out[td.dataset.district] ??= {})[td.dataset.figure] = td.dataset.value;
             }
             return out")
        .await;
    serde_json::from_value(v).unwrap()
}

fn num(v: &str) -> i64 {
    v.parse().unwrap_or_else(|_| panic!("{v:?} is a count"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_city_viewer_sees_every_district_side_by_side() {
    let _one = ONE_AT_A_TIME.lock().await;
    let server = ArgServer::start_with_args(&["--demo-city"]);
    let url = server.url().to_owned();
    let code = server.cli_code("city_viewer", None);
    let b = Browser::start().await;
    b.enrol(&url, &code, "市委组织部平板").await;

    // Home leads to the city dashboard; the navigation offers it, not the
    // district admin's screen.
    b.goto(&url).await;
    b.tap(&format!(
        "#home-city a.tile[data-route='{}']",
        Route::City.segment()
    ))
    .await;
    assert_eq!(b.path().await, Route::City.path());
    assert!(
        b.exists(&format!(
            "a.nav-link[data-route='{}']",
            Route::City.segment()
        ))
        .await
    );
    assert!(
        !b.exists(&format!(
            "a.nav-link[data-route='{}']",
            Route::Admin.segment()
        ))
        .await
    );
    assert!(!b.exists("#city-manage").await, "a viewer manages nothing");

    // Every district's unit documents read.
    b.wait_js_for(
        SYNC_SECS,
        "const d = document.querySelector('#city');
         return !!d && d.dataset.districts === '4' && d.dataset.total !== '0'
             && d.dataset.loaded === d.dataset.total",
        serde_json::json!(true),
    )
    .await;
    b.screenshot("city-dashboard").await;
    let heads = b
        .js(
            "return [...document.querySelectorAll('#city-table thead th[data-district]')]
             .map(th => th.dataset.district + '=' + th.textContent.trim())",
        )
        .await;
    let heads: Vec<String> = serde_json::from_value(heads).unwrap();
    assert_eq!(heads.len(), 5, "{heads:?}");
    assert_eq!(heads[4], "city=全市");
    let yancheng = heads
        .iter()
        .find_map(|h| h.strip_suffix("=雁城区（演示）"))
        .unwrap_or_else(|| panic!("雁城区（演示） is a column: {heads:?}"))
        .to_owned();

    // 雁城区（演示） shows the district dashboard's figures.
    let demo = generate(yanzhen_server::demo::DEFAULT_SEED);
    let want = compute(&demo.district, &demo.units, &Filter::year(REFERENCE_YEAR));
    assert!(want.mismatches_with_published().is_empty());
    let want: BTreeMap<String, String> = figure_rows(&want)
        .into_iter()
        .map(|r| (r.key.to_owned(), r.value))
        .collect();
    let shown = table(&b).await;
    assert_eq!(
        shown[&yancheng], want,
        "雁城区（演示） as its own dashboard"
    );
    assert_eq!(shown[&yancheng]["candidates_reviewed"], "40");
    assert_eq!(shown[&yancheng]["certified_share_pct"], "39");

    // The city: counts summed over the four districts, the share
    // recomputed from the summed counts.
    let districts = ["0", "1", "2", "3"];
    let sum = |key: &str| -> i64 { districts.iter().map(|d| num(&shown[*d][key])).sum() };
    for key in [
        "candidates_reviewed",
        "certified_workers",
        "community_workers",
        "honorary_secretaries",
        "reserve_selected",
        "homecoming_moved",
    ] {
        assert_eq!(num(&shown["city"][key]), sum(key), "{key}");
    }
    let (c, w) = (sum("certified_workers"), sum("community_workers"));
    let pooled = (c * 200 + w) / (w * 2);
    assert_eq!(num(&shown["city"]["certified_share_pct"]), pooled);
    assert_ne!(shown["1"], shown["0"], "the districts differ");
    assert_ne!(shown["3"], shown["2"], "the districts differ");

    // The charts follow the chosen district.
    b.tap(&format!("#city-scope button[data-district='{yancheng}']"))
        .await;
    b.wait_js_for(
        30,
        "return [...document.querySelectorAll('#chart-investment .funnel-step')].map(g => g.dataset.value)",
        serde_json::json!([
            want["investment_leads"],
            want["investment_visits"],
            want["investment_projects"]
        ]),
    )
    .await;
    b.tap("#city-scope button[data-district='city']").await;
    b.wait_js_for(
        30,
        "return document.querySelector('#chart-investment .funnel-step').dataset.value",
        serde_json::json!(sum("investment_leads").to_string()),
    )
    .await;
    b.screenshot("city-charts").await;

    // The districts in the city's order (creation order, the contract of
    // `/api/me`'s `districts`): the demo district first.
    assert_eq!(heads[0], "0=雁城区（演示）", "{heads:?}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_city_admin_creates_a_district_and_gets_its_first_code() {
    let _one = ONE_AT_A_TIME.lock().await;
    let server = ArgServer::start_with_args(&["--demo-city"]);
    let url = server.url().to_owned();
    let code = server.cli_code("city_admin", None);
    let b = Browser::start().await;
    b.enrol(&url, &code, "市委组织部管理员平板").await;

    b.goto(&format!("{url}{}", &Route::City.path()[1..])).await;
    b.tap("#city-manage").await;
    assert_eq!(b.path().await, Screen::AdminDistricts.path());
    b.wait_js_for(
        60,
        "return document.querySelectorAll('#district-list .district-row').length",
        serde_json::json!(4),
    )
    .await;

    // A bad id is refused at the field; nothing is sent.
    b.type_into("#district-id", "新 区").await;
    b.type_into("#district-name", "新区").await;
    b.tap("#district-submit").await;
    b.wait_for("#district-id-error").await;
    assert!(!b.exists("#issued-code").await);

    b.type_into("#district-id", "xinqu").await;
    b.tap("#district-submit").await;
    b.wait_for("#issued-code").await;
    let issued = b
        .js("return document.querySelector('#issued-code').textContent.trim()")
        .await;
    assert!(
        issued.as_str().is_some_and(|c| c.len() >= 8),
        "a code: {issued}"
    );
    assert_eq!(
        b.js("return document.querySelector('#issued-unit').textContent")
            .await,
        "新区"
    );
    b.wait_js_for(
        60,
        "return document.querySelectorAll('#district-list .district-row').length",
        serde_json::json!(5),
    )
    .await;
    b.screenshot("city-districts").await;

    // The same id again is refused by the server, in words.
    b.type_into("#district-id", "xinqu").await;
    b.type_into("#district-name", "又一个新区").await;
    b.tap("#district-submit").await;
    b.wait_for("#district-error").await;
    b.close().await;
}
