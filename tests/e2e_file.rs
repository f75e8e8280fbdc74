//! End-to-end test of sync by file in real headless Chromium: two tablets
//! of the same village are enrolled while the server is up and have its
//! documents; the server stops; a person edits a record on tablet A
//! (through the roster screens), exports a `.yanzhen` file and imports it on
//! tablet B, which then shows the edit — with no server at all. Importing
//! the same file again changes nothing; a damaged file is refused with the
//! translated message and changes nothing. Screenshots:
//! `target/screenshots/file-*.png`.

mod support;

use serde_json::json;
use support::{Browser, Server};
use yanzhen::i18n::{Lang, Msg, access_text};

const SYNC_SECS: u64 = 90;
const ACKED: &str = "const rows = [...document.querySelectorAll('#sync-docs tbody tr')];
    return rows.length === 2 && rows.every(r => r.dataset.ack === 'acked')";

/// The first person of the tablet's village, opened from the roster.
async fn open_first_person(b: &Browser) {
    b.tap("a.nav-link[data-route='roster']").await;
    b.wait_js_for(
        SYNC_SECS,
        "const s = document.querySelector('#roster-unit');
         if (s && !s.value && s.options.length > 1) {
           s.value = s.options[1].value; s.dispatchEvent(new Event('change'));
         }
         return !!document.querySelector('#person-list a')",
        json!(true),
    )
    .await;
    b.tap("#person-list a").await;
    b.wait_for("#person-phone").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_travels_by_file_while_the_server_is_down() {
    let (server, admin_code) = Server::start_demo(&[]);
    let url = server.url.clone();
    let _ = admin_code;
    // Two tablets of one village, both synced while the server is up.
    // The demo district's first village (the server's `--demo` seed).
    let demo = yanzhen_model::demo::generate(42);
    let unit = demo
        .district
        .unit_documents()
        .next()
        .map(|u| u.id.to_string())
        .unwrap();
    let unit = unit.as_str();
    let code_a = server.enrol_code("village", Some(unit));
    let code_b = server.enrol_code("village", Some(unit));
    let downloads = tempfile::tempdir().unwrap();
    let a = Browser::start_downloading(downloads.path()).await;
    let b = Browser::start().await;
    for (tab, code, name) in [(&a, &code_a, "平板甲"), (&b, &code_b, "平板乙")] {
        tab.enrol(&url, code, name).await;
        tab.tap("a.nav-link[data-route='sync-status']").await;
        tab.wait_js_for(SYNC_SECS, ACKED, json!(true)).await;
    }

    // The server goes away.
    server.stop();
    a.wait_js_for(
        30,
        "return document.querySelector('#sync-connection').dataset.state !== 'connected'",
        json!(true),
    )
    .await;

    // An edit on A, through the roster.
    open_first_person(&a).await;
    let phone = "13912345678";
    a.type_into("#person-phone", phone).await;
    a.tap("#person-save").await;
    a.wait_js(
        "const s = document.querySelector('#person-save-state');
         return s ? s.dataset.state : null",
        json!("saved"),
    )
    .await;

    // Export on A.
    a.tap("a.nav-link[data-route='sync-status']").await;
    a.tap("#file-export").await;
    a.wait_for("#file-download").await;
    let name = a
        .js("return document.querySelector('#file-download').getAttribute('download')")
        .await;
    assert!(name.as_str().unwrap().ends_with(".yanzhen"), "{name}");
    a.js("document.querySelector('#file-transfer').scrollIntoView()")
        .await;
    a.screenshot("file-export").await;
    // The person taps the link; the file lands in the tablet's downloads.
    let bytes = a.download("#file-download", downloads.path()).await;
    let file = downloads.path().join(name.as_str().unwrap());
    let dir = tempfile::tempdir().unwrap();

    // A damaged copy is refused on B and changes nothing.
    let mut damaged = bytes.clone();
    let mid = damaged.len() / 2;
    damaged[mid] ^= 0x55;
    let bad = dir.path().join("damaged.yanzhen");
    std::fs::write(&bad, &damaged).unwrap();
    b.tap("a.nav-link[data-route='sync-status']").await;
    b.choose_file("#file-import-input", &bad).await;
    b.wait_text(
        "#file-error",
        access_text("sync_file.damaged", Lang::ZhCn).unwrap(),
    )
    .await;
    b.js("document.querySelector('#file-transfer').scrollIntoView()")
        .await;
    b.screenshot("file-damaged").await;

    // The real file: a preview with new changes, then imported.
    b.choose_file("#file-import-input", &file).await;
    b.wait_for("#file-apply").await;
    b.wait_js(
        "return [...document.querySelectorAll('#file-preview tbody tr')]
           .some(r => r.dataset.skipped === 'false' && Number(r.dataset.new) > 0)",
        json!(true),
    )
    .await;
    b.js("document.querySelector('#file-transfer').scrollIntoView()")
        .await;
    b.screenshot("file-preview").await;
    b.tap("#file-apply").await;
    b.wait_text("#file-imported", Msg::FileImported.text(Lang::ZhCn))
        .await;
    b.js("document.querySelector('#file-transfer').scrollIntoView()")
        .await;
    b.screenshot("file-imported").await;

    // B shows the edit, with no server.
    open_first_person(&b).await;
    b.wait_js(
        "return document.querySelector('#person-phone').value",
        json!(phone),
    )
    .await;

    // Importing the same file again changes nothing.
    b.tap("a.nav-link[data-route='sync-status']").await;
    b.choose_file("#file-import-input", &file).await;
    b.wait_for("#file-nothing-new").await;
    assert!(!b.exists("#file-apply").await);
    b.js("document.querySelector('#file-transfer').scrollIntoView()")
        .await;
    b.screenshot("file-again").await;
    a.close().await;
    b.close().await;
}
