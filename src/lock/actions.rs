//! What the lock does in the browser: create the lock at enrolment (or once
//! after the update), unlock, lock now (after pending saves), change the
//! PIN, and wipe a revoked tablet (browser only; they compile natively so
//! components need no `cfg`, but are never called there). The pure decisions are in [`super`]; the
//! crypto in [`super::crypto`]; the records in [`super::store`].

use super::crypto::{self, CryptoError};
use super::{Attempts, LockRecord, SAVE_WAIT_MS, UNLOCKED_MARK, Wiped, store};
use crate::sync::idb::StorageError;
use web_sys::CryptoKey;

/// Why unlocking failed.
#[derive(Clone, Debug, PartialEq)]
pub enum UnlockError {
    /// Wrong PIN (the GCM tag failed); the counter is now this.
    Wrong(Attempts),
    /// Too many wrong PINs: wait this many milliseconds.
    Wait(f64),
    /// No usable lock record, or no WebCrypto.
    Broken(String),
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// Tries `pin`: on success the data key is in memory, the counter is reset
/// and the `yanzhen:unlocked` mark is set.
pub async fn unlock(pin: &str) -> Result<(), UnlockError> {
    let attempts = store::attempts();
    let wait = attempts.remaining_ms(now());
    if wait > 0.0 {
        return Err(UnlockError::Wait(wait));
    }
    let record = store::lock_record().ok_or_else(|| UnlockError::Broken("no lock".into()))?;
    match crypto::unlock(&record, pin).await {
        Ok(key) => {
            store::clear_attempts();
            crypto::set_key(key);
            crate::sync::repo::performance_mark(UNLOCKED_MARK);
            Ok(())
        }
        Err(CryptoError::WrongKey) => {
            let a = attempts.failed(now());
            store::save_attempts(&a);
            Err(UnlockError::Wrong(a))
        }
        Err(e) => Err(UnlockError::Broken(e.to_string())),
    }
}

/// A new lock for `pin` (not kept yet): the record and the data key.
pub async fn prepare(pin: &str) -> Result<(LockRecord, CryptoKey), CryptoError> {
    crypto::create_lock(pin).await
}

/// Keeps a prepared lock: the record durably in IndexedDB and in local
/// storage, then the key in memory (nothing is sealed with a key whose
/// record could still be lost, see [`store`]).
pub async fn keep(record: &LockRecord, key: CryptoKey) -> Result<(), String> {
    store::keep_lock_durably(record).await?;
    store::save_lock_record(record)?;
    store::clear_attempts();
    crypto::set_key(key);
    Ok(())
}

/// Rewrites every plaintext chunk in IndexedDB encrypted (after the lock
/// was created). Returns how many were rewritten.
pub async fn encrypt_stored() -> Result<usize, StorageError> {
    #[cfg(target_arch = "wasm32")]
    {
        let db = crate::sync::idb::IdbStore::open_default().await?;
        let n = db.encrypt_plaintext().await;
        db.close();
        n
    }
    #[cfg(not(target_arch = "wasm32"))]
    Err(StorageError::Unavailable("not a browser".to_owned()))
}

/// Changes the PIN: the data key is re-wrapped, the chunks stay.
pub async fn change_pin(old: &str, new: &str) -> Result<(), CryptoError> {
    let record = store::lock_record().ok_or(CryptoError::Malformed("no lock".into()))?;
    let fresh = crypto::rewrap(&record, old, new).await?;
    store::keep_lock_durably(&fresh)
        .await
        .map_err(CryptoError::Failed)?;
    store::save_lock_record(&fresh).map_err(CryptoError::Failed)
}

/// Waits until no document save is pending (at most [`SAVE_WAIT_MS`]),
/// forgets the key and reloads to the unlock screen.
pub async fn lock_now(saves_pending: impl Fn() -> bool) {
    let until = now() + SAVE_WAIT_MS;
    while saves_pending() && now() < until {
        gloo_sleep(100).await;
    }
    crypto::forget_key();
    reload();
}

/// The server says this tablet is revoked: note why (so the screen can say
/// it after the reload), forget the key and reload; the wiped screen then
/// erases the data.
pub fn revoked(reason: &str) {
    let _ = store::save_wiped(&Wiped {
        at: now() as i64,
        reason: reason.to_owned(),
        erased: false,
    });
    crypto::forget_key();
    reload();
}

/// Erases a revoked tablet's data: the IndexedDB databases (documents and
/// the durable copy of lock and enrolment), the lock, the enrolment, the wrong-PIN counter and the sync identity (language and
/// server settings stay). Marks the wiped record erased.
pub async fn erase() -> Result<(), StorageError> {
    crypto::forget_key();
    store::forget_tablet();
    #[cfg(target_arch = "wasm32")]
    crate::sync::idb::delete_database(crate::sync::idb::DATABASE).await?;
    store::forget_durable()
        .await
        .map_err(StorageError::Unavailable)?;
    if let Some(mut w) = store::wiped() {
        w.erased = true;
        let _ = store::save_wiped(&w);
    }
    Ok(())
}

/// Reloads the page (the app starts again from its gate).
pub fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

async fn gloo_sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
}
