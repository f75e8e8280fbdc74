//! End-to-end test of sync by sealed file in real headless Chromium: two
//! tablets of the same village are enrolled while the server is up (so
//! both hold the district's keys, under their PIN) and have its documents;
//! tablet B is put away. On tablet A a person edits a record (through the
//! roster screens), it syncs, and A exports a sealed `.yanzhen` file (with
//! the server's attestation of every document: nothing unconfirmed). The
//! server stops; B, switched on again with no server at all, imports the
//! file and shows the edit. Importing the same file again changes nothing;
//! a damaged file and a file sealed with another district's key are
//! refused with the translated message and change nothing. An edit B makes
//! offline travels back to A in B's file, is counted at export as not
//! confirmed by the server, and A imports nothing of it but keeps the
//! file, vouched for by B; once the server is back, A hands it over and
//! B's edit reaches A through the server, as B's. Screenshots:
//! `target/screenshots/file-*.png`.

use crate::support::{Browser, Server, open_first_person, save_phone};
use automerge::transaction::Transactable;
use serde_json::json;
use yanzhen::access::messages::access_text;
use yanzhen::i18n::{Lang, Msg};
use yanzhen_sync::DocumentId;
use yanzhen_sync::attest::TransferKey;
use yanzhen_sync::file::FileWriter;

const SYNC_SECS: u64 = 90;
const ACKED: &str = "const rows = [...document.querySelectorAll('#sync-docs tbody tr')];
    return rows.length === 2 && rows.every(r => r.dataset.ack === 'acked')";
const CONTROLLED: &str = "return navigator.serviceWorker.controller \
    ? navigator.serviceWorker.controller.state : null";

/// Exports on the sync-status screen and downloads the file into `dir`:
/// its name and bytes.
async fn export(b: &Browser, dir: &std::path::Path) -> (String, Vec<u8>) {
    b.tap("a.nav-link[data-route='sync-status']").await;
    b.tap("#file-export").await;
    b.wait_for_secs(SYNC_SECS, "#file-download").await;
    let name = b
        .js("return document.querySelector('#file-download').getAttribute('download')")
        .await
        .as_str()
        .unwrap()
        .to_owned();
    assert!(name.ends_with(".yanzhen"), "{name}");
    let bytes = b.download("#file-download", dir).await;
    (name, bytes)
}

async fn show_transfer(b: &Browser) {
    b.js("document.querySelector('#file-transfer').scrollIntoView()")
        .await;
}

/// Chooses `file` on `b` and waits for the refusal `key`; nothing to apply.
async fn refused(b: &Browser, file: &std::path::Path, key: &str) {
    b.choose_file("#file-import-input", file).await;
    b.wait_js(
        "const e = document.querySelector('#file-error'); return e ? e.dataset.key : null",
        json!(key),
    )
    .await;
    b.wait_text("#file-error", access_text(key, Lang::ZhCn).unwrap())
        .await;
    assert!(!b.exists("#file-apply").await, "{key}: nothing to apply");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sealed_file_carries_attested_edits_and_refuses_the_rest() {
    let (server, _admin_code) = Server::start_demo(&[]);
    let url = server.url.clone();
    // The demo district's first village (the server's `--demo` seed).
    let demo = yanzhen_model::demo::generate(42);
    let first = demo.district.unit_documents().next().unwrap();
    let unit = first.id.to_string();
    let unit_doc = DocumentId::from_bytes(first.doc_id.unwrap().0);
    let code_a = server.enrol_code("village", Some(&unit));
    let code_b = server.enrol_code("village", Some(&unit));
    let downloads = tempfile::tempdir().unwrap();
    let a = Browser::start_downloading(downloads.path()).await;
    let profile_b = tempfile::tempdir().unwrap();
    let b = Browser::start_on_profile(profile_b.path()).await;
    for (tab, code, name) in [(&a, &code_a, "平板甲"), (&b, &code_b, "平板乙")] {
        tab.enrol(&url, code, name).await;
        tab.tap("a.nav-link[data-route='sync-status']").await;
        tab.wait_js_for(SYNC_SECS, ACKED, json!(true)).await;
    }

    // B is installed (its service worker controls the page) and put away.
    b.refresh().await;
    b.wait_js_for(SYNC_SECS, CONTROLLED, json!("activated"))
        .await;
    b.wait_for_secs(SYNC_SECS, "#sync-docs").await;
    b.wait_js_for(SYNC_SECS, ACKED, json!(true)).await;
    b.kill_hard().await;

    // An edit on A, through the roster; it reaches the server.
    open_first_person(&a, SYNC_SECS).await;
    let phone = "13912345678";
    save_phone(&a, phone).await;
    a.tap("a.nav-link[data-route='sync-status']").await;
    a.wait_js_for(SYNC_SECS, ACKED, json!(true)).await;

    // Export on A: every edit is confirmed by the server.
    let (name, bytes) = export(&a, downloads.path()).await;
    a.wait_js(
        "const e = document.querySelector('#file-export-confirmed'); return e ? e.dataset.count : null",
        json!("0"),
    )
    .await;
    assert!(!a.exists("#file-export-unconfirmed").await);
    show_transfer(&a).await;
    a.screenshot("file-export").await;
    let file = downloads.path().join(&name);
    assert!(
        !bytes.windows(phone.len()).any(|w| w == phone.as_bytes()),
        "the file is encrypted"
    );

    // The server goes away; B is switched on again, with no server.
    let (port, data) = server.stop_keeping_data();
    let b_downloads = tempfile::tempdir().unwrap();
    let b = Browser::start_on_profile_downloading(profile_b.path(), b_downloads.path()).await;
    b.goto(&format!("{url}sync-status")).await;
    b.wait_for_secs(SYNC_SECS, "#file-import-input").await;
    let dir = tempfile::tempdir().unwrap();

    // A damaged copy is refused and changes nothing.
    let mut damaged = bytes.clone();
    let mid = damaged.len() / 2;
    damaged[mid] ^= 0x55;
    let bad = dir.path().join("damaged.yanzhen");
    std::fs::write(&bad, &damaged).unwrap();
    refused(&b, &bad, "sync_file.tampered").await;
    show_transfer(&b).await;
    b.screenshot("file-damaged").await;

    // A file of another district (sealed with its own transfer key, naming
    // this village's document) is refused and changes nothing.
    let mut doc = automerge::Automerge::new();
    let mut tx = doc.transaction();
    tx.put(automerge::ROOT, "name", "外区").unwrap();
    tx.commit();
    let mut w = FileWriter::new("外区平板", 1).unwrap();
    w.add_document(unit_doc, &doc);
    let foreign_key = TransferKey {
        id: [0x5a; 8],
        key: [0xa5; 32],
    };
    let foreign = dir.path().join("other-district.yanzhen");
    std::fs::write(&foreign, w.finish_sealed(&foreign_key, [7; 12])).unwrap();
    refused(&b, &foreign, "sync_file.other_district").await;
    show_transfer(&b).await;
    b.screenshot("file-other-district").await;

    // The real file: a preview with new changes, none unconfirmed; imported.
    b.choose_file("#file-import-input", &file).await;
    b.wait_for("#file-apply").await;
    b.wait_js(
        "const rows = [...document.querySelectorAll('#file-preview tbody tr')];
         return rows.some(r => r.dataset.skipped === 'false' && Number(r.dataset.new) > 0)
           && rows.every(r => r.dataset.unconfirmed === '0')",
        json!(true),
    )
    .await;
    assert!(!b.exists("#file-unconfirmed").await);
    show_transfer(&b).await;
    b.screenshot("file-preview").await;
    b.tap("#file-apply").await;
    b.wait_text("#file-imported", Msg::FileImported.text(Lang::ZhCn))
        .await;
    show_transfer(&b).await;
    b.screenshot("file-imported").await;

    // B shows the edit, with no server.
    open_first_person(&b, SYNC_SECS).await;
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
    show_transfer(&b).await;
    b.screenshot("file-again").await;

    // B edits offline and exports: the server has not confirmed that edit,
    // and the person is told; A's preview leaves it out.
    open_first_person(&b, SYNC_SECS).await;
    save_phone(&b, "13900000000").await;
    b.tap("a.nav-link[data-route='sync-status']").await;
    b.tap("#file-export").await;
    b.wait_js_for(
        SYNC_SECS,
        // The village's document at least (the district's too when B was
        // put away before it kept that document's attestation).
        "const e = document.querySelector('#file-export-unconfirmed'); return e ? Number(e.dataset.count) >= 1 : null",
        json!(true),
    )
    .await;
    show_transfer(&b).await;
    b.screenshot("file-export-unconfirmed").await;
    let b_bytes = b.download("#file-download", b_downloads.path()).await;
    let b_file = dir.path().join("from-b.yanzhen");
    std::fs::write(&b_file, b_bytes).unwrap();
    a.tap("a.nav-link[data-route='sync-status']").await;
    a.choose_file("#file-import-input", &b_file).await;
    a.wait_js(
        "const e = document.querySelector('#file-unconfirmed'); return e ? Number(e.dataset.count) > 0 : null",
        json!(true),
    )
    .await;
    // B's own edit is vouched for by B: A imports nothing of it, but
    // keeps the file to pass on to the server.
    a.wait_js(
        "const e = document.querySelector('#file-vouched'); return e ? Number(e.dataset.count) : null",
        json!(1),
    )
    .await;
    show_transfer(&a).await;
    a.screenshot("file-unconfirmed-preview").await;
    a.tap("#file-apply").await;
    a.wait_text("#file-imported", Msg::FileImported.text(Lang::ZhCn))
        .await;
    open_first_person(&a, SYNC_SECS).await;
    assert_eq!(a.value("#person-phone").await, phone, "A keeps its value");

    // The server is back: A hands B's file over, the server takes B's
    // edit as B's, and it reaches A through sync.
    let _server = Server::restart(port, data, &["--demo"]);
    a.reopen(&format!("{url}sync-status")).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(SYNC_SECS);
    loop {
        open_first_person(&a, SYNC_SECS).await;
        if a.value("#person-phone").await == "13900000000" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "B's relayed edit did not reach A"
        );
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    }
    a.screenshot("file-relayed").await;

    a.close().await;
    b.close().await;
}
