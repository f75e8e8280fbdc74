//! The tablet's secrets, kept only sealed under the data key: the
//! enrolment (the device token and what the server said about the device).
//!
//! Whoever holds the token can sync the unit's documents from the server
//! (and, for an admin tablet, issue enrolment codes), so it is as secret as
//! the records: it is stored only as `YZE1 ‖ nonce ‖ AES-256-GCM(JSON)` in the
//! IndexedDB database [`super::store::TABLET_DATABASE`] under
//! [`ENROLMENT_SEALED_KEY`] (that key as associated data), and read into
//! memory ([`enrolment`]) only after the PIN opened the data key. Before
//! that the app knows only that a sealed enrolment exists
//! ([`has_sealed_enrolment`]), so a locked tablet has no token to sync or
//! call the server with.
//!
//! A version before this kept the enrolment in plaintext (local storage
//! [`crate::settings::ENROLMENT_KEY`] and a copy in the same database):
//! [`seal_legacy`] seals it once the data key is in memory and deletes both
//! plaintext copies.

use crate::access::device::Enrolment;
use std::cell::RefCell;

/// The key of the sealed enrolment in [`super::store::TABLET_DATABASE`].
pub const ENROLMENT_SEALED_KEY: &str = "yanzhen.enrolment.sealed.v2";

/// Why a secret could not be kept or read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// The data key is not in memory: nothing is kept unsealed.
    #[error("locked: no data key in memory")]
    Locked,
    /// WebCrypto failed, or the sealed record does not open.
    #[error("crypto: {0}")]
    Crypto(String),
    /// IndexedDB failed.
    #[error("storage: {0}")]
    Storage(String),
    /// The record is not a sealed enrolment.
    #[error("unreadable: {0}")]
    Unreadable(String),
}

thread_local! {
    static ENROLMENT: RefCell<Option<Enrolment>> = const { RefCell::new(None) };
}

/// The enrolment in memory (after unlocking; `None` while locked or when
/// the tablet is not enrolled).
pub fn enrolment() -> Option<Enrolment> {
    ENROLMENT.with(|e| e.borrow().clone())
}

fn remember(e: Option<Enrolment>) {
    ENROLMENT.with(|m| *m.borrow_mut() = e);
}

/// Forgets the enrolment in memory (locking).
pub fn forget() {
    remember(None);
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::{ENROLMENT_SEALED_KEY, Enrolment, SecretError, remember};
    use crate::lock::{aad, crypto, is_sealed, store};
    use crate::sync::idb::IdbStore;

    fn key_path() -> Vec<String> {
        vec![ENROLMENT_SEALED_KEY.to_owned()]
    }

    async fn db() -> Result<IdbStore, SecretError> {
        IdbStore::open(store::TABLET_DATABASE, store::TABLET_STORE)
            .await
            .map_err(|e| SecretError::Storage(e.to_string()))
    }

    pub async fn keep_enrolment(e: &Enrolment) -> Result<(), SecretError> {
        let key = crypto::key().ok_or(SecretError::Locked)?;
        let mut json = serde_json::to_vec(e).map_err(|e| SecretError::Unreadable(e.to_string()))?;
        let sealed = crypto::seal(&key, &aad(&key_path()), &json).await;
        json.fill(0);
        let sealed = sealed.map_err(|e| SecretError::Crypto(e.to_string()))?;
        let db = db().await?;
        let put = db.put_plain(&key_path(), &sealed).await;
        db.close();
        put.map_err(|e| SecretError::Storage(e.to_string()))?;
        remember(Some(e.clone()));
        Ok(())
    }

    pub async fn open_enrolment() -> Result<Option<Enrolment>, SecretError> {
        let key = crypto::key().ok_or(SecretError::Locked)?;
        let db = db().await?;
        let got = db.get_plain(&key_path()).await;
        db.close();
        let Some(bytes) = got.map_err(|e| SecretError::Storage(e.to_string()))? else {
            remember(None);
            return Ok(None);
        };
        if !is_sealed(&bytes) {
            return Err(SecretError::Unreadable("not sealed".to_owned()));
        }
        let mut json = crypto::open(Some(&key), &aad(&key_path()), &bytes)
            .await
            .map_err(|e| SecretError::Crypto(e.to_string()))?;
        let e: Result<Enrolment, _> = serde_json::from_slice(&json);
        json.fill(0);
        let e = e.map_err(|e| SecretError::Unreadable(e.to_string()))?;
        remember(Some(e.clone()));
        Ok(Some(e))
    }

    pub async fn has_sealed_enrolment() -> bool {
        let Ok(db) = db().await else { return false };
        let got = db.get_plain(&key_path()).await;
        db.close();
        matches!(got, Ok(Some(b)) if is_sealed(&b))
    }

    pub async fn seal_legacy() -> Result<bool, SecretError> {
        let Some(old) = store::legacy_enrolment().await else {
            return Ok(false);
        };
        // A sealed enrolment is newer than a plaintext one: keep it.
        if !has_sealed_enrolment().await {
            keep_enrolment(&old).await?;
        }
        store::forget_legacy_enrolment()
            .await
            .map_err(|e| SecretError::Storage(e.to_string()))?;
        Ok(true)
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod browser {
    use super::{Enrolment, SecretError};
    pub async fn keep_enrolment(_e: &Enrolment) -> Result<(), SecretError> {
        Err(SecretError::Locked)
    }
    pub async fn open_enrolment() -> Result<Option<Enrolment>, SecretError> {
        Ok(None)
    }
    pub async fn has_sealed_enrolment() -> bool {
        false
    }
    pub async fn seal_legacy() -> Result<bool, SecretError> {
        Ok(false)
    }
}

/// Seals `e` under the data key, keeps it (replacing the one before) and
/// then holds it in memory. Fails when locked: a secret is never kept
/// unsealed.
pub async fn keep_enrolment(e: &Enrolment) -> Result<(), SecretError> {
    browser::keep_enrolment(e).await
}

/// Opens the sealed enrolment into memory (after unlocking); `None` when
/// the tablet is not enrolled.
pub async fn open_enrolment() -> Result<Option<Enrolment>, SecretError> {
    browser::open_enrolment().await
}

/// Whether a sealed enrolment is kept (known without the PIN; says nothing
/// of its content).
pub async fn has_sealed_enrolment() -> bool {
    browser::has_sealed_enrolment().await
}

/// Seals a plaintext enrolment of an earlier version (needs the data key)
/// and deletes its plaintext copies. True if there was one.
pub async fn seal_legacy() -> Result<bool, SecretError> {
    browser::seal_legacy().await
}
