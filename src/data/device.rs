//! This tablet's device id: its durable sync storage id (the sync
//! identity in local storage), which names the device in every change it
//! makes. Empty until the tablet has one, and in native builds.

/// The tablet's storage id, or empty.
#[cfg(target_arch = "wasm32")]
pub fn device_id() -> String {
    use crate::sync::status::{IDENTITY_KEY, SyncIdentity};
    use gloo_storage::{LocalStorage, Storage};
    LocalStorage::get::<SyncIdentity>(IDENTITY_KEY)
        .ok()
        .and_then(|i| i.storage_id)
        .unwrap_or_default()
}

/// Native builds (unit tests, clippy) have no browser storage.
#[cfg(not(target_arch = "wasm32"))]
pub fn device_id() -> String {
    String::new()
}
