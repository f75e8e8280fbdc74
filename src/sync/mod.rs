//! Local-first sync in the browser: the app's side of `yanzhen-sync`.
//!
//! * [`api`]: the access-control HTTP API (enrol, me, admin).
//! * [`idb`]: document chunks in IndexedDB, in automerge-repo's layout.
//! * [`repo`]: the tablet's `SyncNode`, its documents and the effects it
//!   asks for; the [`repo::SyncContext`] the screens read.
//! * [`transfer`]: sync by file (export, import preview), pure.
//! * [`ws`]: the WebSocket link with reconnect, backoff and heartbeat.
//! * [`status`]: what is shown (connection, problems, document rows), pure.
pub mod api;
pub mod idb;
pub mod repo;
pub mod status;
pub mod transfer;
pub mod ws;
