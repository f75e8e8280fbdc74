//! The roster's choices kept on this tablet with gloo-storage (local
//! storage key [`PREFS_KEY`]): the unit last picked. Also reads the
//! tablet's durable storage id (the sync identity), which names the device
//! in every change it makes.

use serde::{Deserialize, Serialize};

/// The local-storage key of [`RosterPrefs`].
pub const PREFS_KEY: &str = "yanzhen.roster.v1";

/// What the roster remembers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterPrefs {
    /// The chosen unit's document id (base58check, as in URLs).
    pub unit_doc: Option<String>,
}

#[cfg(target_arch = "wasm32")]
mod store {
    use super::{PREFS_KEY, RosterPrefs};
    use crate::sync::status::{IDENTITY_KEY, SyncIdentity};
    use gloo_storage::{LocalStorage as BrowserStorage, Storage};

    pub fn load() -> RosterPrefs {
        BrowserStorage::get(PREFS_KEY).unwrap_or_default()
    }

    pub fn save(p: &RosterPrefs) -> bool {
        BrowserStorage::set(PREFS_KEY, p).is_ok()
    }

    pub fn device_id() -> String {
        BrowserStorage::get::<SyncIdentity>(IDENTITY_KEY)
            .ok()
            .and_then(|i| i.storage_id)
            .unwrap_or_default()
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod store {
    //! Native builds (unit tests, clippy) have no browser storage.
    use super::RosterPrefs;

    pub fn load() -> RosterPrefs {
        RosterPrefs::default()
    }

    pub fn save(_p: &RosterPrefs) -> bool {
        false
    }

    pub fn device_id() -> String {
        String::new()
    }
}

pub use store::{device_id, load, save};
