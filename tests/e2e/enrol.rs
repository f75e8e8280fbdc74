//! End-to-end test of enrolment and device management in real headless
//! Chromium against the real server started with `--demo`: a person types
//! a wrong code (a clear message, nothing kept), then the district-admin
//! code the server printed (enrolled: the sync-status screen shows the
//! connection and every document acknowledged); on the admin screen the
//! admin issues a village code; a second tablet enrols with it and syncs
//! only its village and the district document (read only); the admin
//! revokes that tablet, which then says why and erases its local data
//! (the wipe itself is measured in `lock.rs`).
//! Screenshots: `target/screenshots/enrol-*.png`, `admin-*.png`.

use crate::support::{Browser, Server, TEST_PIN, open_first_person, save_phone};
use serde_json::json;
use yanzhen::access::messages::access_text;
use yanzhen::i18n::{Lang, Msg};

/// How long a whole-district sync may take (106 documents into IndexedDB).
const SYNC_SECS: u64 = 90;

const ROWS: &str = "return document.querySelectorAll('#sync-docs tbody tr').length";
const ACKED: &str = "const rows = [...document.querySelectorAll('#sync-docs tbody tr')];
    return rows.length > 0 && rows.every(r => r.dataset.ack === 'acked')";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_enrols_the_admin_issues_a_code_and_revokes_a_tablet() {
    let (server, admin_code) = Server::start_demo(&[]);
    let url = server.url.clone();
    let a = Browser::start().await;

    // Not enrolled yet: the sync screen says so and how.
    a.goto(&format!("{url}sync-status")).await;
    a.wait_for("#sync-not-enrolled").await;
    a.wait_js(
        "return document.querySelector('#sync-connection').dataset.state",
        json!("not-enrolled"),
    )
    .await;
    a.screenshot("enrol-not-enrolled").await;

    // A wrong code (well-formed, but not issued): a clear message, nothing kept.
    a.goto(&format!("{url}settings")).await;
    a.type_into("#enrol-code", "abcde fghjk").await;
    a.type_into("#enrol-device-name", "区委组织部平板").await;
    a.type_into("#enrol-pin", TEST_PIN).await;
    a.type_into("#enrol-pin-again", TEST_PIN).await;
    a.tap("#enrol-submit").await;
    a.wait_text(
        "#enrol-error",
        access_text("access.code.invalid", Lang::ZhCn).unwrap(),
    )
    .await;
    assert_eq!(
        a.js("return localStorage.getItem('yanzhen.enrolment.v1')")
            .await,
        json!(null),
        "a refused code keeps nothing"
    );
    assert!(a.exists("#device-not-enrolled").await);
    a.screenshot("enrol-wrong-code").await;

    // A badly typed one is caught before it costs an attempt.
    a.type_into("#enrol-code", "abc").await;
    a.tap("#enrol-submit").await;
    a.wait_text("#enrol-code-error", Msg::EnrolErrCodeShape.text(Lang::ZhCn))
        .await;

    // The admin code, typed in lower case with spaces: enrolled.
    let typed = admin_code.to_lowercase().replace('-', " ");
    a.type_into("#enrol-code", &typed).await;
    a.tap("#enrol-submit").await;
    a.wait_for("#enrol-done").await;
    a.wait_text("#device-role", Msg::RoleAdmin.text(Lang::ZhCn))
        .await;
    // Kept sealed under the data key only (`lock::secrets`): nothing in
    // local storage.
    let kept = a
        .js("return localStorage.getItem('yanzhen.enrolment.v1')")
        .await;
    assert_eq!(kept, json!(null));
    assert!(
        !a.js("return document.body.innerText")
            .await
            .as_str()
            .unwrap()
            .contains("yz_"),
        "the token is never shown"
    );
    a.screenshot("enrol-admin-settings").await;

    // Home says who this tablet is.
    a.tap("a.nav-link[data-route='']").await;
    a.wait_text("#device-role", Msg::RoleAdmin.text(Lang::ZhCn))
        .await;
    a.wait_text("#device-unit", Msg::DeviceWholeDistrict.text(Lang::ZhCn))
        .await;

    // Connected, every document acknowledged.
    a.tap("a.nav-link[data-route='sync-status']").await;
    a.wait_js(
        "return document.querySelector('#sync-connection').dataset.state",
        json!("connected"),
    )
    .await;
    a.wait_js_for(SYNC_SECS, ROWS, json!(106)).await;
    a.wait_js_for(SYNC_SECS, ACKED, json!(true)).await;
    assert!(!a.exists("#sync-not-enrolled").await);
    a.screenshot("enrol-admin-synced").await;

    // The admin screen: a village code for the first village offered.
    a.tap("a.nav-link[data-route='admin']").await;
    a.wait_text("#page-title", Msg::NavAdmin.text(Lang::ZhCn))
        .await;
    a.wait_for("#issue-unit option:nth-child(2)").await;
    let unit_name = a
        .js("return document.querySelector('#issue-unit option:nth-child(2)').textContent.split(' · ')[0]")
        .await
        .as_str()
        .unwrap()
        .to_owned();
    a.tap("#issue-submit").await;
    a.wait_text("#issue-unit-error", Msg::AdminErrUnit.text(Lang::ZhCn))
        .await;
    a.tap("#issue-unit option:nth-child(2)").await;
    a.tap("#issue-submit").await;
    a.wait_for("#issued-code").await;
    let village_code = a
        .js("return document.querySelector('#issued-code').textContent")
        .await
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(village_code.len(), 11, "{village_code}");
    a.wait_text("#issued-unit", &unit_name).await;
    a.screenshot("admin-code").await;

    // A second tablet enrols with it: its village and the district (read only).
    let b = Browser::start().await;
    b.goto(&url).await;
    assert!(
        !b.exists("a.nav-link[data-route='admin']").await,
        "no admin link before enrolment"
    );
    b.enrol(&url, &village_code, "村平板").await;
    b.wait_text("#device-role", Msg::RoleVillage.text(Lang::ZhCn))
        .await;
    b.wait_text("#device-unit", &unit_name).await;
    assert!(
        !b.exists("a.nav-link[data-route='admin']").await,
        "a village tablet has no admin link"
    );
    b.tap("a.nav-link[data-route='sync-status']").await;
    b.wait_js_for(SYNC_SECS, ROWS, json!(2)).await;
    b.wait_js_for(SYNC_SECS, ACKED, json!(true)).await;
    b.wait_js(
        "return [...document.querySelectorAll('#sync-docs tbody tr')].map(r => [r.dataset.kind, r.dataset.readonly])",
        json!([["district", "true"], ["unit", "false"]]),
    )
    .await;
    b.screenshot("enrol-village-synced").await;
    // The admin screen is refused to it (the server would refuse it too).
    b.goto(&format!("{url}admin")).await;
    b.wait_for("#admin-forbidden").await;

    // The admin revokes it, after confirming.
    a.tap("#devices-refresh").await;
    a.wait_for("#devices tr[data-revoked='false'] .revoke")
        .await;
    let row = "#devices tbody tr:first-child";
    a.wait_text(&format!("{row} .device-name"), "村平板").await;
    // The admin's own tablet is marked and offers no revoke button.
    a.wait_for("#devices tbody tr:last-child .this-tablet")
        .await;
    assert!(!a.exists("#devices tbody tr:last-child .revoke").await);
    a.tap(&format!("{row} .revoke")).await;
    a.wait_for(&format!("{row} .revoke-yes")).await;
    a.screenshot("admin-revoke-confirm").await;
    a.tap(&format!("{row} .revoke-yes")).await;
    a.wait_for("#devices tbody tr[data-revoked='true']").await;
    a.screenshot("admin-devices").await;

    // The revoked tablet says why and erases what it held.
    b.wait_for_secs(SYNC_SECS, "#wiped-screen").await;
    b.wait_text(
        "#wiped-title",
        yanzhen::i18n::LockMsg::WipedTitle.text(Lang::ZhCn),
    )
    .await;
    b.wait_for_secs(SYNC_SECS, "#wiped-status[data-erased='true']")
        .await;
    b.screenshot("enrol-revoked").await;
    assert_eq!(
        b.js("return localStorage.getItem('yanzhen.enrolment.v1')")
            .await,
        json!(null),
        "no enrolment is left"
    );
    b.close().await;
    a.close().await;
}

/// A viewer may read every document and write none: an edit made on it
/// through the roster is kept on the tablet (also after a restart), its row
/// is flagged and a notice explains it, and the link is not closed and
/// retried over it (still connected after the heartbeat's timeout).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_tablet_keeps_its_edits_and_flags_them() {
    let (server, _admin_code) = Server::start_demo(&[]);
    let url = server.url.clone();
    let code = server.enrol_code("viewer", None);
    let b = Browser::start().await;
    b.enrol(&url, &code, "查看平板").await;
    b.wait_text("#device-role", Msg::RoleViewer.text(Lang::ZhCn))
        .await;
    b.tap("a.nav-link[data-route='sync-status']").await;
    b.wait_js_for(SYNC_SECS, ROWS, json!(106)).await;
    b.wait_js_for(SYNC_SECS, ACKED, json!(true)).await;
    assert!(!b.exists("#sync-readonly-notice").await);

    // An edit through the roster: saved on the tablet.
    open_first_person(&b, SYNC_SECS).await;
    save_phone(&b, "13912345678").await;

    // Flagged, explained, and the link stays up past the heartbeat's timeout.
    let flagged =
        "return document.querySelectorAll('#sync-docs tr[data-readonly-edits=true]').length";
    b.tap("a.nav-link[data-route='sync-status']").await;
    b.wait_js(flagged, json!(1)).await;
    b.wait_text(
        "#sync-readonly-notice",
        Msg::SyncReadOnlyNotice.text(Lang::ZhCn),
    )
    .await;
    b.js("document.querySelector('#sync-docs tr[data-readonly-edits=true]').scrollIntoView({block: 'center'})")
        .await;
    b.screenshot("enrol-readonly-edits").await;
    let watch = "window.__states = []; new MutationObserver(() => window.__states.push(
        document.querySelector('#sync-connection').dataset.state)).observe(
        document.querySelector('#sync-connection'), { attributes: true }); return true";
    assert_eq!(b.js(watch).await, json!(true));
    tokio::time::sleep(std::time::Duration::from_secs(
        yanzhen::sync::ws::DEAD_AFTER_MS as u64 / 1000 + 5,
    ))
    .await;
    assert_eq!(
        b.js("return document.querySelector('#sync-connection').dataset.state")
            .await,
        json!("connected")
    );
    assert_eq!(
        b.js("return window.__states.filter(s => s !== 'connected')")
            .await,
        json!([]),
        "the link was never closed over the refused edit"
    );

    // Kept on the tablet: still there (and flagged) after a restart.
    b.refresh().await;
    b.wait_js_for(SYNC_SECS, flagged, json!(1)).await;
    b.close().await;
}
