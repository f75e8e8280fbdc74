//! The app's repo: one client [`yanzhen_sync::SyncNode`] with the tablet's
//! documents, driven by the browser.
//!
//! [`provide_sync`] (called once by the root component) creates the
//! [`SyncContext`] — signals for the sync-status screen and a revision per
//! document so pages re-read model data — and, in the browser, starts the
//! repo:
//!
//! 1. identity: a random peer id per start and a durable storage id kept in
//!    local storage (`yanzhen.sync.v1`, [`SyncIdentity`]), both from
//!    `crypto.getRandomValues`; `navigator.storage.persist()` is requested;
//! 2. every document in IndexedDB ([`super::idb`]) is loaded
//!    (`SyncNode::find` → `LoadDocument` → `DocumentLoaded`);
//! 3. **access:** the documents to sync are the enrolment's list
//!    ([`crate::access::device::sync_plan`], read-only ones flagged); an
//!    un-enrolled tablet only shows what is in IndexedDB and does not
//!    connect. Enrolling (or enrolling again) restarts the link with the new
//!    token ([`SyncContext::enrol`]);
//! 4. the WebSocket link ([`super::ws`]) starts with `?token=…`; a socket
//!    that closes before the handshake makes the repo ask `GET /api/me` why:
//!    a refused token (and a protocol `error` saying `access.token.revoked`)
//!    stops the link until the person enrols again — except a revoked
//!    tablet, which erases its local data ([`crate::lock::actions::revoked`]). `GET /api/bootstrap`
//!    names the district document, whose directory names the rows;
//! 5. **read-only documents:** local edits of a document this device may
//!    only read are saved to IndexedDB like any other (never dropped); the
//!    server refuses them (once per connection, with an `error` that is not
//!    shown as a problem), so they are flagged on their row
//!    (`readonly_edits`) and left out of the heartbeat's "pending" so the
//!    link is not closed and retried over them;
//! 6. **sync by file:** [`SyncContext::export_file`] and
//!    [`SyncContext::import_file`] (see [`super::transfer`]), sealed under
//!    the enrolment's district keys; an import is applied through the node,
//!    so it is saved and synced onward. A tablet whose enrolment has no
//!    keys yet (enrolled before sealed files) asks `GET /api/me` for them
//!    once connected and keeps them in its sealed enrolment; while
//!    connected and in step with the server it asks `POST /api/attest` for
//!    its documents' attestations and keeps the newest in IndexedDB, so an
//!    export made offline later carries them.
//!
//! The decisions are a pure state machine, tested natively:
//! [`state::RepoState::on`] takes an [`input::Input`] (start-up load done,
//! a socket opened, closed or delivered a message, the one-second tick,
//! online/offline, a write committed or failed, the bootstrap's or
//! `GET /api/me`'s answer…) and answers the [`action::Action`]s to carry
//! out (send, connect, close, load, write in order, publish rows and
//! connection, erase a revoked tablet…); `state.rs` (the link), `rows.rs`
//! (what is shown, the start-up load), `effects.rs` (the node's effects,
//! the write queue), `files.rs` (changes, imports, attestations, carried
//! files). `runtime.rs` (wasm32 only) is the thin browser part: it turns
//! callbacks into inputs and carries out the actions (IndexedDB, the
//! WebSocket, timers, Leptos signals). Time is `Date.now()`, passed in.

use automerge::Automerge;
use leptos::prelude::*;
use yanzhen_sync::DocumentId;

use super::status::{Connection, DocRow, Problem};
use super::transfer::{Export, ImportPreview, TransferError};
use crate::access::device::Enrolment;
use crate::i18n::Msg;
use crate::settings::Settings;
use yanzhen_sync::attest::DistrictKeys;

pub mod action;
mod effects;
mod files;
pub mod input;
mod rows;
#[cfg(target_arch = "wasm32")]
mod runtime;
pub mod state;
#[cfg(test)]
mod tests;

/// How long a failed write waits before it is tried again.
pub const WRITE_RETRY_MS: f64 = 5_000.0;

/// The performance mark set when the documents in IndexedDB are loaded at
/// start (read by `cargo xtask bench`, cold open).
pub const DOCS_LOADED_MARK: &str = "yanzhen:docs-loaded";

/// The performance mark set as the app's code starts running (the wasm
/// module downloaded, compiled and instantiated; read by the cold-open bench).
pub const APP_STARTED_MARK: &str = "yanzhen:app-started";

/// Sets the performance mark `name` (for benchmarks; no-op outside a
/// browser).
pub fn performance_mark(name: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = name;
}

/// The sync context: what the screens read, and the way to the documents.
#[derive(Clone, Copy)]
pub struct SyncContext {
    /// The connection to the server.
    pub connection: RwSignal<Connection>,
    /// The last problem, until it is fixed.
    pub last_error: RwSignal<Option<Problem>>,
    /// One row per document (district first, then units by name).
    pub docs: RwSignal<Vec<DocRow>>,
    /// Milliseconds since the epoch, updated every second (countdowns).
    pub now: RwSignal<f64>,
    /// The tablet's enrolment (token + device info), if enrolled — in
    /// memory only, opened from its sealed record after the PIN.
    pub enrolment: RwSignal<Option<Enrolment>>,
    /// True once every document the tablet holds has been loaded from
    /// IndexedDB at start (also marked as the performance entry
    /// [`DOCS_LOADED_MARK`]).
    pub docs_loaded: RwSignal<bool>,
    #[cfg(target_arch = "wasm32")]
    repo: StoredValue<Option<runtime::Shared>, LocalStorage>,
}

impl SyncContext {
    fn new() -> Self {
        SyncContext {
            connection: RwSignal::new(Connection::Starting),
            last_error: RwSignal::new(None),
            docs: RwSignal::new(Vec::new()),
            now: RwSignal::new(0.0),
            enrolment: RwSignal::new(crate::lock::secrets::enrolment()),
            docs_loaded: RwSignal::new(false),
            #[cfg(target_arch = "wasm32")]
            repo: StoredValue::new_local(None),
        }
    }

    /// The document's revision: bumps whenever it changes (tracked, so a
    /// page reading it re-reads its model data on change).
    pub fn revision(&self, id: &DocumentId) -> u64 {
        self.docs
            .with(|rows| rows.iter().find(|r| r.id == *id).map_or(0, |r| r.revision))
    }

    /// Whether this tablet may write document `id` now (tracked; see
    /// [`super::status::DocRow::writable`]).
    pub fn may_write(&self, id: &DocumentId) -> bool {
        self.docs.with(|rows| super::status::may_write(rows, id))
    }

    /// Reads a document (untracked: pair with [`Self::revision`]).
    pub fn with_document<R>(&self, id: &DocumentId, f: impl FnOnce(&Automerge) -> R) -> Option<R> {
        #[cfg(target_arch = "wasm32")]
        {
            let shared = self.repo.get_value()?;
            let repo = shared.try_borrow().ok()?;
            repo.state.node().document(id).map(f)
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let _ = (id, f);
            None
        }
    }

    /// Changes a document locally: saved to IndexedDB (the row shows
    /// "saving" until it is) and synced to the server.
    pub fn change<R>(
        &self,
        id: DocumentId,
        f: impl FnOnce(&mut Automerge) -> R,
    ) -> Result<R, yanzhen_sync::Error> {
        #[cfg(target_arch = "wasm32")]
        {
            let shared = self
                .repo
                .get_value()
                .ok_or(yanzhen_sync::Error::UnknownDocument(id))?;
            runtime::change(&shared, id, f)
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let _ = f;
            Err(yanzhen_sync::Error::UnknownDocument(id))
        }
    }

    /// Keeps a new enrolment (sealed under the data key, see
    /// [`crate::lock::secrets`]) and syncs with it: the link restarts with
    /// the new token and the enrolment's documents.
    pub async fn enrol(&self, enrolment: Enrolment) -> Result<(), Msg> {
        crate::lock::secrets::keep_enrolment(&enrolment)
            .await
            .map_err(|_| Msg::ErrStorage)?;
        self.enrolment.set(Some(enrolment));
        Ok(())
    }

    /// The district keys to seal and open files with: the enrolment's,
    /// only while unlocked (see [`super::transfer::usable_keys`]).
    pub fn file_keys(&self) -> Result<DistrictKeys, TransferError> {
        let unlocked = crate::lock::crypto::key().is_some();
        self.enrolment
            .with_untracked(|e| super::transfer::usable_keys(unlocked, e.as_ref()))
    }

    /// The whole tablet as a sealed `.yanzhen` file, labelled `origin`, at
    /// `now_ms`, with the server's attestations of its documents (asked
    /// for now when connected, else the ones kept from before). `None`
    /// when the tablet has no document to export.
    pub async fn export_file(
        &self,
        origin: &str,
        now_ms: u64,
    ) -> Result<Option<Export>, TransferError> {
        let keys = self.file_keys()?;
        #[cfg(target_arch = "wasm32")]
        {
            let Some(shared) = self.repo.get_value() else {
                return Ok(None);
            };
            let attestations = runtime::attestations(&shared, &keys).await;
            let nonce = crate::lock::crypto::random::<12>().map_err(|_| TransferError::NoRandom)?;
            let r = shared.borrow();
            let node = r.state.node();
            let docs = node
                .documents()
                .filter_map(|id| node.document(id).map(|d| (*id, d)));
            let enrolment = self.enrolment.get_untracked();
            let voucher = enrolment.as_ref().and_then(|e| e.voucher());
            Ok(super::transfer::export(
                origin,
                now_ms,
                docs,
                &attestations,
                &keys,
                voucher.as_ref().map(|(k, id)| (k, *id)),
                nonce,
            )?)
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let _ = (origin, now_ms, keys);
            Ok(None)
        }
    }

    /// Verifies a sealed `.yanzhen` file and says what importing it would
    /// change; changes nothing.
    pub fn preview_file(&self, bytes: &[u8]) -> Result<ImportPreview, TransferError> {
        self.import_or_preview(bytes, false)
    }

    /// Imports a sealed `.yanzhen` file through the node (saved to
    /// IndexedDB, synced onward): only the changes the server attested, of
    /// the documents this tablet syncs. Returns what it changed.
    pub fn import_file(&self, bytes: &[u8]) -> Result<ImportPreview, TransferError> {
        self.import_or_preview(bytes, true)
    }

    fn import_or_preview(&self, bytes: &[u8], apply: bool) -> Result<ImportPreview, TransferError> {
        let keys = self.file_keys()?;
        #[cfg(target_arch = "wasm32")]
        {
            match self.repo.get_value() {
                Some(shared) => runtime::import(&shared, bytes, &keys, apply),
                None => Ok(super::transfer::preview(bytes, &keys, |_| None, |_| false)?.1),
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let _ = apply;
            Ok(super::transfer::preview(bytes, &keys, |_| None, |_| false)?.1)
        }
    }

    /// True while a document save is queued or being written to IndexedDB
    /// (locking waits for it).
    pub fn saves_pending(&self) -> bool {
        #[cfg(target_arch = "wasm32")]
        if let Some(shared) = self.repo.get_value()
            && let Ok(r) = shared.try_borrow()
        {
            return r.state.saves_pending();
        }
        false
    }

    /// Rewrites the plaintext chunks in IndexedDB encrypted (the tablet
    /// just got its lock; new writes are sealed already). A failure is
    /// shown as a storage problem; the chunks left plaintext still load.
    pub fn encrypt_stored(&self) {
        #[cfg(target_arch = "wasm32")]
        if let Some(shared) = self.repo.get_value() {
            wasm_bindgen_futures::spawn_local(runtime::encrypt_stored(shared));
        }
    }

    /// Reconnects now instead of waiting for the backoff.
    pub fn retry_now(&self) {
        #[cfg(target_arch = "wasm32")]
        if let Some(shared) = self.repo.get_value() {
            runtime::retry_now(&shared);
        }
    }
}

/// Creates and provides the sync context; in the browser, starts the repo
/// against the server in `settings` (or the page's origin).
pub fn provide_sync(settings: RwSignal<Settings>) -> SyncContext {
    let ctx = SyncContext::new();
    provide_context(ctx);
    crate::data::units::provide_unit_docs(ctx);
    #[cfg(target_arch = "wasm32")]
    runtime::start(ctx, settings);
    #[cfg(not(target_arch = "wasm32"))]
    let _ = settings;
    ctx
}

/// The sync context of the running app.
pub fn use_sync() -> SyncContext {
    expect_context::<SyncContext>()
}
