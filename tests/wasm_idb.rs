//! The IndexedDB document store in real headless Chromium: incremental saves
//! reload from a fresh handle, compaction replaces incrementals, keys and
//! records are automerge-repo's layout (read back with raw IndexedDB calls),
//! and a failing write returns an error and loses nothing saved before.
//!
//! Long file: independent tests of one area, each standing alone; split by
//! area already, a test is read one at a time.
#![cfg(target_arch = "wasm32")]

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT, ReadDoc};
use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use yanzhen::sync::idb::{IdbStore, StorageError};
use yanzhen_sync::storage::{DocStorage, load_document};
use yanzhen_sync::{DocumentId, StorageOp};

wasm_bindgen_test_configure!(run_in_browser);

fn random_bytes() -> [u8; 16] {
    let mut b = [0u8; 16];
    for x in b.iter_mut() {
        *x = (js_sys::Math::random() * 256.0) as u8;
    }
    b
}

fn unique_db() -> String {
    format!("yanzhen-test-{}", DocumentId::from_bytes(random_bytes()))
}

fn edit(doc: &mut Automerge, i: usize) {
    let mut tx = doc.transaction();
    // Hardly compressible, so the document outgrows the small-snapshot limit.
    let value: String = (0..8)
        .map(|j| yanzhen_sync::storage::key_hash(format!("{i}/{j}").as_bytes()))
        .collect();
    tx.put(ROOT, format!("k{i}"), value).unwrap();
    tx.commit();
}

/// A store in a fresh database, and a new document id: the database's
/// name, the id and the store.
async fn fresh_store() -> (String, DocumentId, IdbStore) {
    let db = unique_db();
    let id = DocumentId::from_bytes(random_bytes());
    let store = IdbStore::open(&db, "documents").await.unwrap();
    (db, id, store)
}

/// Document `id` after eight edits, saved in `store` by a new planner: the
/// document and the planner.
async fn eight_edits_saved(store: &IdbStore, id: &DocumentId) -> (Automerge, DocStorage) {
    let mut doc = Automerge::new();
    let mut plan = DocStorage::new();
    for i in 0..8 {
        edit(&mut doc, i);
    }
    store.apply(plan.plan_save(id, &doc)).await.unwrap();
    (doc, plan)
}

fn is_put(op: &StorageOp, kind: &str) -> bool {
    matches!(op, StorageOp::Put { key, .. } if key[1] == kind)
}

async fn reload(db: &str, id: &DocumentId) -> Automerge {
    let store = IdbStore::open(db, "documents").await.unwrap();
    let chunks = store.load_chunks(id).await.unwrap();
    store.close();
    load_document(chunks).unwrap().expect("document stored").0
}

#[wasm_bindgen_test]
async fn incremental_saves_reload_from_a_fresh_handle() {
    let (db, id, store) = fresh_store().await;
    let (mut doc, mut plan) = eight_edits_saved(&store, &id).await;
    let mut incrementals = 0;
    for i in 8..12 {
        edit(&mut doc, i);
        let ops = plan.plan_save(&id, &doc);
        if ops.iter().any(|o| is_put(o, "incremental")) {
            incrementals += 1;
        }
        store.apply(ops).await.unwrap();
    }
    assert!(incrementals >= 2, "saves were incremental: {incrementals}");
    store.close();
    let loaded = reload(&db, &id).await;
    assert_eq!(loaded.get_heads(), doc.get_heads());
    assert_eq!(loaded.save(), doc.save());
}

#[wasm_bindgen_test]
async fn compaction_replaces_incrementals_and_still_loads() {
    let (db, id, store) = fresh_store().await;
    let (mut doc, mut plan) = eight_edits_saved(&store, &id).await;
    let mut compacted = false;
    for i in 8..60 {
        edit(&mut doc, i);
        let ops = plan.plan_save(&id, &doc);
        let snapshot = ops.iter().any(|o| is_put(o, "snapshot"));
        store.apply(ops).await.unwrap();
        if snapshot && i > 8 {
            compacted = true;
            let keys = store.keys().await.unwrap();
            let mine: Vec<_> = keys.iter().filter(|k| k[0] == id.to_string()).collect();
            assert_eq!(mine.len(), 1, "only the new snapshot remains: {mine:?}");
            assert_eq!(mine[0][1], "snapshot");
            break;
        }
    }
    assert!(compacted, "the planner compacted");
    store.close();
    assert_eq!(reload(&db, &id).await.get_heads(), doc.get_heads());
}

/// Resolves when an IndexedDB request succeeds.
async fn request_done(req: &web_sys::IdbRequest) -> JsValue {
    let r = req.clone();
    let p = Promise::new(&mut |resolve: Function, reject: Function| {
        let r2 = r.clone();
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &r2.result().unwrap());
        });
        let err = Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        r.set_onsuccess(Some(ok.unchecked_ref()));
        r.set_onerror(Some(err.unchecked_ref()));
    });
    JsFuture::from(p).await.expect("request succeeded")
}

#[wasm_bindgen_test]
async fn records_are_in_automerge_repo_layout() {
    // The default database and store, as @automerge/automerge-repo-storage-indexeddb uses them.
    let id = DocumentId::from_bytes(random_bytes());
    let store = IdbStore::open_default().await.unwrap();
    let (mut doc, mut plan) = eight_edits_saved(&store, &id).await;
    edit(&mut doc, 8);
    store.apply(plan.plan_save(&id, &doc)).await.unwrap();
    store.close();

    // Raw IndexedDB, no adapter code.
    let factory = web_sys::window().unwrap().indexed_db().unwrap().unwrap();
    let open = factory.open("automerge").unwrap();
    let db: web_sys::IdbDatabase = request_done(&open).await.unchecked_into();
    assert!(db.object_store_names().contains("documents"));
    let tx = db.transaction_with_str("documents").unwrap();
    let os = tx.object_store("documents").unwrap();
    assert!(os.key_path().unwrap().is_null(), "out-of-line keys");
    let keys: Array = request_done(&os.get_all_keys().unwrap())
        .await
        .unchecked_into();
    let mine: Vec<Vec<String>> = keys
        .iter()
        .map(|k| {
            k.unchecked_into::<Array>()
                .iter()
                .map(|s| s.as_string().unwrap())
                .collect::<Vec<_>>()
        })
        .filter(|k| k[0] == id.to_string())
        .collect();
    let kinds: Vec<&str> = mine.iter().map(|k| k[1].as_str()).collect();
    assert_eq!(kinds, vec!["incremental", "snapshot"], "{mine:?}");
    for key in &mine {
        assert_eq!(key.len(), 3);
        assert_eq!(key[2].len(), 64, "hex sha-256");
        let js_key: Array = key.iter().map(|s| JsValue::from_str(s)).collect();
        let tx = db.transaction_with_str("documents").unwrap();
        let record =
            request_done(&tx.object_store("documents").unwrap().get(&js_key).unwrap()).await;
        let stored_key: Array = Reflect::get(&record, &"key".into())
            .unwrap()
            .unchecked_into();
        assert_eq!(stored_key.length(), 3);
        assert_eq!(
            stored_key.get(1).as_string().as_deref(),
            Some(key[1].as_str())
        );
        let binary = Reflect::get(&record, &"binary".into()).unwrap();
        assert!(
            binary.is_instance_of::<Uint8Array>(),
            "binary is a Uint8Array"
        );
    }
    db.close();
}

#[wasm_bindgen_test]
async fn a_failing_write_returns_an_error_and_loses_nothing() {
    let (db, id, store) = fresh_store().await;
    let (mut doc, mut plan) = eight_edits_saved(&store, &id).await;
    let saved = doc.get_heads();

    // A closed handle: the next save (a compaction, so it has deletes too) fails.
    store.close();
    for i in 8..20 {
        edit(&mut doc, i);
    }
    let ops = plan.plan_compaction(&id, &doc);
    assert!(ops.iter().any(|o| matches!(o, StorageOp::Delete { .. })));
    let err = store.apply(ops).await.unwrap_err();
    assert!(matches!(err, StorageError::Closed(_)), "{err:?}");

    let loaded = reload(&db, &id).await;
    assert_eq!(
        loaded.get_heads(),
        saved,
        "what was saved before still loads"
    );
}

/// Every record's stored bytes in database `db`, read with raw IndexedDB calls.
async fn raw_records(db: &str) -> Vec<(Vec<String>, Vec<u8>)> {
    let factory = web_sys::window().unwrap().indexed_db().unwrap().unwrap();
    let open = factory.open(db).unwrap();
    let conn: web_sys::IdbDatabase = request_done(&open).await.unchecked_into();
    let tx = conn.transaction_with_str("documents").unwrap();
    let os = tx.object_store("documents").unwrap();
    let keys: Array = request_done(&os.get_all_keys().unwrap())
        .await
        .unchecked_into();
    let values: Array = request_done(&os.get_all().unwrap()).await.unchecked_into();
    conn.close();
    keys.iter()
        .zip(values.iter())
        .map(|(k, v)| {
            let key = k
                .unchecked_into::<Array>()
                .iter()
                .map(|s| s.as_string().unwrap())
                .collect();
            let bytes = Reflect::get(&v, &"binary".into())
                .unwrap()
                .unchecked_into::<Uint8Array>()
                .to_vec();
            (key, bytes)
        })
        .collect()
}

fn phone_of(doc: &Automerge) -> String {
    let (v, _) = doc.get(ROOT, "phone").unwrap().expect("a phone");
    v.as_str().expect("a string").to_owned()
}

#[wasm_bindgen_test]
async fn chunks_are_sealed_with_the_data_key_and_plaintext_still_loads() {
    use yanzhen::lock::crypto;
    const SECRET: &str = "19900005555";
    let (db, id, store) = fresh_store().await;
    let mut doc = Automerge::new();
    let mut plan = DocStorage::new();
    {
        let mut tx = doc.transaction();
        tx.put(ROOT, "phone", SECRET).unwrap();
        tx.commit();
    }
    // Written before the tablet had its lock: plaintext.
    crypto::forget_key();
    store.apply(plan.plan_save(&id, &doc)).await.unwrap();
    let before = raw_records(&db).await;
    assert!(
        before
            .iter()
            .all(|(_, b)| b.starts_with(&[0x85, 0x6f, 0x4a, 0x83]))
    );
    assert!(
        before
            .iter()
            .any(|(_, b)| b.windows(SECRET.len()).any(|w| w == SECRET.as_bytes())),
        "the check below can see a plaintext phone"
    );

    // The lock arrives: the plaintext chunk still loads, then is rewritten sealed.
    crypto::set_key(crypto::import_data_key(&[7; 32]).await.unwrap());
    assert_eq!(phone_of(&reload(&db, &id).await), SECRET);
    assert_eq!(store.encrypt_plaintext().await.unwrap(), before.len());
    assert_eq!(
        store.encrypt_plaintext().await.unwrap(),
        0,
        "nothing left plaintext"
    );
    edit(&mut doc, 1);
    store.apply(plan.plan_save(&id, &doc)).await.unwrap();

    let after = raw_records(&db).await;
    assert!(!after.is_empty());
    for (key, bytes) in &after {
        assert!(bytes.starts_with(b"YZE1"), "{key:?} is sealed");
        assert!(
            !bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
            "{key:?} holds no plaintext phone"
        );
    }
    // The same key opens them.
    let back = reload(&db, &id).await;
    assert_eq!(phone_of(&back), SECRET);
    assert_eq!(back.get_heads(), doc.get_heads());

    // A sealed chunk moved under another key does not open (the key path
    // is its associated data).
    let other = DocumentId::from_bytes(random_bytes());
    let (key, bytes) = after.iter().find(|(k, _)| k[1] == "snapshot").unwrap();
    let moved = vec![other.to_string(), "snapshot".to_owned(), key[2].clone()];
    crypto::forget_key();
    store.put(&moved, bytes).await.unwrap(); // no key: stored as it is
    crypto::set_key(crypto::import_data_key(&[7; 32]).await.unwrap());
    assert!(matches!(
        store.load_chunks(&other).await,
        Err(StorageError::Locked(_))
    ));
    // Loading at start sets it aside (kept under ["damaged", …]) and goes on.
    let (chunks, damaged) = store.load_chunks_checked(&other).await.unwrap();
    assert!(chunks.is_empty());
    assert_eq!(damaged, vec![moved.clone()]);
    let raw = raw_records(&db).await;
    assert!(!raw.iter().any(|(k, _)| *k == moved), "no longer a chunk");
    assert!(
        raw.iter()
            .any(|(k, b)| *k == yanzhen::sync::idb::set_aside_key(&moved) && b == bytes),
        "kept as it was, set aside"
    );
    // The document's own chunks are untouched and still load.
    let (mine, none) = store.load_chunks_checked(&id).await.unwrap();
    assert!(none.is_empty());
    assert!(!mine.is_empty());

    // A wrong key, or none (locked): nothing readable.
    crypto::set_key(crypto::import_data_key(&[8; 32]).await.unwrap());
    assert!(matches!(
        store.load_chunks(&id).await,
        Err(StorageError::Locked(_))
    ));
    crypto::forget_key();
    assert!(matches!(
        store.load_chunks(&id).await,
        Err(StorageError::Locked(_))
    ));
    store.close();
}

#[wasm_bindgen_test]
async fn the_pin_wraps_the_data_key_and_a_wrong_pin_fails() {
    use yanzhen::lock::crypto::{self, CryptoError};
    let (record, key) = crypto::create_lock("204813").await.unwrap();
    assert!(record.iterations >= 600_000);
    // The record's key and a key unwrapped with the right PIN are the same key.
    let aad = b"k";
    let sealed = crypto::seal(&key, aad, b"secret").await.unwrap();
    let again = crypto::unlock(&record, "204813").await.unwrap();
    assert_eq!(
        crypto::open(Some(&again), aad, &sealed).await.unwrap(),
        b"secret"
    );
    assert_eq!(
        crypto::unlock(&record, "204814").await.err(),
        Some(CryptoError::WrongKey)
    );
    // Changing the PIN re-wraps the same key.
    let changed = crypto::rewrap(&record, "204813", "581302").await.unwrap();
    assert_ne!(changed.wrapped, record.wrapped);
    let k2 = crypto::unlock(&changed, "581302").await.unwrap();
    assert_eq!(
        crypto::open(Some(&k2), aad, &sealed).await.unwrap(),
        b"secret"
    );
    assert_eq!(
        crypto::unlock(&changed, "204813").await.err(),
        Some(CryptoError::WrongKey)
    );
}

/// Runs an async JavaScript expression (a promise) and returns what it
/// resolves to, as JSON.
async fn js_json(expr: &str) -> serde_json::Value {
    let p: Promise = js_sys::eval(expr).unwrap().dyn_into().unwrap();
    let v = JsFuture::from(p).await.unwrap();
    serde_json::from_str(&v.as_string().expect("a JSON string")).unwrap()
}

/// Scans local storage, session storage and every record of every
/// IndexedDB database of the origin (keys and values, bytes as Latin-1)
/// for each of `needles`; returns `{hits: [...], records: n}`.
async fn scan_for(needles: &[&str]) -> serde_json::Value {
    let needles = serde_json::to_string(needles).unwrap();
    js_json(&format!(
        r#"(async () => {{
          const needles = {needles};
          const hits = [];
          const text = v => {{
            if (v instanceof Uint8Array) {{ let s = ''; for (const b of v) s += String.fromCharCode(b); return s; }}
            if (v instanceof ArrayBuffer) return text(new Uint8Array(v));
            if (Array.isArray(v)) return v.map(text).join('|');
            if (v && typeof v === 'object') return Object.entries(v).map(([k, x]) => k + ':' + text(x)).join('|');
            return String(v);
          }};
          const look = (where, s) => {{ for (const n of needles) if (s.includes(n)) hits.push(where + ' ' + n); }};
          for (const st of [localStorage, sessionStorage])
            for (let i = 0; i < st.length; i++) {{ const k = st.key(i); look('storage ' + k, k + '=' + st.getItem(k)); }}
          const open = name => new Promise((res, rej) => {{ const r = indexedDB.open(name); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); }});
          const all = (db, s) => new Promise((res, rej) => {{
            const t = db.transaction(s); const os = t.objectStore(s);
            const ks = os.getAllKeys(); const vs = os.getAll();
            t.oncomplete = () => res([ks.result, vs.result]); t.onerror = () => rej(t.error);
          }});
          let records = 0;
          for (const d of await indexedDB.databases()) {{
            const db = await open(d.name);
            for (const s of db.objectStoreNames) {{
              const [ks, vs] = await all(db, s);
              for (let i = 0; i < vs.length; i++) {{ records++; look(d.name + '/' + s, text(ks[i]) + '=' + text(vs[i])); }}
            }}
            db.close();
          }}
          return JSON.stringify({{hits, records}});
        }})()"#
    ))
    .await
}

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
async fn the_token_is_kept_only_sealed_and_the_back_off_outlives_local_storage() {
    use yanzhen::access::device::parse_enrolment;
    use yanzhen::lock::{Backoff, LockFound, Start, actions, crypto, secrets, start_screen, store};
    const LEGACY: &str = "yz_legacy_token_7Qm2pXw9";
    const TOKEN: &str = "yz_sealed_token_K4v8sNc1";
    let enrolment = |token: &str| {
        parse_enrolment(&format!(
            r#"{{"token":"{token}","deviceId":"dev-w","role":"admin","unitId":null,
            "districtDocumentId":null,"documents":[]}}"#
        ))
        .unwrap()
    };
    let tablet_db = || IdbStore::open(store::TABLET_DATABASE, store::TABLET_STORE);

    // A tablet of the version before: the enrolment in plaintext, in local
    // storage and in its durable copy.
    let legacy = serde_json::to_string(&enrolment(LEGACY)).unwrap();
    local_storage()
        .set_item(yanzhen::settings::ENROLMENT_KEY, &legacy)
        .unwrap();
    let db = tablet_db().await.unwrap();
    db.put_plain(
        &[yanzhen::settings::ENROLMENT_KEY.to_owned()],
        legacy.as_bytes(),
    )
    .await
    .unwrap();
    db.close();
    assert_eq!(
        scan_for(&[LEGACY]).await["hits"].as_array().unwrap().len(),
        2,
        "the scan sees both plaintext copies"
    );

    // The lock, then the first unlock: the plaintext enrolment is sealed
    // and its copies are deleted; the token is in memory only.
    let (record, key) = crypto::create_lock("204813").await.unwrap();
    actions::keep(&record, key).await.unwrap();
    actions::open_secrets().await;
    assert_eq!(
        secrets::enrolment().map(|e| e.token).as_deref(),
        Some(LEGACY)
    );
    // A new enrolment (with the district's keys) replaces it, sealed: the
    // token and the transfer key are nowhere in clear.
    const TRANSFER_KEY: &str = "5b7e1d9c3a6f08e24d1b7c9a0e3f5d6b8a2c4e6f1d3b5a7c9e0f2d4b6a8c0e1f";
    let mut with_keys = enrolment(TOKEN);
    with_keys.keys = Some(
        serde_json::from_str(&format!(
            r#"{{"serverKey":"{}","transferKey":{{"id":"0102030405060708","key":"{TRANSFER_KEY}"}}}}"#,
            "11".repeat(32)
        ))
        .unwrap(),
    );
    secrets::keep_enrolment(&with_keys).await.unwrap();
    let scan = scan_for(&[LEGACY, TOKEN, TRANSFER_KEY]).await;
    assert_eq!(scan["hits"], serde_json::json!([]), "{scan}");
    secrets::forget();
    assert_eq!(
        secrets::open_enrolment()
            .await
            .unwrap()
            .and_then(|e| e.keys),
        with_keys.keys,
        "the keys come back with the PIN"
    );
    secrets::keep_enrolment(&enrolment(TOKEN)).await.unwrap();
    let scan = scan_for(&[LEGACY, TOKEN]).await;
    assert_eq!(scan["hits"], serde_json::json!([]), "{scan}");
    assert!(scan["records"].as_u64().unwrap() >= 2, "{scan}");
    let db = tablet_db().await.unwrap();
    let sealed = db
        .get_plain(&[secrets::ENROLMENT_SEALED_KEY.to_owned()])
        .await
        .unwrap()
        .expect("the sealed enrolment");
    db.close();
    assert!(sealed.starts_with(b"YZE1"));

    // Only the data key opens it again; locked, nothing.
    secrets::forget();
    assert_eq!(
        secrets::open_enrolment()
            .await
            .unwrap()
            .map(|e| e.token)
            .as_deref(),
        Some(TOKEN)
    );
    crypto::forget_key();
    secrets::forget();
    assert!(secrets::open_enrolment().await.is_err());
    assert!(
        secrets::keep_enrolment(&enrolment(TOKEN)).await.is_err(),
        "never kept unsealed"
    );
    assert!(secrets::has_sealed_enrolment().await);

    // The server's attestations are kept (not secret) for offline exports.
    let doc = DocumentId::from_bytes(random_bytes());
    let attestation = yanzhen_sync::attest::sign(doc, Vec::new(), 42, &[3; 32]);
    assert!(store::attestations().await.is_empty());
    store::keep_attestations(std::slice::from_ref(&attestation))
        .await
        .unwrap();
    assert_eq!(store::attestations().await, vec![attestation]);

    // The back-off survives a local-storage wipe (IndexedDB's copy).
    let waiting = Backoff {
        failures: 6,
        left_ms: 50_000.0,
    };
    store::keep_backoff(&waiting).await.unwrap();
    local_storage().clear().unwrap();
    assert_eq!(store::backoff().await, waiting);
    actions::load_backoff().await;
    let left = actions::backoff_remaining_ms();
    assert!(left > 45_000.0 && left <= 50_000.0, "{left}");

    // Local storage wiped: the lock comes back from IndexedDB (still locked).
    let found = store::found().await;
    assert_eq!(found.lock, LockFound::Present);
    assert_eq!(start_screen(found), Start::Locked);
    assert!(store::lock_record().is_some(), "put back");
    // The lock deleted everywhere: sealed data means "enrol again", never
    // "set a new PIN".
    local_storage().clear().unwrap();
    let db = tablet_db().await.unwrap();
    db.delete_all(&[vec![yanzhen::lock::LOCK_KEY.to_owned()]])
        .await
        .unwrap();
    db.close();
    let found = store::found().await;
    assert_eq!(found.lock, LockFound::Missing);
    assert!(found.sealed);
    assert_eq!(start_screen(found), Start::EnrolAgain);

    // Erasing leaves nothing sealed, no back-off, nothing of the token.
    actions::erase().await.unwrap();
    let found = store::found().await;
    assert_eq!(start_screen(found), Start::Fresh);
    assert_eq!(store::backoff().await, Backoff::default());
}
