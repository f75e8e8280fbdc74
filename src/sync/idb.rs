//! Document chunks in the browser's IndexedDB, in exactly the layout of
//! `@automerge/automerge-repo-storage-indexeddb`, so a store written by the
//! JS repo loads here and the other way round:
//!
//! * database `automerge` (version 1), one object store `documents` created
//!   without a key path (out-of-line keys);
//! * each record is `{ key: [docId, "snapshot" | "incremental" | "sync-state", …],
//!   binary: Uint8Array }`, put under the same key array;
//! * a prefix is loaded as the key range `[...prefix]` ..= `[...prefix, "\uffff"]`.
//!
//! What to write is planned by `yanzhen_sync::storage` (through the
//! `SyncNode`'s storage effects); [`IdbStore::apply`] carries one planned
//! save out **puts first, in their own transaction, and only after it has
//! committed the deletes** — a failed write (quota exceeded, closed
//! database) returns a [`StorageError`] and leaves every chunk saved before
//! in place, so the document still loads.
//!
//! **Encryption at rest** (issue 9, item 8; see [`crate::lock`]): while the
//! data key is in memory ([`crate::lock::crypto::key`]) every `binary` is
//! written as `YZE1 ‖ nonce ‖ AES-256-GCM(chunk)` with the key path as
//! associated data, and read back decrypted; a plaintext chunk (written
//! before the tablet had its lock) still loads, and
//! [`IdbStore::encrypt_plaintext`] rewrites those in place (a put under the
//! same key replaces the record; nothing is deleted first). Encrypting is
//! done before the transaction opens (an IndexedDB transaction commits as
//! soon as it has no request pending across an `await`).
//!
//! IndexedDB requests and transactions are event based; [`IdbStore`] turns
//! "transaction complete / error / abort" into futures. Reads issue
//! `getAll` and `getAllKeys` over the same range in one transaction and read
//! both results once it completes (same records, same key order, no cursor
//! callbacks).
//!
//! Long file: the IndexedDB adapter mirrors automerge-repo's storage layout
//! (keys, chunk kinds, compaction) as one unit; its browser tests are in
//! `tests/wasm_idb.rs`.

use yanzhen_model::sorting;
use yanzhen_sync::StorageKey;

/// The database automerge-repo's IndexedDB adapter uses by default.
pub const DATABASE: &str = "automerge";
/// Its object store.
pub const STORE: &str = "documents";

/// Why the browser's document storage failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// The browser has no IndexedDB here (e.g. a private window that forbids it).
    #[error("IndexedDB is not available: {0}")]
    Unavailable(String),
    /// The origin's storage quota is used up.
    #[error("storage quota exceeded: {0}")]
    QuotaExceeded(String),
    /// The database connection is closed (or being closed / upgraded).
    #[error("the database is closed: {0}")]
    Closed(String),
    /// A stored record is not `{ key, binary }`.
    #[error("unreadable record: {0}")]
    Corrupt(String),
    /// An encrypted chunk that the key in memory does not open (the tablet
    /// is locked, or the bytes were altered or moved to another key).
    #[error("an encrypted chunk cannot be read: {0}")]
    Locked(String),
    /// Any other IndexedDB failure, with the DOMException name.
    #[error("IndexedDB {name}: {message}")]
    Failed { name: String, message: String },
}

impl StorageError {
    /// Classifies a DOMException by its `name`.
    pub fn from_dom(name: &str, message: &str) -> Self {
        let message = message.to_owned();
        match name {
            "QuotaExceededError" => StorageError::QuotaExceeded(message),
            "InvalidStateError" | "TransactionInactiveError" => StorageError::Closed(message),
            "NotFoundError" | "SecurityError" => StorageError::Unavailable(message),
            _ => StorageError::Failed {
                name: name.to_owned(),
                message,
            },
        }
    }
}

/// The upper end of a prefix range (`[...prefix, "\uffff"]`), as the JS adapter builds it.
pub fn range_upper(prefix: &[String]) -> StorageKey {
    let mut k = prefix.to_vec();
    k.push("\u{ffff}".to_owned());
    k
}

#[cfg(target_arch = "wasm32")]
pub use browser::{IdbStore, delete_database};

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::{DATABASE, STORE, StorageError, range_upper};
    use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        DomException, IdbDatabase, IdbKeyRange, IdbObjectStore, IdbOpenDbRequest, IdbTransaction,
        IdbTransactionMode,
    };
    use yanzhen_sync::storage::{ChunkKind, chunk_prefix};
    use yanzhen_sync::{DocumentId, StorageKey, StorageOp};

    /// `db.transaction(store, "readwrite", { durability: "strict" })`
    /// (web-sys has the options only behind its unstable-API flag).
    fn durable_transaction(db: &IdbDatabase, store: &str) -> Result<IdbTransaction, JsValue> {
        let options = Object::new();
        Reflect::set(&options, &"durability".into(), &"strict".into())?;
        let transaction: Function = Reflect::get(db, &"transaction".into())?.dyn_into()?;
        transaction
            .call3(db, &store.into(), &"readwrite".into(), &options)?
            .dyn_into()
    }

    fn js_error(v: &JsValue) -> StorageError {
        if let Some(e) = v.dyn_ref::<DomException>() {
            return StorageError::from_dom(&e.name(), &e.message());
        }
        if let Some(e) = v.dyn_ref::<js_sys::Error>() {
            let name: String = e.name().into();
            let message: String = e.message().into();
            return StorageError::from_dom(&name, &message);
        }
        StorageError::Failed {
            name: "Error".to_owned(),
            message: v.as_string().unwrap_or_else(|| format!("{v:?}")),
        }
    }

    fn key_js(key: &[String]) -> JsValue {
        key.iter()
            .map(|s| JsValue::from_str(s))
            .collect::<Array>()
            .into()
    }

    fn key_from_js(v: &JsValue) -> Result<StorageKey, StorageError> {
        let a = v
            .dyn_ref::<Array>()
            .ok_or_else(|| StorageError::Corrupt(format!("key is not an array: {v:?}")))?;
        a.iter()
            .map(|s| {
                s.as_string().ok_or_else(|| {
                    StorageError::Corrupt(format!("key part is not a string: {s:?}"))
                })
            })
            .collect()
    }

    /// Handlers on a transaction, removed on drop so no event reaches a
    /// dropped closure.
    struct TxWait {
        tx: IdbTransaction,
        promise: Promise,
        _handlers: Vec<Closure<dyn FnMut()>>,
    }

    impl TxWait {
        fn new(tx: &IdbTransaction) -> Self {
            let mut handlers: Vec<Closure<dyn FnMut()>> = Vec::new();
            let promise = Promise::new(&mut |resolve: Function, reject: Function| {
                let done = Closure::<dyn FnMut()>::new(move || {
                    let _ = resolve.call0(&JsValue::NULL);
                });
                let fail = |reject: Function, tx: IdbTransaction| {
                    Closure::<dyn FnMut()>::new(move || {
                        let reason = tx.error().map(JsValue::from).unwrap_or_else(|| {
                            js_sys::Error::new("IndexedDB transaction failed").into()
                        });
                        let _ = reject.call1(&JsValue::NULL, &reason);
                    })
                };
                let err = fail(reject.clone(), tx.clone());
                let abort = fail(reject, tx.clone());
                tx.set_oncomplete(Some(done.as_ref().unchecked_ref()));
                tx.set_onerror(Some(err.as_ref().unchecked_ref()));
                tx.set_onabort(Some(abort.as_ref().unchecked_ref()));
                handlers.extend([done, err, abort]);
            });
            TxWait {
                tx: tx.clone(),
                promise,
                _handlers: handlers,
            }
        }

        async fn wait(self) -> Result<(), StorageError> {
            JsFuture::from(self.promise.clone())
                .await
                .map(|_| ())
                .map_err(|e| js_error(&e))
        }
    }

    impl Drop for TxWait {
        fn drop(&mut self) {
            self.tx.set_oncomplete(None);
            self.tx.set_onerror(None);
            self.tx.set_onabort(None);
        }
    }

    /// An open automerge-repo IndexedDB store.
    #[derive(Clone, Debug)]
    pub struct IdbStore {
        db: IdbDatabase,
        store: String,
    }

    impl IdbStore {
        /// Opens (creating if needed) automerge-repo's default store:
        /// database `automerge`, object store `documents`.
        pub async fn open_default() -> Result<Self, StorageError> {
            Self::open(DATABASE, STORE).await
        }

        /// Opens (creating if needed) database `name`, version 1, with the
        /// object store `store`.
        pub async fn open(name: &str, store: &str) -> Result<Self, StorageError> {
            let window = web_sys::window()
                .ok_or_else(|| StorageError::Unavailable("no window".to_owned()))?;
            let factory = window
                .indexed_db()
                .map_err(|e| js_error(&e))?
                .ok_or_else(|| StorageError::Unavailable("no indexedDB".to_owned()))?;
            let req: IdbOpenDbRequest = factory.open_with_u32(name, 1).map_err(|e| js_error(&e))?;
            let mut handlers: Vec<Closure<dyn FnMut()>> = Vec::new();
            let store_name = store.to_owned();
            let promise = Promise::new(&mut |resolve: Function, reject: Function| {
                let r = req.clone();
                let store_name = store_name.clone();
                let upgrade = Closure::<dyn FnMut()>::new(move || {
                    if let Ok(db) = r.result().and_then(|d| d.dyn_into::<IdbDatabase>())
                        && !db.object_store_names().contains(&store_name)
                    {
                        let _ = db.create_object_store(&store_name);
                    }
                });
                let r = req.clone();
                let ok = Closure::<dyn FnMut()>::new(move || {
                    let _ = resolve.call1(&JsValue::NULL, &r.result().unwrap_or(JsValue::NULL));
                });
                let r = req.clone();
                let err = Closure::<dyn FnMut()>::new(move || {
                    let reason = r
                        .error()
                        .ok()
                        .flatten()
                        .map(JsValue::from)
                        .unwrap_or_else(|| js_sys::Error::new("IndexedDB open failed").into());
                    let _ = reject.call1(&JsValue::NULL, &reason);
                });
                req.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
                req.set_onsuccess(Some(ok.as_ref().unchecked_ref()));
                req.set_onerror(Some(err.as_ref().unchecked_ref()));
                handlers.extend([upgrade, ok, err]);
            });
            let result = JsFuture::from(promise).await;
            req.set_onupgradeneeded(None);
            req.set_onsuccess(None);
            req.set_onerror(None);
            drop(handlers);
            let db: IdbDatabase = result
                .map_err(|e| js_error(&e))?
                .dyn_into()
                .map_err(|e| js_error(&e))?;
            if !db.object_store_names().contains(store) {
                db.close();
                return Err(StorageError::Failed {
                    name: "NotFoundError".to_owned(),
                    message: format!("object store {store:?} missing"),
                });
            }
            Ok(IdbStore {
                db,
                store: store.to_owned(),
            })
        }

        /// Closes the connection; later calls fail with [`StorageError::Closed`].
        pub fn close(&self) {
            self.db.close();
        }

        fn tx(
            &self,
            mode: IdbTransactionMode,
        ) -> Result<(IdbTransaction, IdbObjectStore), StorageError> {
            // Writes are durable before they count as saved: a tablet's
            // battery can die right after "saved" ("strict" flushes to
            // disk; the default lets the browser keep it in memory).
            let tx = if mode == IdbTransactionMode::Readwrite {
                durable_transaction(&self.db, &self.store)
            } else {
                self.db.transaction_with_str_and_mode(&self.store, mode)
            }
            .map_err(|e| js_error(&e))?;
            let os = tx.object_store(&self.store).map_err(|e| js_error(&e))?;
            Ok((tx, os))
        }

        /// Stores `data` under `key` as `{ key, binary }`.
        pub async fn put(&self, key: &[String], data: &[u8]) -> Result<(), StorageError> {
            self.put_all(&[(key.to_vec(), data.to_vec())]).await
        }

        /// Stores several records in one transaction (all or nothing).
        pub async fn put_all(&self, records: &[(StorageKey, Vec<u8>)]) -> Result<(), StorageError> {
            if records.is_empty() {
                return Ok(());
            }
            let records = seal_all(records).await?;
            self.put_raw(&records).await
        }

        /// Stores records as they are (already sealed, or plaintext without a key).
        async fn put_raw(&self, records: &[(StorageKey, Vec<u8>)]) -> Result<(), StorageError> {
            let (tx, os) = self.tx(IdbTransactionMode::Readwrite)?;
            let wait = TxWait::new(&tx);
            for (key, data) in records {
                let k = key_js(key);
                let record = Object::new();
                let _ = Reflect::set(&record, &"key".into(), &k);
                let _ = Reflect::set(
                    &record,
                    &"binary".into(),
                    &Uint8Array::from(data.as_slice()),
                );
                if let Err(e) = os.put_with_key(&record, &k) {
                    let _ = tx.abort();
                    return Err(js_error(&e));
                }
            }
            wait.wait().await
        }

        /// Deletes keys in one transaction.
        pub async fn delete_all(&self, keys: &[StorageKey]) -> Result<(), StorageError> {
            if keys.is_empty() {
                return Ok(());
            }
            let (tx, os) = self.tx(IdbTransactionMode::Readwrite)?;
            let wait = TxWait::new(&tx);
            for key in keys {
                if let Err(e) = os.delete(&key_js(key)) {
                    let _ = tx.abort();
                    return Err(js_error(&e));
                }
            }
            wait.wait().await
        }

        /// Deletes every key under a prefix (automerge-repo's `removeRange`).
        pub async fn remove_range(&self, prefix: &[String]) -> Result<(), StorageError> {
            let (tx, os) = self.tx(IdbTransactionMode::Readwrite)?;
            let wait = TxWait::new(&tx);
            let range = prefix_range(prefix)?;
            os.delete(&range).map_err(|e| js_error(&e))?;
            wait.wait().await
        }

        /// Carries out one planned save: the puts in one transaction, then —
        /// only once they are committed — the deletes in another. On error
        /// nothing saved before is gone (at worst a replaced chunk lingers,
        /// which loads harmlessly and is deleted by a later compaction).
        pub async fn apply(&self, ops: Vec<StorageOp>) -> Result<(), StorageError> {
            let mut puts = Vec::new();
            let mut deletes = Vec::new();
            for op in ops {
                match op {
                    StorageOp::Put { key, data } => puts.push((key, data)),
                    StorageOp::Delete { key } => deletes.push(key),
                }
            }
            self.put_all(&puts).await?;
            self.delete_all(&deletes).await
        }

        /// Every record under `prefix`, in key order (automerge-repo's `loadRange`).
        pub async fn load_range(
            &self,
            prefix: &[String],
        ) -> Result<Vec<(StorageKey, Vec<u8>)>, StorageError> {
            opened(self.load_ranges_raw(&[prefix]).await?).await
        }

        /// The records under each prefix as stored (sealed or not), read in
        /// one transaction, prefix by prefix in key order.
        async fn load_ranges_raw(
            &self,
            prefixes: &[&[String]],
        ) -> Result<Vec<(StorageKey, Vec<u8>)>, StorageError> {
            let (tx, os) = self.tx(IdbTransactionMode::Readonly)?;
            let wait = TxWait::new(&tx);
            let mut requests = Vec::with_capacity(prefixes.len());
            for prefix in prefixes {
                let range = prefix_range(prefix)?;
                let values = os.get_all_with_key(&range).map_err(|e| js_error(&e))?;
                let keys = os.get_all_keys_with_key(&range).map_err(|e| js_error(&e))?;
                requests.push((keys, values));
            }
            wait.wait().await?;
            let mut raw = Vec::new();
            for (keys, values) in requests {
                let values: Array = values.result().map_err(|e| js_error(&e))?.unchecked_into();
                let keys: Array = keys.result().map_err(|e| js_error(&e))?.unchecked_into();
                for (k, v) in keys.iter().zip(values.iter()) {
                    let key = key_from_js(&k)?;
                    let binary = Reflect::get(&v, &"binary".into())
                        .ok()
                        .and_then(|b| b.dyn_into::<Uint8Array>().ok())
                        .ok_or_else(|| StorageError::Corrupt(format!("{key:?} has no binary")))?;
                    raw.push((key, binary.to_vec()));
                }
            }
            Ok(raw)
        }

        /// Rewrites every plaintext record (written before the tablet had
        /// its lock) encrypted under the same key, in one transaction.
        /// Returns how many were rewritten. Needs the data key in memory.
        pub async fn encrypt_plaintext(&self) -> Result<usize, StorageError> {
            if crate::lock::crypto::key().is_none() {
                return Err(StorageError::Locked("no data key".to_owned()));
            }
            let (tx, os) = self.tx(IdbTransactionMode::Readonly)?;
            let wait = TxWait::new(&tx);
            let values = os.get_all().map_err(|e| js_error(&e))?;
            let keys = os.get_all_keys().map_err(|e| js_error(&e))?;
            wait.wait().await?;
            let values: Array = values.result().map_err(|e| js_error(&e))?.unchecked_into();
            let keys: Array = keys.result().map_err(|e| js_error(&e))?.unchecked_into();
            let plain: Vec<(StorageKey, Vec<u8>)> = keys
                .iter()
                .zip(values.iter())
                .filter_map(|(k, v)| {
                    let key = key_from_js(&k).ok()?;
                    let bytes = Reflect::get(&v, &"binary".into())
                        .ok()?
                        .dyn_into::<Uint8Array>()
                        .ok()?
                        .to_vec();
                    (!crate::lock::is_sealed(&bytes)).then_some((key, bytes))
                })
                .collect();
            let n = plain.len();
            self.put_all(&plain).await?;
            Ok(n)
        }

        /// Whether any record is sealed (`YZE1…`): data that only the
        /// tablet's data key opens (asked at start when no lock is found).
        pub async fn any_sealed(&self) -> Result<bool, StorageError> {
            let (tx, os) = self.tx(IdbTransactionMode::Readonly)?;
            let wait = TxWait::new(&tx);
            let values = os.get_all().map_err(|e| js_error(&e))?;
            wait.wait().await?;
            let values: Array = values.result().map_err(|e| js_error(&e))?.unchecked_into();
            Ok(values.iter().any(|v| {
                Reflect::get(&v, &"binary".into())
                    .ok()
                    .and_then(|b| b.dyn_into::<Uint8Array>().ok())
                    .is_some_and(|b| {
                        b.length() >= 4 && crate::lock::is_sealed(&b.subarray(0, 4).to_vec())
                    })
            }))
        }

        /// Stores `data` under `key` as it is, never encrypted (the
        /// tablet's own small records, see [`crate::lock::store`]).
        pub async fn put_plain(&self, key: &[String], data: &[u8]) -> Result<(), StorageError> {
            self.put_raw(&[(key.to_vec(), data.to_vec())]).await
        }

        /// A record stored by [`Self::put_plain`], as it is.
        pub async fn get_plain(&self, key: &[String]) -> Result<Option<Vec<u8>>, StorageError> {
            let (tx, os) = self.tx(IdbTransactionMode::Readonly)?;
            let wait = TxWait::new(&tx);
            let req = os.get(&key_js(key)).map_err(|e| js_error(&e))?;
            wait.wait().await?;
            let v = req.result().map_err(|e| js_error(&e))?;
            Ok(Reflect::get(&v, &"binary".into())
                .ok()
                .and_then(|b| b.dyn_into::<Uint8Array>().ok())
                .map(|b| b.to_vec()))
        }

        /// One record, if present (automerge-repo's `load`).
        pub async fn get(&self, key: &[String]) -> Result<Option<Vec<u8>>, StorageError> {
            match self.get_plain(key).await? {
                Some(b) => Ok(Some(open_chunk(key, &b).await?)),
                None => Ok(None),
            }
        }

        /// The snapshot and incremental chunks of a document, as
        /// [`yanzhen_sync::storage::load_document`] and
        /// `Event::DocumentLoaded` want them.
        pub async fn load_chunks(
            &self,
            doc: &DocumentId,
        ) -> Result<Vec<(StorageKey, Vec<u8>)>, StorageError> {
            opened(self.load_document_raw(doc).await?).await
        }

        /// A document's snapshot and incremental chunks as stored, both
        /// kinds in one transaction (a start-up reads every document: one
        /// transaction each, not two after each other).
        async fn load_document_raw(
            &self,
            doc: &DocumentId,
        ) -> Result<Vec<(StorageKey, Vec<u8>)>, StorageError> {
            let snapshots = chunk_prefix(doc, ChunkKind::Snapshot);
            let incrementals = chunk_prefix(doc, ChunkKind::Incremental);
            self.load_ranges_raw(&[&snapshots, &incrementals]).await
        }

        /// The chunks of `doc` that open, for loading at start, and the keys
        /// of the records that did not: with the data key in memory a record
        /// that fails its check is damaged (or was moved under another key),
        /// so it is set aside under `["damaged", …its key]` — kept, but
        /// never loaded again — and the rest of the document still loads.
        /// Without the data key a sealed record is an error (the tablet is
        /// locked: nothing is damaged).
        pub async fn load_chunks_checked(
            &self,
            doc: &DocumentId,
        ) -> Result<(Vec<(StorageKey, Vec<u8>)>, Vec<StorageKey>), StorageError> {
            let raw = self.load_document_raw(doc).await?;
            let plain = open_chunks(&raw).await;
            let mut chunks = Vec::with_capacity(raw.len());
            let mut damaged = Vec::new();
            for ((key, bytes), plain) in raw.into_iter().zip(plain) {
                match plain {
                    Ok(plain) => chunks.push((key, plain)),
                    Err(e) if crate::lock::crypto::key().is_none() => return Err(e),
                    Err(_) => damaged.push((key, bytes)),
                }
            }
            if !damaged.is_empty() {
                let aside: Vec<(StorageKey, Vec<u8>)> = damaged
                    .iter()
                    .map(|(k, b)| (super::set_aside_key(k), b.clone()))
                    .collect();
                self.put_raw(&aside).await?;
                let keys: Vec<StorageKey> = damaged.iter().map(|(k, _)| k.clone()).collect();
                self.delete_all(&keys).await?;
            }
            Ok((chunks, damaged.into_iter().map(|(k, _)| k).collect()))
        }

        /// Every key in the store.
        pub async fn keys(&self) -> Result<Vec<StorageKey>, StorageError> {
            let (tx, os) = self.tx(IdbTransactionMode::Readonly)?;
            let wait = TxWait::new(&tx);
            let req = os.get_all_keys().map_err(|e| js_error(&e))?;
            wait.wait().await?;
            let keys: Array = req.result().map_err(|e| js_error(&e))?.unchecked_into();
            // Keys that are not string arrays belong to someone else: skip them.
            Ok(keys.iter().filter_map(|k| key_from_js(&k).ok()).collect())
        }

        /// The documents that have chunks in the store.
        pub async fn document_ids(&self) -> Result<Vec<DocumentId>, StorageError> {
            Ok(super::documents_in(&self.keys().await?))
        }
    }

    /// Deletes the whole database `name` (a revoked tablet's data). Waits
    /// until it is gone; a connection still open elsewhere delays it.
    pub async fn delete_database(name: &str) -> Result<(), StorageError> {
        let factory = web_sys::window()
            .ok_or_else(|| StorageError::Unavailable("no window".to_owned()))?
            .indexed_db()
            .map_err(|e| js_error(&e))?
            .ok_or_else(|| StorageError::Unavailable("no indexedDB".to_owned()))?;
        let req = factory.delete_database(name).map_err(|e| js_error(&e))?;
        let mut handlers: Vec<Closure<dyn FnMut()>> = Vec::new();
        let promise = Promise::new(&mut |resolve: Function, reject: Function| {
            let ok = Closure::<dyn FnMut()>::new(move || {
                let _ = resolve.call0(&JsValue::NULL);
            });
            let r = req.clone();
            let err = Closure::<dyn FnMut()>::new(move || {
                let reason = r
                    .error()
                    .ok()
                    .flatten()
                    .map(JsValue::from)
                    .unwrap_or_else(|| js_sys::Error::new("deleting the database failed").into());
                let _ = reject.call1(&JsValue::NULL, &reason);
            });
            req.set_onsuccess(Some(ok.as_ref().unchecked_ref()));
            req.set_onerror(Some(err.as_ref().unchecked_ref()));
            handlers.extend([ok, err]);
        });
        let result = JsFuture::from(promise).await;
        req.set_onsuccess(None);
        req.set_onerror(None);
        drop(handlers);
        result.map(|_| ()).map_err(|e| js_error(&e))
    }

    /// Seals every record with the data key in memory (none: as they are).
    async fn seal_all(
        records: &[(StorageKey, Vec<u8>)],
    ) -> Result<Vec<(StorageKey, Vec<u8>)>, StorageError> {
        let Some(k) = crate::lock::crypto::key() else {
            return Ok(records.to_vec());
        };
        let mut out = Vec::with_capacity(records.len());
        for (key, data) in records {
            let sealed = crate::lock::crypto::seal(&k, &crate::lock::aad(key), data)
                .await
                .map_err(|e| StorageError::Failed {
                    name: "Encrypt".to_owned(),
                    message: e.to_string(),
                })?;
            out.push((key.clone(), sealed));
        }
        Ok(out)
    }

    /// Opens stored records, all decryptions under way at once (WebCrypto
    /// works off the page's thread; one after the other, each waited for a
    /// turn of the event loop). One result per record, in their order.
    async fn open_chunks(raw: &[(StorageKey, Vec<u8>)]) -> Vec<Result<Vec<u8>, StorageError>> {
        futures_util::future::join_all(raw.iter().map(|(key, bytes)| open_chunk(key, bytes))).await
    }

    /// The records opened, keyed as stored; the first that does not open
    /// fails them all.
    async fn opened(
        raw: Vec<(StorageKey, Vec<u8>)>,
    ) -> Result<Vec<(StorageKey, Vec<u8>)>, StorageError> {
        let plain = open_chunks(&raw).await;
        raw.into_iter()
            .zip(plain)
            .map(|((key, _), plain)| Ok((key, plain?)))
            .collect()
    }

    /// Opens one stored record (decrypts a sealed one; a plaintext one as it is).
    async fn open_chunk(key: &[String], bytes: &[u8]) -> Result<Vec<u8>, StorageError> {
        let k = crate::lock::crypto::key();
        crate::lock::crypto::open(k.as_ref(), &crate::lock::aad(key), bytes)
            .await
            .map_err(|e| StorageError::Locked(format!("{key:?}: {e}")))
    }

    fn prefix_range(prefix: &[String]) -> Result<IdbKeyRange, StorageError> {
        IdbKeyRange::bound(&key_js(prefix), &key_js(&range_upper(prefix))).map_err(|e| js_error(&e))
    }
}

/// Where a damaged record is set aside: `["damaged", …its key]` (not a
/// document's chunk, so never loaded, and kept for whoever investigates).
pub fn set_aside_key(key: &[String]) -> StorageKey {
    std::iter::once("damaged".to_owned())
        .chain(key.iter().cloned())
        .collect()
}

/// The distinct documents that have snapshot or incremental chunks among `keys`.
pub fn documents_in(keys: &[StorageKey]) -> Vec<yanzhen_sync::DocumentId> {
    let mut ids: Vec<yanzhen_sync::DocumentId> = keys
        .iter()
        .filter(|k| yanzhen_sync::storage::chunk_kind(k).is_some() && k.len() == 3)
        .filter_map(|k| k[0].parse().ok())
        .collect();
    sorting::sort(&mut ids);
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use yanzhen_sync::DocumentId;

    #[test]
    fn dom_exceptions_are_classified() {
        assert!(matches!(
            StorageError::from_dom("QuotaExceededError", "full"),
            StorageError::QuotaExceeded(_)
        ));
        assert!(matches!(
            StorageError::from_dom("InvalidStateError", "closing"),
            StorageError::Closed(_)
        ));
        assert!(matches!(
            StorageError::from_dom("UnknownError", "disk"),
            StorageError::Failed { .. }
        ));
    }

    #[test]
    fn range_upper_appends_the_highest_bmp_char() {
        let p = vec!["d".to_owned(), "snapshot".to_owned()];
        assert_eq!(range_upper(&p), vec!["d", "snapshot", "\u{ffff}"]);
    }

    #[test]
    fn documents_are_found_from_chunk_keys_only() {
        let a = DocumentId::from_bytes([1; 16]);
        let b = DocumentId::from_bytes([2; 16]);
        let keys: Vec<StorageKey> = vec![
            vec![a.to_string(), "snapshot".into(), "h".into()],
            vec![a.to_string(), "incremental".into(), "i".into()],
            vec![b.to_string(), "incremental".into(), "j".into()],
            vec![b.to_string(), "sync-state".into(), "s".into()],
            vec!["storage-adapter-id".into()],
            vec!["not-an-id".into(), "snapshot".into(), "h".into()],
        ];
        let mut want = vec![a, b];
        want.sort();
        assert_eq!(documents_in(&keys), want);
    }

    #[test]
    fn a_record_set_aside_is_no_chunk_of_any_document() {
        let a = DocumentId::from_bytes([1; 16]);
        let key = vec![a.to_string(), "incremental".into(), "h".into()];
        let aside = set_aside_key(&key);
        assert_eq!(aside[0], "damaged");
        assert_eq!(&aside[1..], key.as_slice());
        assert!(documents_in(&[aside]).is_empty());
    }
}
