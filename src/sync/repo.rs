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
//! Effects are executed as they come: `Send` on the current socket,
//! `Storage` ops queued per document and written **in order** by one writer
//! (a planned save's puts, then its deletes; see [`super::idb`]) — a row
//! shows "saving" until its writes are committed, and a failed write stays
//! at the head of the queue, is shown as the last problem and retried every
//! [`WRITE_RETRY_MS`] (reopening the database if it was closed), so later
//! chunks are never written past a missing one. Time is `Date.now()`.
//!
//! Over 500 lines: the repo's node, its effect loop and the IndexedDB and
//! WebSocket drivers share the repo's private state; splitting it is left
//! to its own change (it is not view code).

use automerge::Automerge;
use leptos::prelude::*;
use yanzhen_sync::DocumentId;

use super::status::{Connection, DocRow, Problem};
use super::transfer::{Export, ImportPreview, TransferError};
use crate::access::device::Enrolment;
use crate::i18n::Msg;
use crate::settings::Settings;
use yanzhen_sync::attest::DistrictKeys;

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
    repo: StoredValue<Option<browser::Shared>, LocalStorage>,
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
            repo.node.document(id).map(f)
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
            browser::change(&shared, id, f)
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
            let attestations = browser::attestations(&shared, &keys).await;
            let nonce = crate::lock::crypto::random::<12>().map_err(|_| TransferError::NoRandom)?;
            let r = shared.borrow();
            let docs = r
                .node
                .documents()
                .filter_map(|id| r.node.document(id).map(|d| (*id, d)));
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
                Some(shared) => browser::import(&shared, bytes, &keys, apply),
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
            return r.saves_pending();
        }
        false
    }

    /// Rewrites the plaintext chunks in IndexedDB encrypted (the tablet
    /// just got its lock; new writes are sealed already). A failure is
    /// shown as a storage problem; the chunks left plaintext still load.
    pub fn encrypt_stored(&self) {
        #[cfg(target_arch = "wasm32")]
        if let Some(shared) = self.repo.get_value() {
            wasm_bindgen_futures::spawn_local(browser::encrypt_stored(shared));
        }
    }

    /// Reconnects now instead of waiting for the backoff.
    pub fn retry_now(&self) {
        #[cfg(target_arch = "wasm32")]
        if let Some(shared) = self.repo.get_value() {
            browser::retry_now(&shared);
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
    browser::start(ctx, settings);
    #[cfg(not(target_arch = "wasm32"))]
    let _ = settings;
    ctx
}

/// The sync context of the running app.
pub fn use_sync() -> SyncContext {
    expect_context::<SyncContext>()
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use std::cell::RefCell;
    use std::collections::{BTreeMap, VecDeque};
    use std::rc::Rc;
    use std::time::Duration;

    use automerge::{Automerge, ChangeHash};
    use gloo_storage::{LocalStorage as BrowserStorage, Storage as _};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::{JsFuture, spawn_local};
    use yanzhen_model::store::DistrictData;
    use yanzhen_sync::{
        Config, ConnectionId, DocStatus, DocumentId, Effect, Event, PeerId, PeerMetadata,
        StorageId, StorageOp, SyncNode,
    };

    use std::collections::BTreeSet;

    use super::super::idb::{IdbStore, StorageError};
    use super::super::status::{
        Ack, Bootstrap, Connection, DocKind, DocRow, IDENTITY_KEY, Problem, SyncIdentity,
        ack_state, in_step, local_edits, sort_rows,
    };
    use super::super::transfer::{ImportPreview, TransferError};
    use super::super::ws::{Link, LinkAction, LinkState, Socket, http_base, sync_url_with_token};
    use super::{SyncContext, WRITE_RETRY_MS};
    use crate::access::device::{Enrolment, Refusal, sync_plan};
    use crate::settings::Settings;
    use yanzhen_sync::attest::{Attestation, DistrictKeys};
    use yanzhen_sync::file::FileError;

    pub type Shared = Rc<RefCell<Repo>>;

    #[derive(Default)]
    struct Meta {
        kind: Option<DocKind>,
        name: Option<String>,
        revision: u64,
        last_sync: Option<f64>,
        last_acked: Option<Vec<ChangeHash>>,
        unsaved: usize,
    }

    pub struct Repo {
        pub node: SyncNode,
        store: Option<IdbStore>,
        ctx: SyncContext,
        settings: RwSignal<Settings>,
        link: Link,
        socket: Option<(ConnectionId, Socket)>,
        next_conn: u64,
        server_conn: Option<ConnectionId>,
        writes: VecDeque<(DocumentId, Vec<StorageOp>)>,
        writing: bool,
        write_retry_at: Option<f64>,
        meta: BTreeMap<DocumentId, Meta>,
        district: Option<DocumentId>,
        bootstrapped: bool,
        last_received: f64,
        pending_since: Option<f64>,
        identity: SyncIdentity,
        /// IndexedDB is open and the first documents are asked for.
        started: bool,
        /// Documents being loaded from IndexedDB right now.
        loading: usize,
        /// The token the link uses (the enrolment's), if enrolled.
        token: Option<String>,
        /// Documents this device may only read.
        read_only: BTreeSet<DocumentId>,
        /// The documents of the enrolment (`None`: not enrolled).
        planned: Option<BTreeSet<DocumentId>>,
        /// Why the server refuses our token, if it does.
        refused: Option<Refusal>,
        /// The current socket got the server's handshake.
        handshaken: bool,
        /// Attestations are being asked for.
        attesting: bool,
        /// The documents' heads (a digest) when attestations were last
        /// asked for on this connection.
        attested: Option<u64>,
        /// Carried files are being handed to the server.
        passing_on: bool,
        /// The connection on which carried files were last handed over.
        passed_on: Option<ConnectionId>,
    }

    fn now() -> f64 {
        js_sys::Date::now()
    }

    fn random_bytes<const N: usize>() -> [u8; N] {
        let mut b = [0u8; N];
        let ok = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .is_some_and(|c| c.get_random_values_with_u8_array(&mut b).is_ok());
        if !ok {
            for x in b.iter_mut() {
                *x = (js_sys::Math::random() * 256.0) as u8;
            }
        }
        b
    }

    fn random_unit() -> f64 {
        f64::from(u32::from_le_bytes(random_bytes::<4>())) / 4_294_967_296.0
    }

    fn online() -> bool {
        web_sys::window().is_none_or(|w| w.navigator().on_line())
    }

    impl Repo {
        fn server_base(&self) -> String {
            let configured = self.settings.with_untracked(|s| s.server_url.clone());
            let base = configured.unwrap_or_else(|| {
                web_sys::window()
                    .and_then(|w| w.location().origin().ok())
                    .unwrap_or_default()
            });
            http_base(&base)
        }

        fn meta(&mut self, id: DocumentId) -> &mut Meta {
            self.meta.entry(id).or_default()
        }

        fn problem(&self, p: Problem) {
            self.ctx.last_error.set(Some(p));
        }

        fn show_connection(&self) {
            let c = match self.link.state() {
                _ if self.started && self.token.is_none() => Connection::NotEnrolled,
                _ if self.refused.is_some() => {
                    Connection::Refused(self.refused.unwrap_or(Refusal::Unknown))
                }
                LinkState::Stopped => Connection::NotEnrolled,
                LinkState::Idle => Connection::Starting,
                LinkState::Offline => Connection::Offline,
                LinkState::Connecting { .. } => Connection::Connecting,
                LinkState::Open if self.server_conn.is_some() => Connection::Connected,
                LinkState::Open => Connection::Connecting,
                LinkState::Retrying { at } => Connection::Retrying { at },
            };
            if self.ctx.connection.get_untracked() != c {
                self.ctx.connection.set(c);
            }
        }

        /// Recomputes every row (acknowledgement, last sync) and publishes.
        fn publish(&mut self) {
            // At start-up the documents come out of IndexedDB one by one.
            // Published one by one, every open screen recomputed its figures
            // once per document (the dashboard: ~105 times over a growing
            // district); they are published together when the last is in
            // (`loads_done`).
            if !self.ctx.docs_loaded.get_untracked() {
                return;
            }
            self.publish_rows();
        }

        /// Publishes the documents' rows (and the link's state) to the screens.
        fn publish_rows(&mut self) {
            let t = now();
            let ids: Vec<DocumentId> = self.node.documents().copied().collect();
            let mut rows = Vec::with_capacity(ids.len());
            let mut any_pending = false;
            for id in ids {
                let status = self.node.status(&id);
                let local = self
                    .node
                    .document(&id)
                    .map(|d| d.get_heads())
                    .unwrap_or_default();
                let server: Option<Vec<ChangeHash>> = self
                    .server_conn
                    .and_then(|c| self.node.peer_heads(&id, c))
                    .map(<[ChangeHash]>::to_vec);
                let is_district = self.district == Some(id);
                let read_only = self.read_only.contains(&id);
                let m = self.meta.entry(id).or_default();
                let ack = match status {
                    Some(DocStatus::Loading) | Some(DocStatus::Requesting) => Ack::Missing,
                    Some(DocStatus::Unavailable) => Ack::Unavailable,
                    _ => ack_state(&local, server.as_deref(), m.last_acked.as_deref()),
                };
                if ack == Ack::Acked
                    && let Some(s) = server
                    && m.last_acked.as_ref() != Some(&s)
                {
                    m.last_acked = Some(s);
                    m.last_sync = Some(t);
                }
                // Edits of a read-only document never get acknowledged:
                // flagged, and not a reason to take the link for dead.
                let (readonly_edits, pending) = local_edits(ack, read_only);
                any_pending |= pending;
                let kind = if is_district {
                    DocKind::District
                } else {
                    m.kind.unwrap_or(DocKind::Other)
                };
                rows.push(DocRow {
                    id,
                    kind,
                    name: m.name.clone(),
                    revision: m.revision,
                    last_sync: m.last_sync,
                    ack,
                    unsaved: m.unsaved > 0,
                    read_only,
                    readonly_edits,
                });
            }
            if self.server_conn.is_some() {
                self.pending_since = if any_pending {
                    Some(self.pending_since.unwrap_or(t))
                } else {
                    None
                };
            }
            sort_rows(&mut rows);
            if self.ctx.docs.with_untracked(|r| *r != rows) {
                self.ctx.docs.set(rows);
            }
            self.show_connection();
        }

        /// The district document changed: names from its directory, and
        /// the unit documents to find.
        fn read_directory(&mut self) -> Vec<Effect> {
            let Some(id) = self.district else {
                return Vec::new();
            };
            let Some(am) = self.node.document(&id) else {
                return Vec::new();
            };
            let data: DistrictData = match yanzhen_model::whole::read(am) {
                Ok(d) => d,
                Err(e) => {
                    self.problem(Problem::Document(format!("district {id}: {e}")));
                    return Vec::new();
                }
            };
            let m = self.meta(id);
            m.kind = Some(DocKind::District);
            m.name = Some(data.name.clone());
            // Names only: which documents to sync is the enrolment's list.
            for unit in data.unit_documents() {
                let Some(doc) = unit.doc_id else { continue };
                let doc = DocumentId::from_bytes(doc.0);
                let m = self.meta(doc);
                m.kind = Some(DocKind::Unit);
                m.name = Some(unit.name.clone());
            }
            Vec::new()
        }
    }

    /// Executes effects (and the effects they lead to), then publishes.
    fn run(shared: &Shared, fx: Vec<Effect>) {
        let mut loads = Vec::new();
        let mut writes = false;
        let mut actions = Vec::new();
        {
            let mut r = shared.borrow_mut();
            let mut queue: VecDeque<Effect> = fx.into();
            while let Some(effect) = queue.pop_front() {
                match effect {
                    Effect::Send { conn, bytes } => {
                        if let Some((c, s)) = &r.socket
                            && *c == conn
                        {
                            s.send(&bytes);
                        }
                    }
                    Effect::Close { conn, .. } => {
                        if let Some((c, s)) = &r.socket
                            && *c == conn
                        {
                            s.close();
                        }
                    }
                    Effect::Storage(op) => {
                        let key = match &op {
                            StorageOp::Put { key, .. } | StorageOp::Delete { key } => key,
                        };
                        let Some(doc) = key.first().and_then(|d| d.parse::<DocumentId>().ok())
                        else {
                            continue;
                        };
                        // A planned save is a put then deletes of one
                        // document: keep them in one batch.
                        let same = matches!(op, StorageOp::Delete { .. })
                            && r.writes.back().is_some_and(|(d, _)| *d == doc)
                            && !r.writing_head_is_last();
                        if same {
                            if let Some((_, ops)) = r.writes.back_mut() {
                                ops.push(op);
                            }
                        } else {
                            r.writes.push_back((doc, vec![op]));
                            r.meta(doc).unsaved += 1;
                        }
                        writes = true;
                    }
                    Effect::LoadDocument { doc } => loads.push(doc),
                    Effect::PeerConnected { conn, .. } => {
                        r.server_conn = Some(conn);
                        r.handshaken = true;
                        r.attested = None;
                        r.link.handshaken();
                        if !r.bootstrapped {
                            actions.push(Deferred::Bootstrap);
                        }
                        // Enrolled before sealed files: the keys are in
                        // `GET /api/me`'s answer.
                        let no_keys = r
                            .ctx
                            .enrolment
                            .with_untracked(|e| e.as_ref().is_some_and(|e| e.keys.is_none()));
                        if no_keys {
                            actions.push(Deferred::Keys);
                        }
                    }
                    Effect::PeerDisconnected { conn, .. } => {
                        if r.server_conn == Some(conn) {
                            r.server_conn = None;
                        }
                    }
                    Effect::RemoteError { message, .. } => {
                        if let Some(refusal) = Refusal::from_key(message.trim()) {
                            actions.push(Deferred::Refused(refusal));
                        } else if !message.contains("may not write") {
                            // A refused write of a read-only document is
                            // flagged on its row instead.
                            r.problem(Problem::Server(message));
                        }
                    }
                    Effect::DocumentChanged { doc, .. } => {
                        r.meta(doc).revision += 1;
                        if r.district == Some(doc) {
                            let more = r.read_directory();
                            queue.extend(more);
                        }
                    }
                    Effect::DocumentUnavailable { .. } | Effect::Ephemeral { .. } => {}
                }
            }
            r.publish();
        }
        shared.borrow_mut().loading += loads.len();
        for doc in loads {
            spawn_local(load(shared.clone(), doc));
        }
        if writes {
            spawn_local(write_queue(shared.clone()));
        }
        for a in actions {
            match a {
                Deferred::Bootstrap => spawn_local(bootstrap(shared.clone())),
                Deferred::Keys => spawn_local(check_token(shared.clone())),
                Deferred::Refused(refusal) => refuse(shared, refusal),
            }
        }
    }

    enum Deferred {
        Bootstrap,
        Keys,
        Refused(Refusal),
    }

    /// A digest of every document's heads.
    fn heads_digest(r: &Repo) -> u64 {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut h = DefaultHasher::new();
        for id in r.node.documents() {
            id.hash(&mut h);
            if let Some(d) = r.node.document(id) {
                d.get_heads().hash(&mut h);
            }
        }
        h.finish()
    }

    /// Asks for attestations when connected, in step with the server
    /// ([`super::super::status::in_step`]) and the documents moved since
    /// the last time on this connection; keeps them for offline exports.
    fn maybe_attest(shared: &Shared) {
        let digest = {
            let mut r = shared.borrow_mut();
            if r.attesting
                || r.server_conn.is_none()
                || !r.ctx.docs.with_untracked(|rows| in_step(rows))
            {
                return;
            }
            let digest = heads_digest(&r);
            if r.attested == Some(digest) {
                return;
            }
            r.attesting = true;
            digest
        };
        let shared = shared.clone();
        spawn_local(async move {
            let ctx = shared.borrow().ctx;
            if let Ok(keys) = ctx.file_keys() {
                let _ = attestations(&shared, &keys).await;
            }
            let mut r = shared.borrow_mut();
            r.attesting = false;
            // Failed or not: asked again when the documents move or on the
            // next connection, not every second.
            r.attested = Some(digest);
        });
    }

    /// Hands the carried files (imported files with edits their makers
    /// vouched for) to the server once per connection, after the
    /// handshake ([`pass_on`]).
    fn maybe_pass_on(shared: &Shared) {
        {
            let mut r = shared.borrow_mut();
            let Some(conn) = r.server_conn else {
                return;
            };
            if r.passing_on || !r.handshaken || r.passed_on == Some(conn) {
                return;
            }
            r.passed_on = Some(conn);
            r.passing_on = true;
        }
        let shared = shared.clone();
        spawn_local(async move {
            pass_on(&shared).await;
            shared.borrow_mut().passing_on = false;
        });
    }

    /// `POST /api/relay` for every kept carried file, oldest first: a file
    /// the server took (whatever it decided for each vouch) or refused is
    /// forgotten; a network failure stops here and keeps the rest for the
    /// next connection. The makers' edits then come back through sync.
    async fn pass_on(shared: &Shared) {
        let ask = {
            let r = shared.borrow();
            (r.server_base(), r.token.clone())
        };
        let (base, Some(token)) = ask else {
            return;
        };
        for name in crate::lock::store::pending_relays().await {
            let Some(file) = crate::lock::store::pending_relay(&name).await else {
                let _ = crate::lock::store::forget_pending_relay(&name).await;
                continue;
            };
            match super::super::api::relay(&base, &token, file).await {
                Ok(_) | Err(super::super::api::ApiError::Refused { .. }) => {
                    if let Err(e) = crate::lock::store::forget_pending_relay(&name).await {
                        shared
                            .borrow()
                            .problem(Problem::Storage(StorageError::Unavailable(e)));
                    }
                }
                Err(_) => break,
            }
        }
    }

    /// See [`SyncContext::encrypt_stored`].
    pub async fn encrypt_stored(shared: Shared) {
        let store = shared.borrow().store.clone();
        let store = match store {
            Some(s) => s,
            None => match IdbStore::open_default().await {
                Ok(s) => s,
                Err(e) => return shared.borrow().problem(Problem::Storage(e)),
            },
        };
        if let Err(e) = store.encrypt_plaintext().await {
            shared.borrow().problem(Problem::Storage(e));
        }
    }

    /// The server refuses our token: stop until the person enrols again.
    /// A revoked tablet erases its data (see [`crate::lock::actions::revoked`]).
    fn refuse(shared: &Shared, refusal: Refusal) {
        // A revocation erases the tablet: acted on only when it came over
        // an authenticated secure channel (`https`/`wss`, or this device
        // itself), never over plain `http` where anyone on the network
        // could forge it. `connect` and `api` refuse other addresses
        // already; this keeps the wipe safe should that ever change.
        let secure = crate::settings::check_server_url(&shared.borrow().server_base()).is_ok();
        let refusal = refusal.trusted(secure);
        if refusal == Refusal::Revoked {
            let unsynced = {
                let mut r = shared.borrow_mut();
                let _ = r.link.stop();
                let pending = r.saves_pending();
                r.ctx
                    .docs
                    .with_untracked(|rows| super::super::status::unsynced(rows, pending))
            };
            crate::lock::actions::revoked("access.token.revoked", unsynced);
            return;
        }
        let action = {
            let mut r = shared.borrow_mut();
            r.refused = Some(refusal);
            r.link.stop()
        };
        do_action(shared, action);
    }

    /// A socket closed before the handshake: ask `GET /api/me` why. A
    /// refused token stops the link; an answer updates the device info and
    /// the district keys (also asked right after a handshake while the
    /// enrolment has no keys: a tablet enrolled before sealed files).
    async fn check_token(shared: Shared) {
        let (base, token) = {
            let r = shared.borrow();
            (r.server_base(), r.token.clone())
        };
        let Some(token) = token else { return };
        match super::super::api::me(&base, &token).await {
            Err(super::super::api::ApiError::Refused { status: 401, key }) => {
                if shared.borrow().token.as_deref() == Some(token.as_str()) {
                    refuse(&shared, Refusal::from_key(&key).unwrap_or(Refusal::Unknown));
                }
            }
            Ok(me) => {
                let ctx = shared.borrow().ctx;
                let updated = ctx.enrolment.with_untracked(|e| {
                    e.as_ref()
                        .filter(|e| e.token == token)
                        .and_then(|e| e.refreshed(me))
                });
                if let Some(updated) = updated {
                    // Sealed under the data key before it is used; fails
                    // (and is asked again next time) while locked.
                    let _ = ctx.enrol(updated).await;
                }
            }
            Err(_) => {}
        }
    }

    /// Syncs with `enrolment` (or stops syncing without one): the documents
    /// of its list are found, the link restarts with its token.
    fn apply_enrolment(shared: &Shared, enrolment: Option<Enrolment>) {
        let (fx, action) = {
            let mut r = shared.borrow_mut();
            let token = enrolment.as_ref().map(|e| e.token.clone());
            if !r.started || (token == r.token && r.planned.is_some() == token.is_some()) {
                // Same token: only the list may have changed.
                if !r.started || token.is_none() {
                    return;
                }
            }
            let new_token = token != r.token;
            r.token = token;
            r.refused = None;
            let mut fx = Vec::new();
            match &enrolment {
                None => {
                    r.planned = None;
                    r.read_only.clear();
                }
                Some(e) => {
                    let plan = sync_plan(&e.device);
                    r.read_only = plan.iter().filter(|p| p.read_only).map(|p| p.id).collect();
                    r.planned = Some(plan.iter().map(|p| p.id).collect());
                    for p in &plan {
                        if p.district {
                            r.district = Some(p.id);
                        }
                        let m = r.meta(p.id);
                        m.kind = Some(if p.district {
                            DocKind::District
                        } else {
                            DocKind::Unit
                        });
                        if p.name.is_some() {
                            m.name = p.name.clone();
                        }
                        if r.node.status(&p.id).is_none() {
                            fx.extend(r.node.find(p.id));
                        }
                    }
                }
            }
            let action = if r.token.is_none() {
                r.link.stop()
            } else if new_token || r.link.state() == LinkState::Stopped {
                if let Some((conn, old)) = r.socket.take() {
                    r.server_conn = None;
                    fx.extend(r.node.handle(now() as u64, Event::Disconnected { conn }));
                    spawn_local(async move { drop(old) });
                }
                r.handshaken = false;
                r.link.resume(now(), online())
            } else {
                None
            };
            (fx, action)
        };
        run(shared, fx);
        do_action(shared, action);
    }

    impl Repo {
        /// A save is queued or being written.
        pub fn saves_pending(&self) -> bool {
            self.writing || !self.writes.is_empty()
        }

        /// While the writer holds the head batch, a lone head must not grow.
        fn writing_head_is_last(&self) -> bool {
            self.writing && self.writes.len() == 1
        }
    }

    async fn load(shared: Shared, doc: DocumentId) {
        let store = shared.borrow().store.clone();
        let chunks = match store {
            Some(s) => match s.load_chunks_checked(&doc).await {
                Ok((c, damaged)) => {
                    if !damaged.is_empty() {
                        shared.borrow().problem(Problem::Document(format!(
                            "{} damaged record(s) of {doc} set aside",
                            damaged.len()
                        )));
                    }
                    c
                }
                Err(e) => {
                    shared.borrow().problem(Problem::Storage(e));
                    Vec::new()
                }
            },
            None => Vec::new(),
        };
        // The node loads the chunks (once: a document is parsed only here).
        // Stored chunks that did not give a document are damaged: the node
        // treats them as empty and asks the server; the person is told why
        // (parsed again only then, for the message).
        let kept = chunks.clone();
        let fx = shared
            .borrow_mut()
            .node
            .handle(now() as u64, Event::DocumentLoaded { doc, chunks });
        let loaded = shared.borrow().node.status(&doc) == Some(yanzhen_sync::DocStatus::Ready);
        if !loaded
            && !kept.is_empty()
            && let Err(e) = yanzhen_sync::storage::load_document(kept)
        {
            shared.borrow().problem(Problem::Document(e.to_string()));
        }
        // Loads this one started (the directory's unit documents) are
        // counted before it is done, so the count reaches 0 only when all
        // are loaded.
        run(&shared, fx);
        shared.borrow_mut().loading -= 1;
        loads_done(&shared);
    }

    /// Marks the start-up load done once nothing is loading any more.
    fn loads_done(shared: &Shared) {
        let ctx = {
            let r = shared.borrow();
            if r.loading > 0 || !r.started {
                return;
            }
            r.ctx
        };
        if !ctx.docs_loaded.get_untracked() {
            // Every loaded document at once, then "loaded" (see `publish`).
            shared.borrow_mut().publish_rows();
            ctx.docs_loaded.set(true);
            super::performance_mark(super::DOCS_LOADED_MARK);
        }
    }

    /// Writes queued batches in order; stops at a failure (retried later).
    async fn write_queue(shared: Shared) {
        {
            let mut r = shared.borrow_mut();
            if r.writing {
                return;
            }
            r.writing = true;
        }
        loop {
            let next = {
                let r = shared.borrow();
                r.writes.front().cloned().map(|b| (b, r.store.clone()))
            };
            let Some(((doc, ops), store)) = next else {
                break;
            };
            let result = match store {
                Some(s) => s.apply(ops).await,
                None => Err(StorageError::Unavailable(
                    "IndexedDB is not open".to_owned(),
                )),
            };
            let mut r = shared.borrow_mut();
            match result {
                Ok(()) => {
                    r.writes.pop_front();
                    let m = r.meta(doc);
                    m.unsaved = m.unsaved.saturating_sub(1);
                    r.write_retry_at = None;
                    if matches!(r.ctx.last_error.get_untracked(), Some(Problem::Storage(_))) {
                        r.ctx.last_error.set(None);
                    }
                    r.publish();
                }
                Err(e) => {
                    if matches!(e, StorageError::Closed(_)) {
                        r.store = None;
                    }
                    r.problem(Problem::Storage(e));
                    r.write_retry_at = Some(now() + WRITE_RETRY_MS);
                    r.publish();
                    break;
                }
            }
        }
        shared.borrow_mut().writing = false;
    }

    /// Retries failed writes: reopens the database if needed, then writes.
    async fn retry_writes(shared: Shared) {
        if shared.borrow().store.is_none() {
            match IdbStore::open_default().await {
                Ok(s) => shared.borrow_mut().store = Some(s),
                Err(e) => {
                    let mut r = shared.borrow_mut();
                    r.problem(Problem::Storage(e));
                    r.write_retry_at = Some(now() + WRITE_RETRY_MS);
                    return;
                }
            }
        }
        write_queue(shared).await;
    }

    async fn fetch_bootstrap(base: &str) -> Result<Bootstrap, String> {
        if crate::settings::check_server_url(base).is_err() {
            return Err(format!("{base}: not https"));
        }
        let window = web_sys::window().ok_or("no window")?;
        let url = format!("{base}/api/bootstrap");
        let resp = JsFuture::from(window.fetch_with_str(&url))
            .await
            .map_err(|e| format!("{url}: {}", crate::sync::js_error_text(&e)))?;
        let resp: web_sys::Response = resp
            .dyn_into()
            .map_err(|e| crate::sync::js_error_text(&e))?;
        if !resp.ok() {
            return Err(format!("{url}: HTTP {}", resp.status()));
        }
        let text = JsFuture::from(resp.text().map_err(|e| crate::sync::js_error_text(&e))?)
            .await
            .map_err(|e| crate::sync::js_error_text(&e))?
            .as_string()
            .unwrap_or_default();
        Bootstrap::parse(&text)
    }

    async fn bootstrap(shared: Shared) {
        let base = shared.borrow().server_base();
        let result = fetch_bootstrap(&base)
            .await
            .and_then(|b| b.district().map(|d| (b, d)));
        let fx = {
            let mut r = shared.borrow_mut();
            match result {
                Ok((_, district)) => {
                    r.bootstrapped = true;
                    if matches!(
                        r.ctx.last_error.get_untracked(),
                        Some(Problem::Bootstrap(_))
                    ) {
                        r.ctx.last_error.set(None);
                    }
                    r.identity.district_document_id = district.map(|d| d.to_string());
                    let _ = BrowserStorage::set(IDENTITY_KEY, &r.identity);
                    match district {
                        Some(d) => set_district(&mut r, d),
                        None => Vec::new(),
                    }
                }
                Err(e) => {
                    r.problem(Problem::Bootstrap(e));
                    Vec::new()
                }
            }
        };
        run(&shared, fx);
    }

    fn set_district(r: &mut Repo, district: DocumentId) -> Vec<Effect> {
        r.district = Some(district);
        r.meta(district).kind = Some(DocKind::District);
        match r.node.status(&district) {
            None => r.node.find(district),
            Some(DocStatus::Ready) => r.read_directory(),
            Some(_) => Vec::new(),
        }
    }

    fn do_action(shared: &Shared, action: Option<LinkAction>) {
        match action {
            Some(LinkAction::Open) => connect(shared),
            Some(LinkAction::Close) => {
                if let Some((_, s)) = &shared.borrow().socket {
                    s.close();
                }
            }
            None => {}
        }
        shared.borrow().show_connection();
    }

    fn connect(shared: &Shared) {
        let (conn, url) = {
            let mut r = shared.borrow_mut();
            let Some(token) = r.token.clone() else {
                let _ = r.link.stop();
                return;
            };
            // Never the token in clear over a network (see
            // `crate::settings::check_server_url`).
            let base = r.server_base();
            if crate::settings::check_server_url(&base).is_err() {
                let _ = r.link.stop();
                r.problem(Problem::Insecure(base));
                return;
            }
            r.next_conn += 1;
            r.handshaken = false;
            (
                ConnectionId(r.next_conn),
                sync_url_with_token(&r.server_base(), &token),
            )
        };
        let (s1, s2, s3) = (shared.clone(), shared.clone(), shared.clone());
        let socket = Socket::open(
            &url,
            move || opened(&s1, conn),
            move |bytes| received(&s2, conn, bytes),
            move |_reason| closed(&s3, conn),
        );
        match socket {
            Ok(s) => {
                let old = shared.borrow_mut().socket.replace((conn, s));
                drop(old);
            }
            Err(_) => closed(shared, conn),
        }
    }

    fn opened(shared: &Shared, conn: ConnectionId) {
        let fx = {
            let mut r = shared.borrow_mut();
            if r.socket.as_ref().map(|(c, _)| *c) != Some(conn) {
                return;
            }
            r.link.opened();
            // Until the server answers the handshake, silence counts.
            r.pending_since = Some(now());
            r.node.handle(
                now() as u64,
                Event::Connected {
                    conn,
                    initiator: true,
                },
            )
        };
        run(shared, fx);
    }

    fn received(shared: &Shared, conn: ConnectionId, bytes: Vec<u8>) {
        let fx = {
            let mut r = shared.borrow_mut();
            r.last_received = now();
            r.node.handle(now() as u64, Event::Received { conn, bytes })
        };
        run(shared, fx);
    }

    fn closed(shared: &Shared, conn: ConnectionId) {
        let fx = {
            let mut r = shared.borrow_mut();
            let current = r.socket.as_ref().is_some_and(|(c, _)| *c == conn);
            if current && !r.handshaken && r.token.is_some() {
                // Refused before the upgrade? The browser cannot tell.
                spawn_local(check_token(shared.clone()));
            }
            if current {
                // Not dropped inside its own close handler: later.
                if let Some(old) = r.socket.take() {
                    spawn_local(async move { drop(old) });
                }
                r.server_conn = None;
                r.pending_since = None;
                r.link.closed(now(), random_unit());
            }
            r.node.handle(now() as u64, Event::Disconnected { conn })
        };
        run(shared, fx);
    }

    fn tick(shared: &Shared) {
        let t = now();
        let (fx, action, retry) = {
            let mut r = shared.borrow_mut();
            r.ctx.now.set(t);
            let fx = r.node.handle(t as u64, Event::Tick);
            let (last, pending) = (r.last_received, r.pending_since);
            let action = r.link.tick(t, last, pending);
            let retry =
                !r.writing && !r.writes.is_empty() && r.write_retry_at.is_some_and(|at| t >= at);
            if retry {
                r.write_retry_at = None;
            }
            (fx, action, retry)
        };
        run(shared, fx);
        do_action(shared, action);
        if retry {
            spawn_local(retry_writes(shared.clone()));
        }
        maybe_attest(shared);
        maybe_pass_on(shared);
    }

    pub fn retry_now(shared: &Shared) {
        let action = shared.borrow_mut().link.online(now());
        do_action(shared, action);
    }

    pub fn change<R>(
        shared: &Shared,
        id: DocumentId,
        f: impl FnOnce(&mut Automerge) -> R,
    ) -> Result<R, yanzhen_sync::Error> {
        let (r, fx) = {
            let mut repo = shared.borrow_mut();
            let (r, fx) = repo.node.change(id, f)?;
            repo.meta(id).revision += 1;
            (r, fx)
        };
        run(shared, fx);
        Ok(r)
    }

    /// Previews (or, with `apply`, imports) a sealed sync file against the
    /// node's documents; see [`super::super::transfer::preview`]. What the
    /// import leaves in the copies is applied, document by document, as the
    /// changes the node's copy lacks.
    pub fn import(
        shared: &Shared,
        bytes: &[u8],
        keys: &DistrictKeys,
        apply: bool,
    ) -> Result<ImportPreview, TransferError> {
        let (copies, preview) = {
            let r = shared.borrow();
            let syncs = |id: &DocumentId| match &r.planned {
                Some(p) => p.contains(id),
                None => r.node.status(id).is_some(),
            };
            super::super::transfer::preview(bytes, keys, |id| r.node.document(id).cloned(), syncs)?
        };
        if !apply {
            return Ok(preview);
        }
        let mut fx = Vec::new();
        {
            let mut r = shared.borrow_mut();
            for d in preview.docs.iter().filter(|d| !d.skipped && d.new > 0) {
                let Some(copy) = copies.get(&d.id) else {
                    continue;
                };
                let result = match r.node.document(&d.id) {
                    Some(am) => {
                        let changes = am.get_changes_added(copy);
                        r.node
                            .change(d.id, |am| am.apply_changes(changes))
                            .map_err(|e| e.to_string())
                            .and_then(|(res, more)| res.map(|_| more).map_err(|e| e.to_string()))
                    }
                    None => r
                        .node
                        .add_document(d.id, copy.clone())
                        .map_err(|e| e.to_string()),
                };
                match result {
                    Ok(more) => {
                        fx.extend(more);
                        r.meta(d.id).revision += 1;
                    }
                    Err(reason) => {
                        // Verified on copies first, so this is not expected;
                        // what was applied before stays (it is valid).
                        drop(r);
                        run(shared, fx);
                        return Err(TransferError::File(FileError::Rejected {
                            doc: d.id,
                            reason,
                        }));
                    }
                }
            }
        }
        run(shared, fx);
        if preview.vouched > 0 {
            // Kept (sealed as it came) until the server has taken it.
            let shared = shared.clone();
            let file = bytes.to_vec();
            spawn_local(async move {
                let name = super::super::transfer::relay_name(&file);
                match crate::lock::store::keep_pending_relay(&name, &file).await {
                    Ok(()) => {
                        shared.borrow_mut().passed_on = None;
                        maybe_pass_on(&shared);
                    }
                    Err(e) => shared
                        .borrow()
                        .problem(Problem::Storage(StorageError::Unavailable(e))),
                }
            });
        }
        Ok(preview)
    }

    /// The attestations to put in an export: the kept ones, with fresh
    /// ones from the server first when connected (kept for later).
    pub async fn attestations(shared: &Shared, keys: &DistrictKeys) -> Vec<Attestation> {
        let kept = crate::lock::store::attestations().await;
        let ask = {
            let r = shared.borrow();
            let ids: Vec<DocumentId> = r.node.documents().copied().collect();
            (r.server_conn.is_some() && !ids.is_empty())
                .then(|| (r.server_base(), r.token.clone(), ids))
        };
        let Some((base, Some(token), ids)) = ask else {
            return super::super::transfer::newest_attestations(kept, Vec::new(), &keys.server_key);
        };
        match super::super::api::attest(&base, &token, &ids).await {
            Ok(fresh) => {
                let newest =
                    super::super::transfer::newest_attestations(kept, fresh, &keys.server_key);
                if let Err(e) = crate::lock::store::keep_attestations(&newest).await {
                    shared
                        .borrow()
                        .problem(Problem::Storage(StorageError::Unavailable(e)));
                }
                newest
            }
            Err(_) => {
                super::super::transfer::newest_attestations(kept, Vec::new(), &keys.server_key)
            }
        }
    }

    fn identity() -> SyncIdentity {
        let mut id: SyncIdentity = BrowserStorage::get(IDENTITY_KEY).unwrap_or_default();
        if id.storage_id.is_none() {
            id.storage_id = Some(
                StorageId::from_random(random_bytes::<16>())
                    .as_str()
                    .to_owned(),
            );
            let _ = BrowserStorage::set(IDENTITY_KEY, &id);
        }
        id
    }

    pub fn start(ctx: SyncContext, settings: RwSignal<Settings>) {
        let identity = identity();
        let storage_id = StorageId::new(identity.storage_id.clone().unwrap_or_default());
        let peer = PeerId::from_random("tablet", &random_bytes::<8>());
        let session: [u8; 8] = random_bytes();
        let mut config = Config::client(peer.clone(), PeerMetadata::durable(storage_id));
        config.storage = true;
        config.session_id = yanzhen_sync::SessionId::new(format!(
            "{peer}-{}",
            session
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        ));
        let district = identity
            .district_document_id
            .as_deref()
            .and_then(|s| s.parse::<DocumentId>().ok());
        let shared: Shared = Rc::new(RefCell::new(Repo {
            node: SyncNode::new(config),
            store: None,
            ctx,
            settings,
            link: Link::new(),
            socket: None,
            next_conn: 0,
            server_conn: None,
            writes: VecDeque::new(),
            writing: false,
            write_retry_at: None,
            meta: BTreeMap::new(),
            district: None,
            bootstrapped: false,
            last_received: 0.0,
            pending_since: None,
            identity,
            started: false,
            loading: 0,
            token: None,
            read_only: BTreeSet::new(),
            planned: None,
            refused: None,
            handshaken: false,
            attesting: false,
            attested: None,
            passing_on: false,
            passed_on: None,
        }));
        ctx.repo.set_value(Some(shared.clone()));
        ctx.now.set(now());

        // Timers and network events live as long as the app.
        let s = shared.clone();
        let _ = set_interval_with_handle(move || tick(&s), Duration::from_secs(1));
        let s = shared.clone();
        std::mem::forget(window_event_listener(leptos::ev::online, move |_| {
            let action = s.borrow_mut().link.online(now());
            do_action(&s, action);
        }));
        let s = shared.clone();
        std::mem::forget(window_event_listener(leptos::ev::offline, move |_| {
            let action = s.borrow_mut().link.offline();
            do_action(&s, action);
        }));

        spawn_local(async move {
            if let Ok(storage) = window().navigator().storage().persist() {
                let _ = JsFuture::from(storage).await;
            }
        });

        // Enrolling (again) restarts the link with the new token.
        let s = shared.clone();
        leptos::prelude::Effect::new(move |_| {
            let e = ctx.enrolment.get();
            apply_enrolment(&s, e);
        });

        spawn_local(async move {
            let mut fx = Vec::new();
            let enrolment = ctx.enrolment.get_untracked();
            match IdbStore::open_default().await {
                Ok(store) => {
                    let ids = store.document_ids().await;
                    shared.borrow_mut().store = Some(store);
                    match ids {
                        // Not enrolled: show what the tablet has; enrolled:
                        // the enrolment's documents (found below).
                        Ok(ids) if enrolment.is_none() => {
                            let mut r = shared.borrow_mut();
                            for id in ids {
                                fx.extend(r.node.find(id));
                            }
                        }
                        Ok(_) => {}
                        Err(e) => shared.borrow().problem(Problem::Storage(e)),
                    }
                }
                Err(e) => shared.borrow().problem(Problem::Storage(e)),
            }
            if let Some(d) = district
                && enrolment.is_some()
            {
                fx.extend(set_district(&mut shared.borrow_mut(), d));
            }
            shared.borrow_mut().started = true;
            run(&shared, fx);
            let enrolled = enrolment.is_some();
            apply_enrolment(&shared, enrolment);
            // Nothing to load (a new tablet): loaded.
            loads_done(&shared);
            if enrolled {
                spawn_local(bootstrap(shared.clone()));
            } else {
                shared.borrow().show_connection();
            }
        });
    }
}
