//! What the lock does in the browser: create the lock at enrolment (or once
//! after the update), unlock, lock now (after pending saves), change the
//! PIN, and wipe a revoked tablet (browser only; they compile natively so
//! components need no `cfg`, but are never called there). The pure decisions are in [`super`]; the
//! crypto in [`super::crypto`]; the records in [`super::store`]; the sealed
//! secrets in [`super::secrets`].
//!
//! **Back-off:** the kept [`Backoff`] is loaded once at start
//! ([`load_backoff`]) and counted down on `performance.now()` (monotonic:
//! a changed wall clock changes nothing); [`keep_countdown`] writes what is
//! left back (the unlock screen calls it every second), so a reload goes on
//! from there. A wrong PIN is counted *before* the PIN is tried, so closing
//! the page mid-attempt does not save an attempt from the count.

use std::cell::RefCell;

use super::crypto::{self, CryptoError};
use super::{Backoff, Countdown, LockRecord, SAVE_WAIT_MS, UNLOCKED_MARK, Wiped, secrets, store};
use crate::sync::idb::StorageError;
use web_sys::CryptoKey;

/// Why unlocking failed.
#[derive(Clone, Debug, PartialEq)]
pub enum UnlockError {
    /// Wrong PIN (the GCM tag failed); the back-off is now this.
    Wrong(Backoff),
    /// Too many wrong PINs: wait this many milliseconds.
    Wait(f64),
    /// No usable lock record, or no WebCrypto.
    Broken(String),
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// Monotonic milliseconds (`performance.now()`; 0 outside a browser).
pub fn monotonic_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

thread_local! {
    static COUNTDOWN: RefCell<Option<Countdown>> = const { RefCell::new(None) };
}

fn countdown() -> Countdown {
    COUNTDOWN
        .with(|c| *c.borrow())
        .unwrap_or_else(|| Countdown::new(Backoff::default(), monotonic_ms()))
}

fn set_countdown(c: Countdown) {
    COUNTDOWN.with(|x| *x.borrow_mut() = Some(c));
}

/// Loads the kept back-off (the stricter of local storage and IndexedDB)
/// and starts counting it down.
pub async fn load_backoff() {
    let kept = store::backoff().await;
    set_countdown(Countdown::new(kept, monotonic_ms()));
}

/// Milliseconds before the next PIN attempt is allowed (0: now).
pub fn backoff_remaining_ms() -> f64 {
    countdown().remaining_ms(monotonic_ms())
}

/// Writes what is left of the wait back (nothing to do without a wait).
pub async fn keep_countdown() {
    let b = countdown().at(monotonic_ms());
    if b.failures > 0 {
        let _ = store::keep_backoff(&b).await;
    }
}

/// Tries `pin`: on success the data key is in memory, the back-off is
/// cleared, the sealed secrets are opened into memory (a plaintext
/// enrolment of an earlier version sealed first) and the `yanzhen:unlocked`
/// mark is set.
pub async fn unlock(pin: &str) -> Result<(), UnlockError> {
    let mut c = countdown();
    let wait = c.remaining_ms(monotonic_ms());
    if wait > 0.0 {
        return Err(UnlockError::Wait(wait));
    }
    let record = store::lock_record().ok_or_else(|| UnlockError::Broken("no lock".into()))?;
    // Counted before trying (see the module docs); undone if right.
    let before = c;
    let failed = c.failed(monotonic_ms());
    set_countdown(c);
    let _ = store::keep_backoff(&failed).await;
    match crypto::unlock(&record, pin).await {
        Ok(key) => {
            c.clear(monotonic_ms());
            set_countdown(c);
            let _ = store::keep_backoff(&Backoff::default()).await;
            crypto::set_key(key);
            open_secrets().await;
            crate::sync::repo::performance_mark(UNLOCKED_MARK);
            Ok(())
        }
        Err(CryptoError::WrongKey) => Err(UnlockError::Wrong(failed)),
        Err(e) => {
            set_countdown(before);
            let _ = store::keep_backoff(&before.at(monotonic_ms())).await;
            Err(UnlockError::Broken(e.to_string()))
        }
    }
}

/// With the data key in memory: seals a plaintext enrolment of an earlier
/// version and opens the sealed one into memory. A sealed enrolment that
/// does not open leaves the tablet not enrolled (it enrols again).
pub async fn open_secrets() {
    let _ = secrets::seal_legacy().await;
    let _ = secrets::open_enrolment().await;
}

/// A new lock for `pin` (not kept yet): the record and the data key.
pub async fn prepare(pin: &str) -> Result<(LockRecord, CryptoKey), CryptoError> {
    crypto::create_lock(pin).await
}

/// Keeps a prepared lock: the record durably in IndexedDB and in local
/// storage, then the key in memory (nothing is sealed with a key whose
/// record could still be lost, see [`store`]).
pub async fn keep(record: &LockRecord, key: CryptoKey) -> Result<(), store::StoreError> {
    store::keep_lock_durably(record).await?;
    store::save_lock_record(record)?;
    let _ = store::keep_backoff(&Backoff::default()).await;
    set_countdown(Countdown::new(Backoff::default(), monotonic_ms()));
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
        .map_err(|e| CryptoError::Failed(e.to_string()))?;
    store::save_lock_record(&fresh).map_err(|e| CryptoError::Failed(e.to_string()))
}

/// Waits until no document save is pending (at most [`SAVE_WAIT_MS`]),
/// forgets the key and reloads to the unlock screen.
pub async fn lock_now(saves_pending: impl Fn() -> bool) {
    let until = now() + SAVE_WAIT_MS;
    while saves_pending() && now() < until {
        gloo_sleep(100).await;
    }
    crypto::forget_key();
    secrets::forget();
    reload();
}

/// The server says this tablet is revoked: note why (and whether edits the
/// server had not confirmed go with the data, so the screen can say both
/// after the reload), forget the key and reload; the wiped screen then
/// erases the data.
pub fn revoked(reason: &str, unsynced: bool) {
    let _ = store::save_wiped(&Wiped {
        at: now() as i64,
        reason: reason.to_owned(),
        erased: false,
        unsynced,
    });
    crypto::forget_key();
    secrets::forget();
    reload();
}

/// Erases a revoked tablet's data (or the unreadable data of a tablet that
/// lost its lock): the IndexedDB databases (documents; the durable lock
/// record, the sealed enrolment and the back-off), the lock, a plaintext
/// enrolment of an earlier version, the back-off and the sync identity
/// (language and server settings stay). Marks the wiped record erased.
pub async fn erase() -> Result<(), StorageError> {
    crypto::forget_key();
    secrets::forget();
    store::forget_tablet();
    #[cfg(target_arch = "wasm32")]
    crate::sync::idb::delete_database(crate::sync::idb::DATABASE).await?;
    store::forget_durable()
        .await
        .map_err(|e| StorageError::Unavailable(e.to_string()))?;
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
