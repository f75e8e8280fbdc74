//! The roster's choices kept on this tablet with gloo-storage (local
//! storage key [`PREFS_KEY`]): the unit last picked.

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
    use gloo_storage::{LocalStorage as BrowserStorage, Storage};

    pub fn load() -> RosterPrefs {
        BrowserStorage::get(PREFS_KEY).unwrap_or_default()
    }

    pub fn save(p: &RosterPrefs) -> bool {
        BrowserStorage::set(PREFS_KEY, p).is_ok()
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
}

pub use store::{load, save};
