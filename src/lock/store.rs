//! The lock's small records in local storage (gloo-storage): the lock
//! record, the wrong-PIN counter, the auto-lock setting and the "wiped"
//! record — and the erasing of a revoked tablet's data. Outside a browser
//! (native unit tests) nothing is stored.

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
}

pub use browser::{
    attempts, clear_attempts, clear_wiped, forget_tablet, lock_after, lock_record, save_attempts,
    save_lock_after, save_lock_record, save_wiped, wiped,
};

/// The auto-lock setting in minutes (the default if none is saved).
pub fn lock_after_minutes() -> u32 {
    super::lock_after_minutes(lock_after())
}
