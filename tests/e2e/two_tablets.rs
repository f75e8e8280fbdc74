//! End-to-end test of two tablets of the same village office working on
//! one roster through the real server (`--demo`), in two headless
//! Chromiums (fresh profiles, 1280×800), acting like people:
//!
//! 1. a person added on tablet A appears on B's roster without a reload;
//! 2. with the server stopped, A and B each change a different field of
//!    that person (each sees "saved on this tablet"); after the server is
//!    started again on the same port and data, both changes are on both;
//! 3. with the server stopped again, A and B change the same field
//!    differently; after the restart both tablets show the conflict with
//!    both values and who wrote them; on B a person keeps one value, and
//!    both tablets then show it with no conflict left;
//! 4. A is reloaded, then (server stopped) closed and opened again: the
//!    person, both merged edits and the chosen value come from IndexedDB.
//!
//! Screenshots: `target/screenshots/two-tablets-*.png`.

use crate::support::{ArgServer, Browser, demo, first_village, show, unit_doc};
use serde_json::json;
use yanzhen::i18n::{Lang, Msg};
use yanzhen_model::Date;
use yanzhen_model::validate::make_id_number;

/// How long a tablet may take to reconnect after the server comes back
/// (the link's backoff is capped at 60 s) and to sync what it missed.
const RECONNECT_SECS: u64 = 120;
/// How long a first sync of the village and district documents may take.
const SYNC_SECS: u64 = 90;

const OFFICE_A: &str = "测试村委会甲";
const OFFICE_B: &str = "测试村委会乙";
/// A synthetic person (no real name, ID number or phone).
const NAME: &str = "测试双机";
const PHONE_A: &str = "19900001111";
const TITLE_B: &str = "测试职称乙";
const PHONE_A2: &str = "19900002222";
const PHONE_B2: &str = "19900003333";

const CONFLICT: &str = "#person-conflicts .conflict[data-field='phone'] .conflict-value";
const HISTORY_ROWS: &str =
    "return document.querySelectorAll('#person-history .history-row').length";
const NO_CONFLICTS: &str = "return document.querySelector('#person-conflicts') === null";

/// A resident ID number: region, birth date, sequence and the ISO 7064
/// MOD 11-2 check character.
fn id_number(region: &str, birth: &str, seq: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let body = format!("{region}{birth}{seq}");
    assert_eq!(body.len(), 17, "{body}");
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = (12 - sum % 11) % 11;
    let c = if check == 10 {
        'X'
    } else {
        char::from_digit(check, 10).unwrap()
    };
    format!("{body}{c}")
}

/// The demo village both tablets work for: its unit id and its document
/// (as in the roster's URLs).
fn village() -> (String, String) {
    let demo = demo();
    let v = first_village(&demo);
    (v.id.as_str().to_owned(), unit_doc(v))
}

/// Waits (up to `secs`) until the input matching `css` holds `value`.
async fn wait_value(t: &Browser, secs: u64, css: &str, value: &str) {
    t.wait_js_for(
        secs,
        &format!("const e = document.querySelector({css:?}); return e ? e.value : null"),
        json!(value),
    )
    .await;
}

async fn history_len(t: &Browser) -> u64 {
    t.js(HISTORY_ROWS).await.as_u64().unwrap()
}

/// Types `value` into the person file's `field`, taps save and waits until
/// the tablet says it is saved (and the history has the new change).
async fn edit(t: &Browser, field: &str, value: &str) {
    let before = history_len(t).await;
    t.type_into(&format!("#person-{field}"), value).await;
    t.tap("#person-save").await;
    t.wait_js(HISTORY_ROWS, json!(before + 1)).await;
    t.wait_text("#person-save-state", Msg::PersonSavedLocal.text(Lang::ZhCn))
        .await;
    wait_value(t, 5, &format!("#person-{field}"), value).await;
}

/// The phone conflict as shown: each value with its writer's words.
async fn phone_conflict(t: &Browser) -> Vec<(String, String)> {
    t.wait_js_for(
        RECONNECT_SECS,
        &format!("return document.querySelectorAll({CONFLICT:?}).length"),
        json!(2),
    )
    .await;
    let v = t
        .js(&format!(
            "return [...document.querySelectorAll({CONFLICT:?})].map(li => [
                li.querySelector('.conflict-text').innerText.trim(),
                li.querySelector('.conflict-who').innerText])"
        ))
        .await;
    serde_json::from_value(v).unwrap()
}

fn assert_conflict(shown: &[(String, String)], tablet: &str) {
    let mut values: Vec<&str> = shown.iter().map(|(v, _)| v.as_str()).collect();
    values.sort();
    assert_eq!(values, [PHONE_A2, PHONE_B2], "{tablet}: {shown:?}");
    for (value, who) in shown {
        let office = if value == PHONE_A2 {
            OFFICE_A
        } else {
            OFFICE_B
        };
        assert!(who.contains(office), "{tablet}: {value} written by {who:?}");
    }
}

/// Settings: this tablet's office name (the writer shown in histories
/// and conflicts), then enrolment as the village office.
async fn set_up(t: &Browser, url: &str, office: &str, code: &str, device: &str) {
    t.goto(&format!("{url}settings")).await;
    t.type_into("#settings-office", office).await;
    t.tap("#settings-save").await;
    t.wait_for("#settings-saved").await;
    t.enrol_on_settings(url, code, device).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tablets_merge_offline_edits_and_resolve_a_conflict() {
    let (unit_id, unit_doc) = village();
    let server = ArgServer::start_with_args(&["--demo"]);
    let url = server.url().to_owned();
    let a = Browser::start().await;
    let b = Browser::start().await;
    set_up(
        &a,
        &url,
        OFFICE_A,
        &server.cli_code("village", Some(&unit_id)),
        "村平板甲",
    )
    .await;
    set_up(
        &b,
        &url,
        OFFICE_B,
        &server.cli_code("village", Some(&unit_id)),
        "村平板乙",
    )
    .await;

    // 1. Both on the roster (a village tablet's only unit is chosen).
    for t in [&a, &b] {
        t.goto(&format!("{url}roster")).await;
        t.wait_for_secs(
            SYNC_SECS,
            &format!("#roster-unit option[value='{unit_doc}']"),
        )
        .await;
        t.wait_for_secs(SYNC_SECS, "#person-list .person-row").await;
    }
    // A mark on B's page that a reload would lose.
    b.js("window.twoTabletsMark = 'not reloaded'").await;

    let id = id_number("990102", "19880312", "023");
    assert_eq!(
        id,
        make_id_number("990102", Date::new(1988, 3, 12).unwrap(), 23),
        "the check digit as the model computes it"
    );
    a.tap("#roster-add").await;
    a.wait_text("#page-title", Msg::PersonNewTitle.text(Lang::ZhCn))
        .await;
    a.type_into("#person-name", NAME).await;
    a.type_into("#person-id_number", &id).await;
    a.tap("#person-save").await;
    a.wait_text("#page-title", NAME).await;
    a.wait_text("#person-save-state", Msg::PersonSavedLocal.text(Lang::ZhCn))
        .await;
    let file = a.path().await;
    let person = file.rsplit('/').next().unwrap().to_owned();
    assert!(!file.ends_with("/new"), "{file}");
    show(&a, "#person-id-masked").await;
    a.screenshot("two-tablets-1-a-added").await;

    let row = format!("#person-list .person-row[data-person='{person}']");
    b.wait_for_secs(SYNC_SECS, &row).await;
    b.wait_text(&format!("{row} .person-name"), NAME).await;
    assert_eq!(
        b.js("return window.twoTabletsMark").await,
        json!("not reloaded"),
        "B was not reloaded"
    );
    show(&b, &row).await;
    b.screenshot("two-tablets-1-b-roster").await;
    b.tap(&row).await;
    b.wait_text("#page-title", NAME).await;
    b.wait_for("#person-phone").await;
    assert_eq!(b.path().await, file, "the same person file on both");

    // 2. Server gone: each tablet changes a different field.
    let stopped = server.stop();
    edit(&a, "phone", PHONE_A).await;
    edit(&b, "professional_title", TITLE_B).await;
    show(&a, "#person-phone").await;
    a.screenshot("two-tablets-2-a-offline-phone").await;
    show(&b, "#person-professional_title").await;
    b.screenshot("two-tablets-2-b-offline-title").await;
    assert_eq!(a.value("#person-professional_title").await, "");
    assert_eq!(b.value("#person-phone").await, "");

    let server = stopped.start_again();
    wait_value(&a, RECONNECT_SECS, "#person-professional_title", TITLE_B).await;
    wait_value(&b, RECONNECT_SECS, "#person-phone", PHONE_A).await;
    for t in [&a, &b] {
        assert_eq!(t.value("#person-phone").await, PHONE_A);
        assert_eq!(t.value("#person-professional_title").await, TITLE_B);
        assert!(!t.exists("#person-conflicts").await, "no conflict");
    }
    show(&a, "#person-professional_title").await;
    a.screenshot("two-tablets-2-a-merged").await;
    show(&b, "#person-phone").await;
    b.screenshot("two-tablets-2-b-merged").await;

    // 3. Server gone again: both change the phone number differently.
    let stopped = server.stop();
    edit(&a, "phone", PHONE_A2).await;
    edit(&b, "phone", PHONE_B2).await;
    let server = stopped.start_again();
    let on_a = phone_conflict(&a).await;
    let on_b = phone_conflict(&b).await;
    assert_conflict(&on_a, "A");
    assert_conflict(&on_b, "B");
    for (t, name) in [
        (&a, "two-tablets-3-a-conflict"),
        (&b, "two-tablets-3-b-conflict"),
    ] {
        show(t, "#person-conflicts").await;
        t.screenshot(name).await;
    }

    // On B a person keeps A's number.
    let keep = on_b.iter().position(|(v, _)| v == PHONE_A2).unwrap();
    b.tap(&format!("{CONFLICT}[data-index='{keep}'] .conflict-keep"))
        .await;
    b.wait_js(NO_CONFLICTS, json!(true)).await;
    wait_value(&b, 5, "#person-phone", PHONE_A2).await;
    show(&b, "#person-phone").await;
    b.screenshot("two-tablets-3-b-kept").await;
    a.wait_js_for(RECONNECT_SECS, NO_CONFLICTS, json!(true))
        .await;
    wait_value(&a, 5, "#person-phone", PHONE_A2).await;
    assert_eq!(a.value("#person-professional_title").await, TITLE_B);
    show(&a, "#person-phone").await;
    a.screenshot("two-tablets-3-a-resolved").await;

    // 4. A reloaded: everything is there.
    a.wait_js_for(
        SYNC_SECS,
        "return navigator.serviceWorker.getRegistration()\
         .then(r => !!(r && r.active && r.active.state === 'activated'))",
        json!(true),
    )
    .await;
    a.refresh().await;
    a.wait_text_for(SYNC_SECS, "#page-title", NAME).await;
    wait_value(&a, SYNC_SECS, "#person-phone", PHONE_A2).await;
    assert_eq!(a.value("#person-professional_title").await, TITLE_B);
    assert!(!a.exists("#person-conflicts").await);
    a.wait_js(
        "return navigator.serviceWorker.controller \
         ? navigator.serviceWorker.controller.state : null",
        json!("activated"),
    )
    .await;

    // With the server stopped, A is closed and opened again: it starts
    // offline from its cache and IndexedDB.
    let stopped = server.stop();
    a.reopen(&format!("{url}{}", file.trim_start_matches('/')))
        .await;
    a.wait_text_for(SYNC_SECS, "#page-title", NAME).await;
    wait_value(&a, SYNC_SECS, "#person-phone", PHONE_A2).await;
    assert_eq!(a.value("#person-professional_title").await, TITLE_B);
    assert!(!a.exists("#person-conflicts").await);
    show(&a, "#person-phone").await;
    a.screenshot("two-tablets-4-a-offline-start").await;
    a.tap("#person-back").await;
    a.wait_text_for(SYNC_SECS, &format!("{row} .person-name"), NAME)
        .await;
    show(&a, &row).await;
    a.screenshot("two-tablets-4-a-offline-roster").await;
    a.goto(&format!("{url}sync-status")).await;
    a.wait_for("#sync-connection").await;
    let state = a
        .js("return document.querySelector('#sync-connection').dataset.state")
        .await;
    assert_ne!(state, json!("connected"), "the server is stopped");
    a.screenshot("two-tablets-4-a-offline-sync").await;

    drop(stopped);
    a.close().await;
    b.close().await;
}
