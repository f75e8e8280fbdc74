//! Fault tests in real headless Chromium against the real server (issue 9,
//! the browser's part): a village tablet's edit survives the browser being
//! killed (SIGKILL, as when the battery dies) right after the app says
//! "saved", with the server down; a write
//! that fails because storage is full (IndexedDB `QuotaExceededError`,
//! simulated) is shown on the screen at once, leaves what was stored
//! untouched, and is saved by the app's own retry once there is room.

use crate::support::{ArgServer, Browser, demo};
use serde_json::json;
use yanzhen::i18n::{Lang, Msg};
use yanzhen_model::entities::{PersonStatus, UnitKind};

/// A village of the demo district with active people: (unit id, name).
fn village() -> (String, String) {
    let demo = demo();
    let unit = demo
        .district
        .unit_documents()
        .filter(|u| u.kind == UnitKind::Village)
        .find(|u| {
            demo.units.iter().any(|d| {
                d.unit_id == u.id
                    && d.people
                        .values()
                        .filter(|p| p.status == PersonStatus::Active)
                        .count()
                        >= 3
            })
        })
        .expect("a village with people");
    (unit.id.as_str().to_owned(), unit.name.clone())
}

/// The demo server and an enrolment code for the tablet of [`village`]:
/// the server, its URL and the code.
fn village_server() -> (ArgServer, String, String) {
    let (unit, _) = village();
    let server = ArgServer::start_with_args(&["--demo"]);
    let url = server.url().to_owned();
    let code = server.cli_code("village", Some(&unit));
    (server, url, code)
}

/// Waits until the open person's file is not being saved.
async fn not_saving(b: &Browser) {
    b.wait_js(
        "return document.querySelector('#person-save-state') === null \
         || document.querySelector('#person-save-state').dataset.state !== 'saving'",
        json!(true),
    )
    .await;
}

/// Stored chunks of every document, as (documents, keys) in IndexedDB.
const STORED: &str = "const done = arguments[arguments.length - 1];
    const open = indexedDB.open('automerge');
    open.onsuccess = () => {
      const db = open.result;
      const r = db.transaction('documents').objectStore('documents').getAllKeys();
      r.onsuccess = () => { db.close(); done(r.result.map(k => JSON.stringify(k)).sort()); };
    };";

/// The village tablet enrolled, on its roster, its first person open.
async fn open_first_person(b: &Browser, url: &str, code: &str) {
    b.enrol_on_settings(url, code, "村委会平板").await;
    b.goto(&format!("{url}roster")).await;
    b.wait_for_secs(60, "#person-list .person-row").await;
    b.tap("#person-list .person-row").await;
    b.wait_for_secs(60, "#person-phone").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_saved_offline_survives_the_browser_being_killed() {
    let (server, url, code) = village_server();
    let profile = tempfile::tempdir().unwrap();
    let b = Browser::start_on_profile(profile.path()).await;
    open_first_person(&b, &url, &code).await;
    // The app is installed: its service worker controls the page.
    b.refresh().await;
    b.wait_for_secs(60, "#person-phone").await;
    b.wait_js(
        "return navigator.serviceWorker.controller ? navigator.serviceWorker.controller.state : null",
        json!("activated"),
    )
    .await;
    let person_path = b.path().await;

    // A field visit: no server. The edit is saved on the tablet…
    let stopped = server.stop();
    b.type_into("#person-phone", "13700001234").await;
    b.tap("#person-save").await;
    b.wait_text("#person-save-state", Msg::PersonSavedLocal.text(Lang::ZhCn))
        .await;
    // …and the battery dies at once.
    b.kill_hard().await;

    // Switched on again, still with no server: the edit is there.
    let b = Browser::start_on_profile(profile.path()).await;
    b.goto(&format!("{url}{}", &person_path[1..])).await;
    b.wait_for_secs(60, "#person-phone").await;
    assert_eq!(b.value("#person-phone").await, "13700001234");
    b.screenshot("faults-killed-browser-edit-kept").await;

    // Local storage reaches the disk late: a kill can take the lock record
    // with it. The durable copy in IndexedDB brings it back, so the same
    // PIN still opens the encrypted edit (the enrolment is only ever kept
    // sealed in IndexedDB).
    b.js("localStorage.removeItem('yanzhen.lock.v1');
         localStorage.removeItem('yanzhen.enrolment.v1'); return true")
        .await;
    b.goto_as_is(&format!("{url}{}", &person_path[1..])).await;
    b.wait_for_secs(60, "#unlock-pin").await;
    assert!(!b.exists("#setpin-screen").await);
    b.unlock_if_locked().await;
    b.wait_for_secs(60, "#person-phone").await;
    b.wait_js(
        "return document.querySelector('#person-phone').value",
        json!("13700001234"),
    )
    .await;
    // The lock record is put back; the enrolment stays sealed in IndexedDB.
    let kept = b
        .js("return [localStorage.getItem('yanzhen.lock.v1') !== null,
                     localStorage.getItem('yanzhen.enrolment.v1') !== null]")
        .await;
    assert_eq!(kept, json!([true, false]), "put back into local storage");

    drop(stopped);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_storage_is_shown_keeps_what_was_saved_and_a_retry_saves() {
    let (server, url, code) = village_server();
    let b = Browser::start().await;
    open_first_person(&b, &url, &code).await;
    let old_phone = b.value("#person-phone").await;
    // Everything synced in is stored.
    not_saving(&b).await;
    let before = b.js_async(STORED).await;

    // The tablet's storage is full: every IndexedDB write fails.
    b.js("window.__yanzhenPut = IDBObjectStore.prototype.put;
         IDBObjectStore.prototype.put = function () {
           throw new DOMException('simulated: the disk is full', 'QuotaExceededError');
         };
         return true")
        .await;
    let new_phone = if old_phone == "13600004321" {
        "13600004322"
    } else {
        "13600004321"
    };
    b.type_into("#person-phone", new_phone).await;
    b.tap("#person-save").await;
    // Said at once, on the screen the person is on; not "saved".
    b.wait_text("#storage-alert", Msg::SyncErrQuota.text(Lang::ZhCn))
        .await;
    assert_eq!(
        b.js("return document.querySelector('#person-save-state').dataset.state")
            .await,
        json!("saving"),
        "the edit is not shown as saved"
    );
    b.screenshot("faults-storage-full").await;
    // What was stored before is untouched (no partial write).
    assert_eq!(b.js_async(STORED).await, before);

    // Room again: the app's own retry saves the edit; the alert goes.
    b.js("IDBObjectStore.prototype.put = window.__yanzhenPut; return true")
        .await;
    b.wait_text("#person-save-state", Msg::PersonSavedLocal.text(Lang::ZhCn))
        .await;
    b.wait_js(
        "return document.querySelector('#storage-alert') === null",
        json!(true),
    )
    .await;
    assert_ne!(b.js_async(STORED).await, before, "the retry wrote the edit");
    b.refresh().await;
    b.wait_for_secs(60, "#person-phone").await;
    assert_eq!(b.value("#person-phone").await, new_phone);
    b.close().await;
    drop(server);
}

/// Flips one byte in the middle of every stored chunk (snapshot and
/// incremental) of every document; answers how many were damaged.
const DAMAGE: &str = "const done = arguments[arguments.length - 1];
    const open = indexedDB.open('automerge');
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction('documents', 'readwrite');
      const os = tx.objectStore('documents');
      const keys = os.getAllKeys();
      const values = os.getAll();
      let n = 0;
      tx.oncomplete = () => { db.close(); done(n); };
      values.onsuccess = () => {
        keys.result.forEach((k, i) => {
          if (k.length === 3 && (k[1] === 'snapshot' || k[1] === 'incremental')) {
            const b = new Uint8Array(values.result[i].binary);
            b[b.length >> 1] ^= 0x55;
            os.put({ key: k, binary: b }, k);
            n++;
          }
        });
      };
    };";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn damaged_records_on_the_tablet_are_shown_set_aside_and_fetched_again() {
    let (_server, url, code) = village_server();
    let b = Browser::start().await;
    open_first_person(&b, &url, &code).await;
    let phone = b.value("#person-phone").await;
    not_saving(&b).await;

    // The tablet's storage is damaged: every stored chunk fails its check.
    let damaged = b.js_async(DAMAGE).await;
    assert!(damaged.as_u64().unwrap() > 1, "{damaged}");
    b.refresh().await;
    // Said on the screen; the documents come back from the server.
    b.wait_text("#storage-alert", Msg::SyncErrDocument.text(Lang::ZhCn))
        .await;
    b.wait_for_secs(60, "#person-phone").await;
    b.wait_js(
        "return document.querySelector('#person-phone').value",
        json!(phone),
    )
    .await;
    b.screenshot("faults-damaged-records").await;
    // The damaged records are kept, set aside, and loaded no more.
    let keys = b.js_async(STORED).await;
    let aside = keys
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k.as_str().unwrap().starts_with("[\"damaged\","))
        .count();
    assert_eq!(aside as u64, damaged.as_u64().unwrap(), "{keys}");
    // Once every document has fresh chunks, the next start reads them: no
    // alert.
    let docs_of = |keys: &serde_json::Value, aside: bool| -> std::collections::BTreeSet<String> {
        keys.as_array()
            .unwrap()
            .iter()
            .filter_map(|k| serde_json::from_str::<Vec<String>>(k.as_str().unwrap()).ok())
            .filter(|k| (k[0] == "damaged") == aside)
            .map(|k| k[usize::from(aside)].clone())
            .collect()
    };
    let wanted = docs_of(&keys, true);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let now = b.js_async(STORED).await;
        if wanted.is_subset(&docs_of(&now, false)) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not stored again: {now}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    b.refresh().await;
    b.wait_for_secs(60, "#person-phone").await;
    b.wait_js(
        "return performance.getEntriesByName('yanzhen:docs-loaded').length",
        json!(1),
    )
    .await;
    assert!(!b.exists("#storage-alert").await);
    assert_eq!(b.value("#person-phone").await, phone);
    b.close().await;
}
