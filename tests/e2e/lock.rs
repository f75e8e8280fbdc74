//! End-to-end test of personal data at rest (issue 9, item 8) in real
//! headless Chromium against the real server (`--demo`), acting like the
//! people of a village office:
//!
//! 1. enrolment refuses a guessable office PIN (1111111: a message, nothing
//!    enrolled), then enrols with a good one; the village's records sync in;
//! 2. read with raw IndexedDB calls, no chunk starts with the Automerge magic
//!    (each starts `YZE1`) and none holds a demo person's phone or ID number;
//! 3. a reload shows only the unlock screen; a wrong PIN says "PIN 不正确" and
//!    shows no roster; the right PIN shows the roster with the people;
//! 4. an edit is saved, "锁定" locks, the PIN unlocks, the edit is there —
//!    and the stored edit is not readable in the raw chunks;
//! 5. five wrong PINs refuse attempts for 30 s, also after a reload;
//! 6. with "lock after 1 minute", ~70 s without a touch shows the unlock screen;
//! 7. the district admin revokes the tablet (by then locked again): at its
//!    next unlock it contacts the server, says why, erases its IndexedDB
//!    database and keeps no enrolment or lock.
//!
//! A second test deletes the lock record through JavaScript (local storage
//! and its IndexedDB copy) on an enrolled, synced tablet and reloads: the
//! app asks for a new enrolment (not a new PIN), shows no record, and opens
//! no `/sync` connection and calls no authenticated API (the server's log
//! says which requests came); erasing and enrolling with a fresh code brings
//! the records back. On that fresh tablet the settings screen refuses
//! `http://example.org` with its message and keeps the saved address.
//!
//! Screenshots: `target/screenshots/lock-*.png`.
//!
//! Long file: independent tests of one area, each standing alone; split by
//! area already, a test is read one at a time.

use crate::support::{ArgServer, Browser, ServerLog, TEST_PIN, demo, first_village, unit_doc};
use serde_json::json;
use yanzhen::i18n::{Lang, LockMsg};
use yanzhen_model::entities::PersonStatus;

/// How long the first sync of the village and district documents may take.
const SYNC_SECS: u64 = 120;
const VILLAGE_TABLET: &str = "锁屏测试村平板";
/// A synthetic phone typed in step 4 (no real number).
const NEW_PHONE: &str = "19900007777";

/// The demo village the tablet works for: its unit id, document, one active
/// person (id and name) and every phone and ID number of its people.
struct Village {
    unit_id: String,
    unit_doc: String,
    person: String,
    name: String,
    secrets: Vec<String>,
}

fn village() -> Village {
    let demo = demo();
    let v = first_village(&demo);
    let data = demo
        .units
        .iter()
        .find(|u| u.unit_id == v.id)
        .expect("its data");
    let p = data
        .people
        .values()
        .find(|p| p.status == PersonStatus::Active && !p.id_number.is_empty())
        .expect("an active person with an ID number");
    let mut secrets: Vec<String> = data
        .people
        .values()
        .flat_map(|p| [p.phone.clone(), p.id_number.clone()])
        .filter(|s| s.len() >= 8)
        .collect();
    secrets.sort();
    secrets.dedup();
    assert!(secrets.len() >= 4, "{secrets:?}");
    Village {
        unit_id: v.id.as_str().to_owned(),
        unit_doc: unit_doc(v),
        person: p.id.as_str().to_owned(),
        name: p.name.clone(),
        secrets,
    }
}

/// Every record of the app's IndexedDB, read raw: how many there are, how
/// many start with the Automerge magic, how many with `YZE1`, and which of
/// `needles` appear in any record's bytes.
async fn raw_chunks(b: &Browser, needles: &[String]) -> serde_json::Value {
    let needles = serde_json::to_string(needles).unwrap();
    b.js_async(&format!(
        "const done = arguments[arguments.length - 1];
         const needles = {needles};
         const req = indexedDB.open('automerge');
         req.onerror = () => done({{error: String(req.error)}});
         req.onsuccess = () => {{
           const db = req.result;
           if (!db.objectStoreNames.contains('documents')) {{ db.close(); return done({{count: 0, magic: 0, sealed: 0, hits: []}}); }}
           const all = db.transaction('documents').objectStore('documents').getAll();
           all.onsuccess = () => {{
             const out = {{count: 0, magic: 0, sealed: 0, hits: []}};
             for (const r of all.result) {{
               const b = r.binary;
               out.count++;
               if (b[0] === 0x85 && b[1] === 0x6f && b[2] === 0x4a && b[3] === 0x83) out.magic++;
               if (String.fromCharCode(b[0], b[1], b[2], b[3]) === 'YZE1') out.sealed++;
               let s = '';
               for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
               for (const n of needles) if (s.includes(n) && !out.hits.includes(n)) out.hits.push(n);
             }}
             db.close();
             done(out);
           }};
         }};"
    ))
    .await
}

/// The names of the origin's IndexedDB databases.
async fn databases(b: &Browser) -> serde_json::Value {
    b.js_async(
        "const done = arguments[arguments.length - 1];
         indexedDB.databases().then(d => done(d.map(x => x.name).sort()));",
    )
    .await
}

/// Taps `css`, finding it again if the list re-rendered in between (the
/// device list refreshes itself).
async fn tap_fresh(b: &Browser, css: &str) {
    for _ in 0..50 {
        b.wait_for(css).await;
        if let Ok(el) = b.client.find(fantoccini::Locator::Css(css)).await
            && el.click().await.is_ok()
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("{css} could not be tapped");
}

/// Types a PIN once the screen takes one: the attempt before has settled
/// (its back-off is stored in both places and the field cleared), as a
/// person waits for the button to come back.
async fn type_pin(b: &Browser, pin: &str) {
    b.wait_for_secs(SYNC_SECS, "#unlock-submit:not([disabled])")
        .await;
    b.type_into("#unlock-pin", pin).await;
    b.tap("#unlock-submit").await;
}

/// Waits until the roster lists the village's person by name.
async fn person_listed(b: &Browser, v: &Village) {
    b.wait_text_for(
        SYNC_SECS,
        &format!(
            "#person-list .person-row[data-person='{}'] .person-name",
            v.person
        ),
        &v.name,
    )
    .await;
}

/// The roster of the village, waiting until the person's row is there.
async fn roster(b: &Browser, url: &str, v: &Village) {
    b.goto(&format!("{url}roster")).await;
    b.wait_for_secs(
        SYNC_SECS,
        &format!("#roster-unit option[value='{}']", v.unit_doc),
    )
    .await;
    person_listed(b, v).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_are_encrypted_locked_unlocked_and_wiped_on_revoke() {
    let v = village();
    let server = ArgServer::start_with_args(&["--demo"]);
    let url = server.url().to_owned();
    let b = Browser::start().await;

    // 1. A guessable PIN is refused and nothing is enrolled.
    b.goto(&format!("{url}settings")).await;
    let code = server.cli_code("village", Some(&v.unit_id));
    b.wait_for_secs(SYNC_SECS, "#enrol-code").await;
    b.type_into("#enrol-code", &code).await;
    b.type_into("#enrol-device-name", VILLAGE_TABLET).await;
    b.type_into("#enrol-pin", "1111111").await;
    b.type_into("#enrol-pin-again", "1111111").await;
    b.tap("#enrol-submit").await;
    b.wait_text(
        "#enrol-pin-error",
        LockMsg::PinErrGuessable.text(Lang::ZhCn),
    )
    .await;
    b.screenshot("lock-enrol-pin-refused").await;
    assert_eq!(
        b.js("return [localStorage.getItem('yanzhen.enrolment.v1'), localStorage.getItem('yanzhen.lock.v1')]")
            .await,
        json!([null, null]),
        "a refused PIN enrols nothing"
    );
    // Two different PINs: refused too.
    b.type_into("#enrol-pin", "204813").await;
    b.type_into("#enrol-pin-again", "204831").await;
    b.tap("#enrol-submit").await;
    b.wait_text("#enrol-pin-error", LockMsg::PinErrDiffer.text(Lang::ZhCn))
        .await;
    assert!(!b.exists("#enrol-done").await);
    // The good one (the code was not spent by the refusals).
    b.type_into("#enrol-pin", TEST_PIN).await;
    b.type_into("#enrol-pin-again", TEST_PIN).await;
    b.tap("#enrol-submit").await;
    b.wait_for_secs(SYNC_SECS, "#enrol-done").await;
    let lock = b
        .js("return JSON.parse(localStorage.getItem('yanzhen.lock.v1'))")
        .await;
    assert_eq!(lock["v"], json!(1));
    assert!(lock["iterations"].as_u64().unwrap() >= 600_000, "{lock}");
    assert!(
        !lock.to_string().contains(TEST_PIN),
        "the PIN is not stored: {lock}"
    );
    roster(&b, &url, &v).await;
    b.screenshot("lock-roster-unlocked").await;

    // 2. The chunks at rest: encrypted, no personal data readable.
    let raw = raw_chunks(&b, &v.secrets).await;
    let count = raw["count"].as_u64().unwrap();
    assert!(count >= 2, "{raw}");
    assert_eq!(
        raw["magic"],
        json!(0),
        "no plaintext Automerge chunk: {raw}"
    );
    assert_eq!(raw["sealed"], json!(count), "every record sealed: {raw}");
    assert_eq!(
        raw["hits"],
        json!([]),
        "no phone or ID number readable: {raw}"
    );

    // 3. A reload: only the unlock screen, nothing of the roster.
    b.goto_as_is(&format!("{url}roster")).await;
    b.wait_for_secs(SYNC_SECS, "#unlock-pin").await;
    assert_eq!(
        b.js("return document.querySelector('#unlock-pin').getAttribute('inputmode')")
            .await,
        json!("numeric")
    );
    b.screenshot("lock-unlock-screen").await;
    type_pin(&b, "999999").await;
    b.wait_text("#unlock-error", LockMsg::UnlockWrong.text(Lang::ZhCn))
        .await;
    assert!(b.exists("#unlock-pin").await, "still locked");
    assert_eq!(b.count(".person-row").await, 0);
    assert!(
        !b.js("return document.body.innerText")
            .await
            .as_str()
            .unwrap()
            .contains(&v.name),
        "no name is shown while locked"
    );
    b.screenshot("lock-wrong-pin").await;
    type_pin(&b, TEST_PIN).await;
    person_listed(&b, &v).await;
    assert_eq!(
        b.js("return performance.getEntriesByName('yanzhen:unlocked').length")
            .await,
        json!(1)
    );
    assert_eq!(
        b.js("return Object.keys(sessionStorage).length").await,
        json!(0),
        "the key is not kept in session storage"
    );

    // 4. An edit, "lock now", unlock: the edit is there; not readable at rest.
    b.tap(&format!(
        "#person-list .person-row[data-person='{}']",
        v.person
    ))
    .await;
    b.wait_for_secs(SYNC_SECS, "#person-phone").await;
    b.type_into("#person-phone", NEW_PHONE).await;
    b.tap("#person-save").await;
    b.wait_text(
        "#person-save-state",
        yanzhen::i18n::Msg::PersonSavedLocal.text(Lang::ZhCn),
    )
    .await;
    b.tap("#lock-now").await;
    b.wait_for_secs(SYNC_SECS, "#unlock-pin").await;
    let raw = raw_chunks(&b, &[NEW_PHONE.to_owned()]).await;
    assert_eq!(
        raw["hits"],
        json!([]),
        "the edit is not readable at rest: {raw}"
    );
    assert_eq!(raw["magic"], json!(0), "{raw}");
    type_pin(&b, TEST_PIN).await;
    b.wait_for_secs(SYNC_SECS, "#person-phone").await;
    b.wait_js_for(
        SYNC_SECS,
        "return document.querySelector('#person-phone').value",
        json!(NEW_PHONE),
    )
    .await;
    b.screenshot("lock-edit-kept").await;

    // 5. Five wrong PINs in a row: attempts refused for 30 s, also after a reload.
    b.tap("#lock-now").await;
    b.wait_for_secs(SYNC_SECS, "#unlock-pin").await;
    for i in 1..=5 {
        type_pin(&b, "999999").await;
        b.wait_js(
            "const a = localStorage.getItem('yanzhen.lock.backoff.v2');
             return a ? JSON.parse(a).failures : 0",
            json!(i),
        )
        .await;
    }
    b.wait_for("#unlock-wait").await;
    b.goto_as_is(&format!("{url}settings")).await;
    b.wait_for_secs(SYNC_SECS, "#unlock-wait").await;
    let secs: u64 = b
        .js("return document.querySelector('#unlock-wait-secs').textContent")
        .await
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&secs), "{secs}");
    assert_eq!(
        b.js("return document.querySelector('#unlock-submit').disabled")
            .await,
        json!(true)
    );
    b.screenshot("lock-wait").await;
    b.wait_for_secs(40, "#unlock-submit:not([disabled])").await;
    type_pin(&b, TEST_PIN).await;
    b.wait_for_secs(SYNC_SECS, "#lock-after").await;

    // 6. Auto-lock after one minute without a touch.
    b.choose("#lock-after", "1").await;
    b.wait_for("#lock-after-saved").await;
    b.screenshot("lock-settings").await;
    b.goto(&format!("{url}roster")).await;
    let idle_from = std::time::Instant::now();
    b.wait_for_secs(100, "#unlock-pin").await;
    let idle = idle_from.elapsed().as_secs();
    assert!(idle >= 55, "locked after {idle} s");
    type_pin(&b, TEST_PIN).await;
    roster(&b, &url, &v).await;

    // 7. The admin revokes the tablet: it says why and erases its data. The
    // village tablet is locked first, so it learns of the revocation at its
    // next unlock (an unlocked tablet learns at its next contact, and the
    // same wipe follows).
    b.tap("#lock-now").await;
    b.wait_for_secs(SYNC_SECS, "#unlock-pin").await;
    let a = Browser::start().await;
    a.enrol(&url, &server.cli_code("admin", None), "区委组织部平板")
        .await;
    a.goto(&format!("{url}admin")).await;
    a.wait_for_secs(SYNC_SECS, "#devices tbody tr").await;
    // The list may still be loading (or show only this tablet): ask again.
    let find = format!(
        "const r = [...document.querySelectorAll('#devices tbody tr')]
           .find(r => r.querySelector('.device-name')?.textContent === {VILLAGE_TABLET:?});
         return r ? r.dataset.device : null"
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(SYNC_SECS);
    let device = loop {
        // A page still loading answers with an error: ask again.
        if let Ok(d) = a.client.execute(&find, vec![]).await
            && d.is_string()
        {
            break d;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the village tablet is not in the device list"
        );
        if a.exists("#devices-refresh").await {
            tap_fresh(&a, "#devices-refresh").await;
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    };
    let row = format!("#devices tr[data-device={device}]");
    tap_fresh(&a, &format!("{row} .revoke")).await;
    tap_fresh(&a, &format!("{row} .revoke-yes")).await;
    a.wait_for(&format!("{row}[data-revoked='true']")).await;

    // The village tablet was locked before the revocation, and a locked
    // tablet does not contact the server: it learns at its next unlock.
    b.goto_as_is(&url).await;
    b.wait_for_secs(SYNC_SECS, "#unlock-pin").await;
    type_pin(&b, TEST_PIN).await;
    b.wait_for_secs(SYNC_SECS, "#wiped-screen").await;
    b.wait_text("#wiped-title", LockMsg::WipedTitle.text(Lang::ZhCn))
        .await;
    b.wait_text("#wiped-why", LockMsg::WipedWhy.text(Lang::ZhCn))
        .await;
    b.wait_for_secs(SYNC_SECS, "#wiped-status[data-erased='true']")
        .await;
    b.screenshot("lock-wiped").await;
    assert_eq!(
        databases(&b).await,
        json!([]),
        "no IndexedDB database is left"
    );
    let left = b
        .js(
            "return ['yanzhen.enrolment.v1', 'yanzhen.lock.v1', 'yanzhen.lock.attempts.v1',
                     'yanzhen.lock.backoff.v2']
               .map(k => localStorage.getItem(k))",
        )
        .await;
    assert_eq!(left, json!([null, null, null, null]));
    let wiped = b
        .js("return JSON.parse(localStorage.getItem('yanzhen.wiped.v1'))")
        .await;
    assert_eq!(wiped["reason"], json!("access.token.revoked"));
    // After a reload it still says what happened, until "知道了".
    b.goto_as_is(&url).await;
    b.wait_for_secs(SYNC_SECS, "#wiped-status[data-erased='true']")
        .await;
    b.tap("#wiped-ok").await;
    b.wait_for_secs(SYNC_SECS, ".shell").await;
    assert_eq!(
        b.js("return localStorage.getItem('yanzhen.wiped.v1')")
            .await,
        json!(null)
    );
    b.goto(&format!("{url}settings")).await;
    b.wait_for("#enrol-pin").await;
    b.screenshot("lock-after-wipe").await;
    a.close().await;
    b.close().await;
}

/// Requests of the kinds a locked tablet must never make, logged by the
/// server after mark `from`: a `/sync` WebSocket or an authenticated API call.
fn contacts_since(log: &ServerLog, from: usize) -> Vec<String> {
    let mut seen = log.since(from, "uri=/sync");
    seen.extend(log.since(from, "uri=/api/me"));
    seen.extend(log.since(from, "uri=/api/admin"));
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_lock_record_needs_a_new_code_shows_nothing_and_does_not_sync() {
    let v = village();
    let (server, log) = ArgServer::start_logged(&["--demo"]);
    let url = server.url().to_owned();
    let b = Browser::start().await;
    b.enrol(
        &url,
        &server.cli_code("village", Some(&v.unit_id)),
        VILLAGE_TABLET,
    )
    .await;
    roster(&b, &url, &v).await;
    assert!(
        !log.since(0, "uri=/sync").is_empty(),
        "the log shows the tablet's /sync connection (so its absence below means something)"
    );
    assert_eq!(
        b.js("return localStorage.getItem('yanzhen.enrolment.v1')")
            .await,
        json!(null),
        "no plaintext enrolment"
    );

    // Someone with the tablet's browser profile deletes the lock record
    // everywhere it is kept.
    let deleted = b
        .js_async(
            "const done = arguments[arguments.length - 1];
             localStorage.removeItem('yanzhen.lock.v1');
             const req = indexedDB.open('yanzhen-tablet');
             req.onerror = () => done('open failed');
             req.onsuccess = () => {
               const db = req.result;
               const t = db.transaction('records', 'readwrite');
               t.objectStore('records').delete(['yanzhen.lock.v1']);
               t.oncomplete = () => { db.close(); done('deleted'); };
               t.onerror = () => done('delete failed');
             };",
        )
        .await;
    assert_eq!(deleted, json!("deleted"));
    let mark = log.len();
    b.goto_as_is(&format!("{url}roster")).await;
    b.wait_for_secs(SYNC_SECS, "#enrol-again-screen").await;
    b.wait_text(
        "#enrol-again-title",
        LockMsg::EnrolAgainTitle.text(Lang::ZhCn),
    )
    .await;
    b.screenshot("lock-enrol-again").await;
    for screen in ["#setpin-screen", "#unlock-pin", ".shell", ".person-row"] {
        assert!(!b.exists(screen).await, "{screen} is not shown");
    }
    // Some seconds for anything the page might still try.
    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    let text = b.js("return document.body.innerText").await;
    let text = text.as_str().unwrap();
    assert!(!text.contains(&v.name), "no name is shown");
    for s in &v.secrets {
        assert!(!text.contains(s.as_str()), "no phone or ID number is shown");
    }
    // Still so after another reload: nothing offers a way round.
    b.goto_as_is(&url).await;
    b.wait_for_secs(SYNC_SECS, "#enrol-again-screen").await;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(
        contacts_since(&log, mark),
        Vec::<String>::new(),
        "no /sync connection and no authenticated call without the PIN"
    );

    // Erase and enrol again with a fresh code: the records come back from
    // the server.
    b.tap("#enrol-again-erase").await;
    b.wait_for_secs(SYNC_SECS, ".shell").await;
    assert_eq!(b.count(".person-row").await, 0);
    assert_eq!(
        contacts_since(&log, mark),
        Vec::<String>::new(),
        "a tablet that is not enrolled does not sync"
    );

    // The settings screen refuses plain http to another host and keeps
    // the address saved before.
    b.goto(&format!("{url}settings")).await;
    let local = url.trim_end_matches('/').to_owned();
    b.type_into("#settings-server-url", &local).await;
    b.tap("#settings-save").await;
    b.wait_for("#settings-saved").await;
    b.type_into("#settings-server-url", "http://example.org")
        .await;
    b.tap("#settings-save").await;
    b.wait_text(
        "#settings-server-url-error",
        yanzhen::i18n::Msg::ErrServerUrlInsecure.text(Lang::ZhCn),
    )
    .await;
    b.screenshot("lock-settings-http-refused").await;
    assert_eq!(
        b.js("return JSON.parse(localStorage.getItem('yanzhen.settings.v1')).server_url")
            .await,
        json!(local),
        "the saved address is unchanged"
    );

    b.enrol(
        &url,
        &server.cli_code("village", Some(&v.unit_id)),
        VILLAGE_TABLET,
    )
    .await;
    roster(&b, &url, &v).await;
    b.close().await;
}
