//! The lock's small records (gloo-storage and IndexedDB): the lock record,
//! the wrong-PIN back-off, the auto-lock setting and the "wiped" record —
//! what is found at start ([`found`]) — and the erasing of a tablet's data.
//! Outside a browser (native unit tests) nothing is stored.
//!
//! **A durable copy.** Local storage is written to disk lazily (Chromium
//! commits it seconds, under load up to a minute, after the write), so a
//! tablet whose battery dies right after enrolment could come back without
//! its lock record — and then its encrypted chunks, saved durably in
//! IndexedDB, could never be opened again. So the lock record (before the
//! data key is used) is also kept in IndexedDB, in the database
//! [`TABLET_DATABASE`] (plain JSON: it is already wrapped by the PIN), and
//! [`found`] puts it back at start when local storage lost it. The sealed
//! enrolment ([`super::secrets`]) lives in the same database.
//!
//! **Attestations** ([`attestations`], [`keep_attestations`]): the server's
//! newest signed heads of each document, for sealed export files made
//! offline, are kept there too (not secret).
//!
//! **The back-off** ([`super::Backoff`]) is kept in local storage and in
//! that database; the stricter of the two copies counts, so wiping local
//! storage does not reset it. A wipe deletes the database too.

/// Why a lock record could not be kept or erased (the record in memory
/// is unchanged; the caller tells the person).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// Local storage refused the write (full, or disabled).
    #[error("local storage: {0}")]
    Local(String),
    /// IndexedDB refused or failed (full, closed, unavailable, …).
    #[error(transparent)]
    Idb(#[from] crate::sync::idb::StorageError),
    /// The value could not be encoded as JSON.
    #[error("cannot encode: {0}")]
    Encode(String),
}

impl From<StoreError> for crate::sync::idb::StorageError {
    /// As the sync status shows a storage problem: IndexedDB's own error
    /// (a full disk stays "full"), anything else as unavailable storage.
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Idb(e) => e,
            other => crate::sync::idb::StorageError::Unavailable(other.to_string()),
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::super::{
        ATTEMPTS_KEY, BACKOFF_KEY, Backoff, Found, LOCK_AFTER_KEY, LOCK_KEY, LockFound, LockRecord,
        OldAttempts, WIPED_KEY, Wiped,
    };
    use super::StoreError;
    use crate::access::device::Enrolment;
    use crate::settings::ENROLMENT_KEY;
    use gloo_storage::{LocalStorage, Storage as _};
    use yanzhen_sync::attest::Attestation;

    pub fn lock_record() -> Option<LockRecord> {
        LocalStorage::get(LOCK_KEY).ok()
    }
    pub fn save_lock_record(r: &LockRecord) -> Result<(), StoreError> {
        LocalStorage::set(LOCK_KEY, r).map_err(|e| StoreError::Local(e.to_string()))
    }

    /// The back-off in local storage (that of the version before, read as
    /// its full wait).
    fn local_backoff() -> Backoff {
        LocalStorage::get::<Backoff>(BACKOFF_KEY)
            .ok()
            .or_else(|| {
                LocalStorage::get::<OldAttempts>(ATTEMPTS_KEY)
                    .ok()
                    .map(Backoff::from)
            })
            .unwrap_or_default()
    }

    pub async fn backoff() -> Backoff {
        let durable = get_durable::<Backoff>(BACKOFF_KEY)
            .await
            .unwrap_or_default();
        local_backoff().stricter(durable)
    }

    pub async fn keep_backoff(b: &Backoff) -> Result<(), StoreError> {
        let _ = LocalStorage::set(BACKOFF_KEY, b);
        LocalStorage::delete(ATTEMPTS_KEY);
        put_durable(BACKOFF_KEY, b).await
    }
    pub fn lock_after() -> Option<u32> {
        LocalStorage::get(LOCK_AFTER_KEY).ok()
    }
    pub fn save_lock_after(minutes: u32) -> Result<(), StoreError> {
        LocalStorage::set(LOCK_AFTER_KEY, minutes).map_err(|e| StoreError::Local(e.to_string()))
    }
    pub fn wiped() -> Option<Wiped> {
        LocalStorage::get(WIPED_KEY).ok()
    }
    pub fn save_wiped(w: &Wiped) -> Result<(), StoreError> {
        LocalStorage::set(WIPED_KEY, w).map_err(|e| StoreError::Local(e.to_string()))
    }
    pub fn clear_wiped() {
        LocalStorage::delete(WIPED_KEY);
    }

    async fn durable_db() -> Result<crate::sync::idb::IdbStore, StoreError> {
        crate::sync::idb::IdbStore::open(super::TABLET_DATABASE, super::TABLET_STORE)
            .await
            .map_err(StoreError::Idb)
    }

    async fn put_durable<T: serde::Serialize>(key: &str, value: &T) -> Result<(), StoreError> {
        let json = serde_json::to_vec(value).map_err(|e| StoreError::Encode(e.to_string()))?;
        let db = durable_db().await?;
        let put = db.put_plain(&[key.to_owned()], &json).await;
        db.close();
        put.map_err(StoreError::Idb)
    }

    async fn get_durable<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
        let db = durable_db().await.ok()?;
        let got = db.get_plain(&[key.to_owned()]).await;
        db.close();
        serde_json::from_slice(&got.ok()??).ok()
    }

    pub async fn keep_lock_durably(r: &LockRecord) -> Result<(), StoreError> {
        put_durable(LOCK_KEY, r).await
    }

    pub async fn attestations() -> Vec<Attestation> {
        get_durable::<Vec<Attestation>>(super::ATTESTATIONS_KEY)
            .await
            .unwrap_or_default()
    }

    pub async fn keep_attestations(a: &[Attestation]) -> Result<(), StoreError> {
        put_durable(super::ATTESTATIONS_KEY, &a).await
    }

    /// The names of the carried files waiting for the server (oldest first).
    pub async fn pending_relays() -> Vec<String> {
        get_durable::<Vec<String>>(super::RELAY_PENDING_KEY)
            .await
            .unwrap_or_default()
    }

    /// Keeps a carried file (sealed: nothing readable without the transfer
    /// key) until the server has taken its vouched edits; at most
    /// [`super::MAX_PENDING_RELAYS`] (the oldest go first).
    pub async fn keep_pending_relay(name: &str, file: &[u8]) -> Result<(), StoreError> {
        let db = durable_db().await?;
        let put = db
            .put_plain(&[super::relay_file_key(name)], file)
            .await
            .map_err(StoreError::Idb);
        db.close();
        put?;
        let mut names = pending_relays().await;
        if !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
        let dropped: Vec<String> = names
            .drain(..names.len().saturating_sub(super::MAX_PENDING_RELAYS))
            .collect();
        put_durable(super::RELAY_PENDING_KEY, &names).await?;
        for n in dropped {
            forget_pending_relay_file(&n).await;
        }
        Ok(())
    }

    /// A kept carried file's bytes.
    pub async fn pending_relay(name: &str) -> Option<Vec<u8>> {
        let db = durable_db().await.ok()?;
        let got = db.get_plain(&[super::relay_file_key(name)]).await;
        db.close();
        got.ok()?
    }

    async fn forget_pending_relay_file(name: &str) {
        if let Ok(db) = durable_db().await {
            let _ = db.delete_all(&[vec![super::relay_file_key(name)]]).await;
            db.close();
        }
    }

    /// Forgets a carried file the server has dealt with.
    pub async fn forget_pending_relay(name: &str) -> Result<(), StoreError> {
        let mut names = pending_relays().await;
        names.retain(|n| n != name);
        put_durable(super::RELAY_PENDING_KEY, &names).await?;
        forget_pending_relay_file(name).await;
        Ok(())
    }

    /// The lock record: local storage's, or else the durable copy (put
    /// back into local storage).
    async fn lock_found() -> LockFound {
        let raw: Option<serde_json::Value> = match LocalStorage::get::<serde_json::Value>(LOCK_KEY)
        {
            Ok(v) => Some(v),
            Err(_) => get_durable::<serde_json::Value>(LOCK_KEY).await,
        };
        let Some(raw) = raw else {
            // Something unreadable under the key counts as a damaged lock.
            let there = web_sys::window()
                .and_then(|w| w.local_storage().ok().flatten())
                .and_then(|s| s.get_item(LOCK_KEY).ok().flatten())
                .is_some();
            return if there {
                LockFound::Unusable
            } else {
                LockFound::Missing
            };
        };
        match serde_json::from_value::<LockRecord>(raw) {
            Ok(r) if r.parts().is_ok() => {
                if lock_record().is_none() {
                    let _ = save_lock_record(&r);
                }
                LockFound::Present
            }
            _ => LockFound::Unusable,
        }
    }

    pub async fn found() -> Found {
        if wiped().is_some() {
            // Being erased: nothing else matters (and nothing is opened).
            return Found {
                wiped: true,
                lock: LockFound::Missing,
                sealed: false,
                legacy_enrolment: false,
            };
        }
        let lock = lock_found().await;
        let legacy_enrolment = legacy_enrolment().await.is_some();
        // Sealed records are looked for only when no lock opens them.
        let sealed = lock == LockFound::Missing
            && (super::super::secrets::has_sealed_enrolment().await || any_sealed_chunk().await);
        Found {
            wiped: false,
            lock,
            sealed,
            legacy_enrolment,
        }
    }

    /// Whether the documents' database holds a sealed chunk.
    async fn any_sealed_chunk() -> bool {
        let Ok(db) = crate::sync::idb::IdbStore::open_default().await else {
            return false;
        };
        let any = db.any_sealed().await;
        db.close();
        // Unreadable: assume there is (the safe side).
        any.unwrap_or(true)
    }

    pub async fn legacy_enrolment() -> Option<Enrolment> {
        match LocalStorage::get::<Enrolment>(ENROLMENT_KEY) {
            Ok(e) => Some(e),
            Err(_) => get_durable::<Enrolment>(ENROLMENT_KEY).await,
        }
    }

    pub async fn forget_legacy_enrolment() -> Result<(), StoreError> {
        LocalStorage::delete(ENROLMENT_KEY);
        let db = durable_db().await?;
        let gone = db.delete_all(&[vec![ENROLMENT_KEY.to_owned()]]).await;
        db.close();
        gone.map_err(StoreError::Idb)
    }

    pub async fn forget_durable() -> Result<(), StoreError> {
        crate::sync::idb::delete_database(super::TABLET_DATABASE)
            .await
            .map_err(StoreError::Idb)
    }
    /// Forgets the lock, a plaintext enrolment of an earlier version, the
    /// wrong-PIN back-off and the sync identity (language and server
    /// settings stay).
    pub fn forget_tablet() {
        for key in [
            LOCK_KEY,
            ATTEMPTS_KEY,
            BACKOFF_KEY,
            ENROLMENT_KEY,
            crate::sync::status::IDENTITY_KEY,
        ] {
            LocalStorage::delete(key);
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod browser {
    use super::super::{Backoff, Found, LockFound, LockRecord, Wiped};
    use super::StoreError;
    use crate::access::device::Enrolment;
    pub fn lock_record() -> Option<LockRecord> {
        None
    }
    pub fn save_lock_record(_r: &LockRecord) -> Result<(), StoreError> {
        Ok(())
    }
    pub async fn backoff() -> Backoff {
        Backoff::default()
    }
    pub async fn keep_backoff(_b: &Backoff) -> Result<(), StoreError> {
        Ok(())
    }
    pub async fn found() -> Found {
        Found {
            wiped: false,
            lock: LockFound::Missing,
            sealed: false,
            legacy_enrolment: false,
        }
    }
    pub async fn legacy_enrolment() -> Option<Enrolment> {
        None
    }
    pub async fn forget_legacy_enrolment() -> Result<(), StoreError> {
        Ok(())
    }
    pub fn lock_after() -> Option<u32> {
        None
    }
    pub fn save_lock_after(_m: u32) -> Result<(), StoreError> {
        Ok(())
    }
    pub fn wiped() -> Option<Wiped> {
        None
    }
    pub fn save_wiped(_w: &Wiped) -> Result<(), StoreError> {
        Ok(())
    }
    pub fn clear_wiped() {}
    pub fn forget_tablet() {}
    pub async fn keep_lock_durably(_r: &LockRecord) -> Result<(), StoreError> {
        Ok(())
    }
    pub async fn forget_durable() -> Result<(), StoreError> {
        Ok(())
    }
    pub async fn attestations() -> Vec<yanzhen_sync::attest::Attestation> {
        Vec::new()
    }
    pub async fn keep_attestations(
        _a: &[yanzhen_sync::attest::Attestation],
    ) -> Result<(), StoreError> {
        Ok(())
    }
    pub async fn pending_relays() -> Vec<String> {
        Vec::new()
    }
    pub async fn keep_pending_relay(_name: &str, _file: &[u8]) -> Result<(), StoreError> {
        Ok(())
    }
    pub async fn pending_relay(_name: &str) -> Option<Vec<u8>> {
        None
    }
    pub async fn forget_pending_relay(_name: &str) -> Result<(), StoreError> {
        Ok(())
    }
}

pub use browser::{
    attestations, backoff, clear_wiped, forget_durable, forget_legacy_enrolment,
    forget_pending_relay, forget_tablet, found, keep_attestations, keep_backoff, keep_lock_durably,
    keep_pending_relay, legacy_enrolment, lock_after, lock_record, pending_relay, pending_relays,
    save_lock_after, save_lock_record, save_wiped, wiped,
};

/// The key of the list of carried files waiting for the server
/// ([`keep_pending_relay`]) in [`TABLET_DATABASE`].
pub const RELAY_PENDING_KEY: &str = "yanzhen.relay.pending.v1";

/// The most carried files a tablet keeps for the server.
pub const MAX_PENDING_RELAYS: usize = 16;

/// The key of one carried file (by its name, a digest of its bytes).
pub fn relay_file_key(name: &str) -> String {
    format!("yanzhen.relay.file.v1.{name}")
}

/// The key of the server's newest attestations of the tablet's documents
/// in [`TABLET_DATABASE`] (plain JSON: document ids, heads and the
/// server's signatures, nothing secret; see [`crate::sync::transfer`]).
pub const ATTESTATIONS_KEY: &str = "yanzhen.attestations.v1";

/// The IndexedDB database with the durable copy of the lock record, the
/// sealed enrolment and the back-off (keys: their local-storage keys, and
/// [`super::secrets::ENROLMENT_SEALED_KEY`]).
pub const TABLET_DATABASE: &str = "yanzhen-tablet";
/// Its object store.
pub const TABLET_STORE: &str = "records";

/// The auto-lock setting in minutes (the default if none is saved).
pub fn lock_after_minutes() -> u32 {
    super::lock_after_minutes(lock_after())
}

#[cfg(test)]
mod tests {
    use super::StoreError;
    use crate::sync::idb::StorageError;

    #[test]
    fn a_full_disk_stays_full_in_the_sync_status() {
        let full = StorageError::QuotaExceeded("quota".into());
        assert_eq!(StorageError::from(StoreError::Idb(full.clone())), full);
        assert!(matches!(
            StorageError::from(StoreError::Local("refused".into())),
            StorageError::Unavailable(m) if m.contains("refused")
        ));
    }
}
