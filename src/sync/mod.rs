//! Local-first sync in the browser: the app's side of `yanzhen-sync`.
//!
//! * [`idb`]: document chunks in IndexedDB, in automerge-repo's layout.
pub mod idb;
