//! The lock's small records in local storage (gloo-storage): the lock
//! record, the wrong-PIN counter, the auto-lock setting and the "wiped"
//! record — and the erasing of a revoked tablet's data. Outside a browser
//! (native unit tests) nothing is stored.
//!
//! **A durable copy.** Local storage is written to disk lazily (Chromium
//! commits it seconds, under load up to a minute, after the write), so a
//! tablet whose battery dies right after enrolment could come back without
//! its lock record — and then its encrypted chunks, saved durably in
//! IndexedDB, could never be opened again. So the lock record (before the
//! data key is used) and the enrolment are also kept in IndexedDB, in the
//! database [`TABLET_DATABASE`] (plain JSON: the lock record is already
//! wrapped by the PIN), and [`restore`] puts them back at start when local
//! storage lost them. A wipe deletes that database too.

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::super::{
        ATTEMPTS_KEY, Attempts, LOCK_AFTER_KEY, LOCK_KEY, LockRecord, WIPED_KEY, Wiped,
    };
    use gloo_storage::{LocalStorage, Storage as _};

    pub fn lock_record() -> Option<LockRecord> {
        LocalStorage::get(LOCK_KEY).ok()
    }
    pub fn save_lock_record(r: &LockRecord) -> Result<(), String> {
        LocalStorage::set(LOCK_KEY, r).map_err(|e| e.to_string())
    }
    pub fn attempts() -> Attempts {
        LocalStorage::get(ATTEMPTS_KEY).unwrap_or_default()
    }
    pub fn save_attempts(a: &Attempts) {
        let _ = LocalStorage::set(ATTEMPTS_KEY, a);
    }
    pub fn clear_attempts() {
        LocalStorage::delete(ATTEMPTS_KEY);
    }
    pub fn lock_after() -> Option<u32> {
        LocalStorage::get(LOCK_AFTER_KEY).ok()
    }
    pub fn save_lock_after(minutes: u32) -> Result<(), String> {
        LocalStorage::set(LOCK_AFTER_KEY, minutes).map_err(|e| e.to_string())
    }
    pub fn wiped() -> Option<Wiped> {
        LocalStorage::get(WIPED_KEY).ok()
    }
    pub fn save_wiped(w: &Wiped) -> Result<(), String> {
        LocalStorage::set(WIPED_KEY, w).map_err(|e| e.to_string())
    }
    pub fn clear_wiped() {
        LocalStorage::delete(WIPED_KEY);
    }

    async fn durable_db() -> Result<crate::sync::idb::IdbStore, String> {
        crate::sync::idb::IdbStore::open(super::TABLET_DATABASE, super::TABLET_STORE)
            .await
            .map_err(|e| e.to_string())
    }

    async fn put_durable<T: serde::Serialize>(key: &str, value: &T) -> Result<(), String> {
        let json = serde_json::to_vec(value).map_err(|e| e.to_string())?;
        let db = durable_db().await?;
        let put = db.put_plain(&[key.to_owned()], &json).await;
        db.close();
        put.map_err(|e| e.to_string())
    }

    async fn get_durable<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
        let db = durable_db().await.ok()?;
        let got = db.get_plain(&[key.to_owned()]).await;
        db.close();
        serde_json::from_slice(&got.ok()??).ok()
    }

    pub async fn keep_lock_durably(r: &LockRecord) -> Result<(), String> {
        put_durable(LOCK_KEY, r).await
    }

    pub async fn keep_enrolment_durably(
        e: &crate::access::device::Enrolment,
    ) -> Result<(), String> {
        put_durable(crate::settings::ENROLMENT_KEY, e).await
    }

    pub async fn restore() -> super::Restored {
        let mut restored = super::Restored::default();
        if lock_record().is_none()
            && let Some(r) = get_durable::<LockRecord>(LOCK_KEY).await
        {
            restored.lock = save_lock_record(&r).is_ok();
        }
        if crate::settings::load_enrolment().is_none()
            && let Some(e) =
                get_durable::<crate::access::device::Enrolment>(crate::settings::ENROLMENT_KEY)
                    .await
        {
            restored.enrolment = crate::settings::save_enrolment(&e).is_ok();
        }
        restored
    }

    pub async fn forget_durable() -> Result<(), String> {
        crate::sync::idb::delete_database(super::TABLET_DATABASE)
            .await
            .map_err(|e| e.to_string())
    }
    /// Forgets the lock, the enrolment, the wrong-PIN counter and the sync
    /// identity (language and server settings stay).
    pub fn forget_tablet() {
        for key in [
            LOCK_KEY,
            ATTEMPTS_KEY,
            crate::settings::ENROLMENT_KEY,
            crate::sync::status::IDENTITY_KEY,
        ] {
            LocalStorage::delete(key);
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod browser {
    use super::super::{Attempts, LockRecord, Wiped};
    pub fn lock_record() -> Option<LockRecord> {
        None
    }
    pub fn save_lock_record(_r: &LockRecord) -> Result<(), String> {
        Ok(())
    }
    pub fn attempts() -> Attempts {
        Attempts::default()
    }
    pub fn save_attempts(_a: &Attempts) {}
    pub fn clear_attempts() {}
    pub fn lock_after() -> Option<u32> {
        None
    }
    pub fn save_lock_after(_m: u32) -> Result<(), String> {
        Ok(())
    }
    pub fn wiped() -> Option<Wiped> {
        None
    }
    pub fn save_wiped(_w: &Wiped) -> Result<(), String> {
        Ok(())
    }
    pub fn clear_wiped() {}
    pub fn forget_tablet() {}
    pub async fn keep_lock_durably(_r: &LockRecord) -> Result<(), String> {
        Ok(())
    }
    pub async fn keep_enrolment_durably(
        _e: &crate::access::device::Enrolment,
    ) -> Result<(), String> {
        Ok(())
    }
    pub async fn restore() -> super::Restored {
        super::Restored::default()
    }
    pub async fn forget_durable() -> Result<(), String> {
        Ok(())
    }
}

pub use browser::{
    attempts, clear_attempts, clear_wiped, forget_durable, forget_tablet, keep_enrolment_durably,
    keep_lock_durably, lock_after, lock_record, restore, save_attempts, save_lock_after,
    save_lock_record, save_wiped, wiped,
};

/// The IndexedDB database with the durable copy of the lock record and the
/// enrolment (keys: their local-storage keys).
pub const TABLET_DATABASE: &str = "yanzhen-tablet";
/// Its object store.
pub const TABLET_STORE: &str = "records";

/// What [`restore`] put back into local storage from the durable copy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Restored {
    pub lock: bool,
    pub enrolment: bool,
}

/// The auto-lock setting in minutes (the default if none is saved).
pub fn lock_after_minutes() -> u32 {
    super::lock_after_minutes(lock_after())
}
