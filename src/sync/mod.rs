//! Local-first sync in the browser: the app's side of `yanzhen-sync`.
//!
//! * [`api`]: the access-control HTTP API (enrol, me, admin).
//! * [`idb`]: document chunks in IndexedDB, in automerge-repo's layout.
//! * [`repo`]: the tablet's `SyncNode`, its documents and the effects it
//!   asks for; the [`repo::SyncContext`] the screens read.
//! * [`transfer`]: sync by file (export, import preview), pure.
//! * [`ws`]: the WebSocket link with reconnect, backoff and heartbeat.
//! * [`status`]: what is shown (connection, problems, document rows), pure.
//! * [`cache`]: hydrate each document once per revision, pure;
//!   [`units`]: every unit document here, hydrated once for all screens.
pub mod api;
pub mod cache;
pub mod components;
pub mod idb;
pub mod repo;
pub mod status;
pub mod transfer;
pub mod ws;

/// A JavaScript exception as the short "technical detail" a person may read
/// out to support: the error's name and message, never its wasm stack trace.
#[cfg(target_arch = "wasm32")]
pub fn js_error_text(value: &wasm_bindgen::JsValue) -> String {
    use wasm_bindgen::JsCast;
    if let Some(err) = value.dyn_ref::<js_sys::Error>() {
        return format!(
            "{}: {}",
            String::from(err.name()),
            String::from(err.message())
        );
    }
    if let Some(text) = value.as_string() {
        return text;
    }
    // Anything else (a thrown plain object): its debug form, kept short.
    format!("{value:?}").chars().take(160).collect()
}
