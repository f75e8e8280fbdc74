//! The sans-IO sync state machine: one [`SyncNode`] per process (a tablet, the
//! server, a load-generator client), many connections.
//!
//! The IO layer numbers its connections ([`ConnectionId`]) and feeds
//! [`Event`]s to [`SyncNode::handle`] together with the current time in
//! milliseconds; the node answers with [`Effect`]s to carry out (send bytes,
//! close a connection, put/delete storage keys, load a document, tell the
//! app). Local operations ([`SyncNode::add_document`], [`SyncNode::find`],
//! [`SyncNode::change`], …) return effects too. The node never reads a clock
//! or a random source: time comes with each call, randomness with the
//! [`Config`] (peer id, storage id, ephemeral session id).
//!
//! Roles differ only in the handshake direction and in what is announced:
//! a [`Role::Client`] sends `join` on connections it opened and offers every
//! document it has to every peer; a [`Role::Server`] answers `join` with
//! `peer` (carrying its durable `storageId`, `isEphemeral: false`) and syncs a
//! document with a peer only once the peer asks for it. Both fan changes out
//! to every other connection syncing the same document, answer
//! `doc-unavailable` for documents they cannot get, check an
//! [`AccessPolicy`] before serving or applying anything, and turn oversize or
//! malformed input into an `error` message plus a close — never a panic.
//!
//! Long file: the sans-IO state machine is one `impl SyncNode` whose handlers
//! share its private state (documents, peers, sync states, bounds); split
//! across files, every handler would need that state made visible. Its tests
//! live in `crates/sync/tests/`.

use std::collections::{BTreeMap, BTreeSet};

use automerge::sync::{self, SyncDoc};
use automerge::{Automerge, ChangeHash};

use crate::Error;
use crate::access::{Access, AccessPolicy, AllowAll};
use crate::bounds::{self, Limits};
use crate::ids::{ConnectionId, DocumentId, PeerId, SessionId};
use crate::message::{Message, PROTOCOL_V1, PeerMetadata};
use crate::storage::{DocStorage, StorageKey, StorageOp, load_document};

/// Which side of the websocket protocol this node plays, and whether it
/// offers its documents unasked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A tablet or other client: joins, announces its documents.
    Client,
    /// The sync server: answers joins, syncs what peers ask for.
    Server,
}

/// Configuration of a node.
#[derive(Clone, Debug)]
pub struct Config {
    /// This node's peer id (make it from random bytes: [`PeerId::from_random`]).
    pub peer_id: PeerId,
    /// Metadata sent in `join` / `peer`. A server must send a durable
    /// `storageId` and `isEphemeral: false`, or JS clients never record its
    /// heads.
    pub metadata: PeerMetadata,
    /// Client or server.
    pub role: Role,
    /// Incoming messages larger than this are refused (error + close).
    pub max_message_bytes: usize,
    /// With storage, documents not in memory are loaded through
    /// [`Effect::LoadDocument`] / [`Event::DocumentLoaded`] and changes are
    /// saved as [`Effect::Storage`] ops. Without, nothing is loaded or saved.
    pub storage: bool,
    /// Saves of a changed document wait this long (milliseconds) for more
    /// changes; [`Event::Tick`] or [`SyncNode::flush`] write them.
    pub save_debounce_ms: u64,
    /// Session id of this node's ephemeral messages (random per process).
    pub session_id: SessionId,
    /// How many sync states of disconnected peers to keep for a quick
    /// resync when they come back.
    pub max_retained_sync_states: usize,
    /// Bytes of those retained sync states, all peers together; the oldest
    /// go first.
    pub max_retained_bytes: usize,
    /// Bounds on the Automerge data of one incoming sync message, checked
    /// before Automerge parses it ([`crate::bounds`]).
    pub limits: Limits,
    /// Largest `data` of an ephemeral message that is relayed or delivered.
    pub max_ephemeral_bytes: usize,
    /// Ephemeral messages one connection may send per minute (also its
    /// burst); more are dropped. 0: no limit.
    pub ephemeral_per_minute: u32,
}

/// Ephemeral sessions remembered per connection (for duplicate
/// suppression); the oldest is forgotten first.
const MAX_EPHEMERAL_SESSIONS: usize = 64;

impl Config {
    /// A client with the given identity and no storage.
    pub fn client(peer_id: PeerId, metadata: PeerMetadata) -> Self {
        Self {
            session_id: SessionId::new(format!("{peer_id}-session")),
            peer_id,
            metadata,
            role: Role::Client,
            max_message_bytes: 64 * 1024 * 1024,
            storage: false,
            save_debounce_ms: 0,
            max_retained_sync_states: 10_000,
            max_retained_bytes: 16 * 1024 * 1024,
            limits: Limits::DEFAULT,
            max_ephemeral_bytes: 64 * 1024,
            ephemeral_per_minute: 600,
        }
    }

    /// A server with durable storage `metadata` (see [`PeerMetadata::durable`]).
    pub fn server(peer_id: PeerId, metadata: PeerMetadata) -> Self {
        Self {
            role: Role::Server,
            storage: true,
            save_debounce_ms: 100,
            max_message_bytes: 16 * 1024 * 1024,
            max_retained_sync_states: 100_000,
            max_retained_bytes: 64 * 1024 * 1024,
            ..Self::client(peer_id, metadata)
        }
    }
}

/// Something that happened, for the node to react to.
#[derive(Clone, Debug)]
pub enum Event {
    /// A transport connection opened. `initiator`: we opened it (we send
    /// `join`); otherwise we wait for the peer's `join`.
    Connected { conn: ConnectionId, initiator: bool },
    /// One websocket (binary) message arrived.
    Received { conn: ConnectionId, bytes: Vec<u8> },
    /// The connection is gone.
    Disconnected { conn: ConnectionId },
    /// The answer to [`Effect::LoadDocument`]: every chunk stored under the
    /// document's `snapshot` and `incremental` prefixes (empty if none).
    DocumentLoaded {
        doc: DocumentId,
        chunks: Vec<(StorageKey, Vec<u8>)>,
    },
    /// Time passed: write due saves.
    Tick,
}

/// Something for the IO layer or the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Send one binary websocket message.
    Send { conn: ConnectionId, bytes: Vec<u8> },
    /// Close the connection (after sending what was queued before).
    Close { conn: ConnectionId, reason: String },
    /// Carry out a storage operation.
    Storage(StorageOp),
    /// Load the document's chunks and answer with [`Event::DocumentLoaded`].
    LoadDocument { doc: DocumentId },
    /// The handshake completed.
    PeerConnected {
        conn: ConnectionId,
        peer_id: PeerId,
        metadata: PeerMetadata,
    },
    /// A handshaken peer went away.
    PeerDisconnected { conn: ConnectionId, peer_id: PeerId },
    /// The peer sent an `error` message.
    RemoteError { conn: ConnectionId, message: String },
    /// A peer's changes (or a load) changed a document.
    DocumentChanged {
        doc: DocumentId,
        heads: Vec<ChangeHash>,
    },
    /// A document asked for with [`SyncNode::find`] is not to be had from
    /// any connected peer.
    DocumentUnavailable { doc: DocumentId },
    /// An ephemeral message for the app.
    Ephemeral {
        doc: DocumentId,
        from: PeerId,
        data: Vec<u8>,
    },
}

/// Where a document stands locally.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocStatus {
    /// We have it (possibly empty).
    Ready,
    /// Waiting for [`Event::DocumentLoaded`].
    Loading,
    /// Asked peers for it, no answer yet.
    Requesting,
    /// Every peer said it does not have it.
    Unavailable,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PeerDocStatus {
    Unknown,
    Has,
    Wants,
    Unavailable,
}

struct PeerDoc {
    sync: sync::State,
    status: PeerDocStatus,
    write_refusal_sent: bool,
}

impl PeerDoc {
    /// The peer's state in `peers` (made on first use from the sync state
    /// `retained` for it, if any), read-only unless `access` can write.
    fn of(
        peers: &mut BTreeMap<ConnectionId, PeerDoc>,
        conn: ConnectionId,
        retained: Option<Vec<u8>>,
        access: Access,
    ) -> &mut PeerDoc {
        let p = peers.entry(conn).or_insert_with(|| PeerDoc {
            sync: retained
                .and_then(|b| sync::State::decode(&b).ok())
                .unwrap_or_default(),
            status: PeerDocStatus::Unknown,
            write_refusal_sent: false,
        });
        p.sync.set_read_only(!access.can_write());
        p
    }
}

struct Doc {
    am: Automerge,
    status: DocStatus,
    /// The app asked for it (find/add), as opposed to a peer's request.
    wanted: bool,
    peers: BTreeMap<ConnectionId, PeerDoc>,
    storage: DocStorage,
    dirty_since: Option<u64>,
    /// Messages that arrived while loading.
    pending: Vec<(ConnectionId, Message)>,
    /// Reloaded by [`SyncNode::reload_document`]: sync with every peer
    /// once the load is in.
    resync_on_load: bool,
}

impl Doc {
    fn new(am: Automerge, status: DocStatus, wanted: bool) -> Self {
        Self {
            am,
            status,
            wanted,
            peers: BTreeMap::new(),
            storage: DocStorage::new(),
            dirty_since: None,
            pending: Vec::new(),
            resync_on_load: false,
        }
    }
}

enum ConnState {
    AwaitingJoin,
    AwaitingPeer,
    Ready {
        peer_id: PeerId,
        metadata: PeerMetadata,
    },
}

/// The state machine. See the module docs.
pub struct SyncNode {
    config: Config,
    policy: Box<dyn AccessPolicy>,
    now_ms: u64,
    conns: BTreeMap<ConnectionId, ConnState>,
    docs: BTreeMap<DocumentId, Doc>,
    retained: Retained,
    /// Per handshaken connection: its ephemeral rate and recent sessions
    /// (gone with the connection).
    ephemeral: BTreeMap<ConnectionId, EphemeralGate>,
    ephemeral_count: u64,
    /// While a batch is open ([`SyncNode::begin_batch`]): the sync messages
    /// and saves put off until [`SyncNode::end_batch`].
    batch: Option<Batch>,
    /// With [`SyncNode::track_applied`]: the changes each received sync
    /// message applied, until [`SyncNode::take_applied`].
    applied: Option<Vec<Applied>>,
}

/// The changes one received sync message applied to a document: which
/// connection delivered them (see [`SyncNode::track_applied`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The connection whose message applied them.
    pub conn: ConnectionId,
    /// The document.
    pub doc: DocumentId,
    /// The changes new to the document (not in it before the message).
    pub changes: Vec<ChangeHash>,
}

/// Sync states of disconnected peers, bounded in count and bytes (oldest
/// out first).
#[derive(Default)]
struct Retained {
    states: BTreeMap<(PeerId, DocumentId), (u64, Vec<u8>)>,
    order: BTreeMap<u64, (PeerId, DocumentId)>,
    next: u64,
    bytes: usize,
}

impl Retained {
    fn take(&mut self, key: &(PeerId, DocumentId)) -> Option<Vec<u8>> {
        let (seq, state) = self.states.remove(key)?;
        self.order.remove(&seq);
        self.bytes -= state.len();
        Some(state)
    }

    fn keep(&mut self, key: (PeerId, DocumentId), state: Vec<u8>, max: usize, max_bytes: usize) {
        self.take(&key);
        if max == 0 || state.len() > max_bytes {
            return;
        }
        while self.states.len() >= max || self.bytes + state.len() > max_bytes {
            let Some((_, oldest)) = self.order.pop_first() else {
                break;
            };
            if let Some((_, s)) = self.states.remove(&oldest) {
                self.bytes -= s.len();
            }
        }
        self.next += 1;
        self.bytes += state.len();
        self.order.insert(self.next, key.clone());
        self.states.insert(key, (self.next, state));
    }
}

/// What a node holds per peer, to check that it stays bounded and is freed
/// when peers go ([`SyncNode::held`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held {
    /// Connections the node knows.
    pub connections: usize,
    /// Retained sync states of disconnected peers.
    pub retained_states: usize,
    /// Their bytes.
    pub retained_bytes: usize,
    /// Connections with ephemeral state (rate, sessions seen).
    pub ephemeral_gates: usize,
    /// Ephemeral sessions remembered, all connections together.
    pub ephemeral_sessions: usize,
}

/// One connection's ephemeral traffic: a token bucket and the last count
/// seen per (sender, session).
struct EphemeralGate {
    allowance: f64,
    last_ms: u64,
    seen: BTreeMap<(PeerId, SessionId), u64>,
    refusal_sent: bool,
}

impl EphemeralGate {
    fn new(per_minute: u32, now_ms: u64) -> Self {
        Self {
            allowance: f64::from(per_minute),
            last_ms: now_ms,
            seen: BTreeMap::new(),
            refusal_sent: false,
        }
    }

    /// Takes one message's token; `false` when the connection is over its rate.
    fn admit(&mut self, per_minute: u32, now_ms: u64) -> bool {
        if per_minute == 0 {
            return true;
        }
        let rate = f64::from(per_minute);
        let elapsed = now_ms.saturating_sub(self.last_ms) as f64;
        self.last_ms = self.last_ms.max(now_ms);
        self.allowance = (self.allowance + elapsed * rate / 60_000.0).min(rate);
        if self.allowance < 1.0 {
            return false;
        }
        self.allowance -= 1.0;
        true
    }

    /// `true` if `count` is new for the sender's session (remembered).
    fn fresh(&mut self, key: (PeerId, SessionId), count: u64) -> bool {
        if self.seen.get(&key).is_some_and(|c| *c >= count) {
            return false;
        }
        if !self.seen.contains_key(&key) && self.seen.len() >= MAX_EPHEMERAL_SESSIONS {
            // Forget the session with the lowest count (the least active).
            if let Some(k) = self
                .seen
                .iter()
                .min_by_key(|(_, c)| **c)
                .map(|(k, _)| k.clone())
            {
                self.seen.remove(&k);
            }
        }
        self.seen.insert(key, count);
        true
    }
}

/// What a batch has put off: the documents that changed in it (every peer
/// syncing them gets one message at the end).
#[derive(Default)]
struct Batch {
    changed: BTreeSet<DocumentId>,
}

type Effects = Vec<Effect>;

/// The reason an input over a size limit is refused with.
fn too_big(what: &str, len: usize, limit: usize) -> String {
    format!("{what} of {len} bytes exceeds the limit of {limit} bytes")
}

impl SyncNode {
    /// A node that lets every peer read and write everything.
    pub fn new(config: Config) -> Self {
        Self::with_policy(config, Box::new(AllowAll))
    }

    /// A node that asks `policy` before serving or applying anything.
    pub fn with_policy(config: Config, policy: Box<dyn AccessPolicy>) -> Self {
        Self {
            config,
            policy,
            now_ms: 0,
            conns: BTreeMap::new(),
            docs: BTreeMap::new(),
            retained: Retained::default(),
            ephemeral: BTreeMap::new(),
            ephemeral_count: 0,
            batch: None,
            applied: None,
        }
    }

    /// This node's configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The peer id of a handshaken connection.
    pub fn peer_of(&self, conn: ConnectionId) -> Option<&PeerId> {
        match self.conns.get(&conn) {
            Some(ConnState::Ready { peer_id, .. }) => Some(peer_id),
            _ => None,
        }
    }

    /// A document, if in memory.
    pub fn document(&self, doc: &DocumentId) -> Option<&Automerge> {
        self.docs.get(doc).map(|d| &d.am)
    }

    /// Where a document stands, if known.
    pub fn status(&self, doc: &DocumentId) -> Option<DocStatus> {
        self.docs.get(doc).map(|d| d.status)
    }

    /// The heads the peer on `conn` last told us it has for a document: when
    /// they equal ours, that peer has everything we have (e.g. "saved on the
    /// server").
    pub fn peer_heads(&self, doc: &DocumentId, conn: ConnectionId) -> Option<&[ChangeHash]> {
        self.docs
            .get(doc)?
            .peers
            .get(&conn)?
            .sync
            .their_heads
            .as_deref()
    }

    /// What the node holds per peer (see [`Held`]).
    pub fn held(&self) -> Held {
        Held {
            connections: self.conns.len(),
            retained_states: self.retained.states.len(),
            retained_bytes: self.retained.bytes,
            ephemeral_gates: self.ephemeral.len(),
            ephemeral_sessions: self.ephemeral.values().map(|g| g.seen.len()).sum(),
        }
    }

    /// From now on, records which changes each received sync message
    /// applied and from which connection ([`SyncNode::take_applied`]): for
    /// an IO layer that checks who made what (the server's authorship
    /// check). Costs one walk over the new changes per message that
    /// changed a document.
    pub fn track_applied(&mut self) {
        self.applied.get_or_insert_with(Vec::new);
    }

    /// The changes applied since the last call, message by message, in
    /// the order they were applied (empty unless
    /// [`SyncNode::track_applied`] was called).
    pub fn take_applied(&mut self) -> Vec<Applied> {
        self.applied
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// The documents in memory.
    pub fn documents(&self) -> impl Iterator<Item = &DocumentId> {
        self.docs.keys()
    }

    /// Reacts to an event at time `now_ms`.
    pub fn handle(&mut self, now_ms: u64, event: Event) -> Effects {
        self.now_ms = self.now_ms.max(now_ms);
        let mut fx = Vec::new();
        match event {
            Event::Connected { conn, initiator } => self.connected(conn, initiator, &mut fx),
            Event::Received { conn, bytes } => self.received(conn, &bytes, &mut fx),
            Event::Disconnected { conn } => self.disconnected(conn, &mut fx),
            Event::DocumentLoaded { doc, chunks } => self.loaded(doc, chunks, &mut fx),
            Event::Tick => {}
        }
        if self.batch.is_none() {
            self.save_due(false, &mut fx);
        }
        fx
    }

    /// Opens a batch: until [`SyncNode::end_batch`], the fan-out of a
    /// peer's changes to the document's *other* peers, and the saves of
    /// changed documents, are put off and then made once per document and
    /// peer. An IO layer that drains several received messages at once (the
    /// server's hub) sends far fewer, fuller messages that way: four
    /// tablets' changes to one document arriving together reach each other
    /// peer in one message, not four, and are saved as one chunk.
    ///
    /// The answer to each sync message still comes out of `handle` at once,
    /// computed right after that message: Automerge's sync protocol counts
    /// on it. (Answered only at the batch's end, a peer's later message
    /// saying it has our heads marks them as sent, and the peer is never
    /// told that we have its own changes.) So do handshakes, errors,
    /// closes, unavailability and loads. Opening an open batch does nothing.
    pub fn begin_batch(&mut self) {
        self.batch.get_or_insert_with(Batch::default);
    }

    /// Closes the batch opened by [`SyncNode::begin_batch`]: one sync message
    /// to each peer of every document that changed in it (none where the
    /// peer's answer already carried everything), and the saves that are
    /// due. Without an open batch it only writes due saves (like
    /// [`Event::Tick`]).
    pub fn end_batch(&mut self) -> Effects {
        let mut fx = Vec::new();
        if let Some(batch) = self.batch.take() {
            for id in &batch.changed {
                self.sync_with_peers(*id, None, &mut fx);
            }
        }
        self.save_due(false, &mut fx);
        fx
    }

    /// Writes every unsaved change now (e.g. before shutdown).
    pub fn flush(&mut self) -> Effects {
        let mut fx = Vec::new();
        self.save_due(true, &mut fx);
        fx
    }

    /// Adds a document the app created or loaded itself, and offers it to
    /// peers (a client offers it to all, a server to those syncing it).
    pub fn add_document(&mut self, id: DocumentId, am: Automerge) -> Result<Effects, Error> {
        if let Some(d) = self.docs.get(&id)
            && d.status == DocStatus::Ready
        {
            return Err(Error::DocumentExists(id));
        }
        let mut fx = Vec::new();
        let previous = self.docs.remove(&id);
        let mut doc = Doc::new(am, DocStatus::Ready, true);
        if let Some(p) = previous {
            doc.peers = p.peers;
            doc.pending = p.pending;
        }
        self.docs.insert(id, doc);
        self.mark_dirty(id);
        self.sync_with_peers(id, None, &mut fx);
        self.save_due(false, &mut fx);
        Ok(fx)
    }

    /// Asks for a document: from storage first (if configured), then from
    /// every connected peer. [`Effect::DocumentChanged`] tells when it
    /// arrives, [`Effect::DocumentUnavailable`] when no peer has it.
    pub fn find(&mut self, id: DocumentId) -> Effects {
        let mut fx = Vec::new();
        match self.docs.get_mut(&id) {
            Some(d) => {
                d.wanted = true;
                if d.status == DocStatus::Unavailable {
                    d.status = DocStatus::Requesting;
                    for p in d.peers.values_mut() {
                        p.status = PeerDocStatus::Unknown;
                        p.sync = sync::State::new();
                    }
                }
                if d.status != DocStatus::Loading {
                    self.sync_with_peers(id, None, &mut fx);
                    self.check_unavailable(id, &mut fx);
                }
            }
            None => {
                if self.config.storage {
                    self.docs
                        .insert(id, Doc::new(Automerge::new(), DocStatus::Loading, true));
                    fx.push(Effect::LoadDocument { doc: id });
                } else {
                    self.docs
                        .insert(id, Doc::new(Automerge::new(), DocStatus::Requesting, true));
                    self.sync_with_peers(id, None, &mut fx);
                    self.check_unavailable(id, &mut fx);
                }
            }
        }
        fx
    }

    /// Changes a document locally (`f` gets the document; make changes in a
    /// transaction) and syncs the change to the peers.
    pub fn change<R>(
        &mut self,
        id: DocumentId,
        f: impl FnOnce(&mut Automerge) -> R,
    ) -> Result<(R, Effects), Error> {
        let d = self.docs.get_mut(&id).ok_or(Error::UnknownDocument(id))?;
        let before = d.am.get_heads();
        let r = f(&mut d.am);
        let mut fx = Vec::new();
        if d.am.get_heads() != before {
            d.status = DocStatus::Ready;
            self.mark_dirty(id);
            self.sync_with_peers(id, None, &mut fx);
            self.save_due(false, &mut fx);
        }
        Ok((r, fx))
    }

    /// Forgets what is in memory of a document and loads it again from
    /// storage, keeping the peers that sync it (their sync states start
    /// afresh and each gets a sync message once the load is in). For an IO
    /// layer whose storage refused a save: the unsaved changes leave memory
    /// (their senders still hold them and send them again), and nothing
    /// that depended on them is ever sent. Without storage, or for a
    /// document not in memory, it does nothing.
    pub fn reload_document(&mut self, id: DocumentId) -> Effects {
        let mut fx = Vec::new();
        if !self.config.storage {
            return fx;
        }
        let Some(d) = self.docs.get_mut(&id) else {
            return fx;
        };
        d.am = Automerge::new();
        d.storage = DocStorage::new();
        d.dirty_since = None;
        d.pending.clear();
        d.status = DocStatus::Loading;
        d.resync_on_load = true;
        for p in d.peers.values_mut() {
            p.sync = sync::State::new();
            p.status = PeerDocStatus::Unknown;
        }
        if let Some(batch) = &mut self.batch {
            batch.changed.remove(&id);
        }
        fx.push(Effect::LoadDocument { doc: id });
        fx
    }

    /// The keys of the chunks the node knows its document `id` to have in
    /// storage (loaded, saved or merged); `None` unless the document is
    /// in memory and ready. With [`SyncNode::merge_stored`]: what another
    /// writer of the same storage added is what is stored and not here.
    pub fn stored_chunk_keys(&self, id: &DocumentId) -> Option<Vec<StorageKey>> {
        let d = self.docs.get(id)?;
        (d.status == DocStatus::Ready)
            .then(|| d.storage.chunks().iter().map(|c| c.key.clone()).collect())
    }

    /// Merges chunks of document `id` that another writer of the same
    /// storage (another server node) saved into the document in memory,
    /// and syncs what they changed with the document's peers (in a batch:
    /// at its end). The chunks are stored already, so nothing is saved
    /// again; they are remembered as stored, so a later compaction may
    /// delete them (its snapshot covers them). Chunks are measured like a
    /// load's before Automerge sees them. Does nothing unless the document
    /// is in memory and ready (a load reads storage anyway). The error
    /// names the first chunk that does not load (the chunks before it are
    /// merged, and the effects say what they changed).
    pub fn merge_stored(
        &mut self,
        id: DocumentId,
        chunks: Vec<(StorageKey, Vec<u8>)>,
    ) -> (Effects, Result<(), Error>) {
        let mut fx = Vec::new();
        let Some(d) = self.docs.get_mut(&id) else {
            return (fx, Ok(()));
        };
        if d.status != DocStatus::Ready || chunks.is_empty() {
            return (fx, Ok(()));
        }
        let clean = !d.storage.needs_save(&d.am) && d.dirty_since.is_none();
        let before = d.am.get_heads();
        let mut merged = Vec::new();
        let mut failure = None;
        for (key, data) in chunks {
            let Some(kind) = crate::storage::chunk_kind(&key) else {
                continue;
            };
            let mut budget = bounds::Budget::default();
            let loaded = bounds::check_chunks_with(&data, &Limits::WHOLE, &mut budget)
                .map_err(|e| e.to_string())
                .and_then(|()| d.am.load_incremental(&data).map_err(|e| e.to_string()));
            if let Err(e) = loaded {
                failure = Some(Error::Storage(format!("chunk {key:?}: {e}")));
                break;
            }
            merged.push(crate::storage::ChunkInfo {
                key,
                kind,
                size: data.len(),
            });
        }
        let after = d.am.get_heads();
        // Changes Automerge holds back for missing dependencies are not in
        // what this node would save: their chunks are not recorded as
        // stored, so no compaction of ours deletes them (they are read
        // again next time).
        if automerge::ReadDoc::get_missing_deps(&d.am, &[]).is_empty() {
            d.storage.note_merged(merged, clean.then(|| after.clone()));
        } else if failure.is_none() {
            failure = Some(Error::Storage(format!(
                "chunks of document {id} wait for changes not stored yet; not recorded"
            )));
        }
        if after != before {
            fx.push(Effect::DocumentChanged {
                doc: id,
                heads: after,
            });
            match &mut self.batch {
                Some(batch) => {
                    batch.changed.insert(id);
                }
                None => self.sync_with_peers(id, None, &mut fx),
            }
        }
        (fx, failure.map_or(Ok(()), Err))
    }

    /// Sends ephemeral `data` to every peer syncing the document.
    pub fn broadcast_ephemeral(&mut self, id: DocumentId, data: Vec<u8>) -> Effects {
        let mut fx = Vec::new();
        let Some(d) = self.docs.get(&id) else {
            return fx;
        };
        self.ephemeral_count += 1;
        for conn in d.peers.keys() {
            if let Some(ConnState::Ready { peer_id, .. }) = self.conns.get(conn) {
                let m = Message::Ephemeral {
                    sender_id: self.config.peer_id.clone(),
                    target_id: peer_id.clone(),
                    document_id: id,
                    session_id: self.config.session_id.clone(),
                    count: self.ephemeral_count,
                    data: data.clone(),
                };
                fx.push(Effect::Send {
                    conn: *conn,
                    bytes: m.encode(),
                });
            }
        }
        fx
    }

    // ---- connections ----

    fn connected(&mut self, conn: ConnectionId, initiator: bool, fx: &mut Effects) {
        if initiator {
            self.conns.insert(conn, ConnState::AwaitingPeer);
            let join = Message::Join {
                sender_id: self.config.peer_id.clone(),
                peer_metadata: self.config.metadata.clone(),
                supported_protocol_versions: vec![PROTOCOL_V1.to_owned()],
            };
            fx.push(Effect::Send {
                conn,
                bytes: join.encode(),
            });
        } else {
            self.conns.insert(conn, ConnState::AwaitingJoin);
        }
    }

    fn disconnected(&mut self, conn: ConnectionId, fx: &mut Effects) {
        let Some(state) = self.conns.remove(&conn) else {
            return;
        };
        self.ephemeral.remove(&conn);
        let peer = match state {
            ConnState::Ready { peer_id, .. } => {
                fx.push(Effect::PeerDisconnected {
                    conn,
                    peer_id: peer_id.clone(),
                });
                Some(peer_id)
            }
            _ => None,
        };
        let ids: Vec<DocumentId> = self.docs.keys().copied().collect();
        for id in ids {
            let Some(d) = self.docs.get_mut(&id) else {
                continue;
            };
            d.pending.retain(|(c, _)| *c != conn);
            if let Some(p) = d.peers.remove(&conn) {
                if let Some(peer) = &peer {
                    self.retained.keep(
                        (peer.clone(), id),
                        p.sync.encode(),
                        self.config.max_retained_sync_states,
                        self.config.max_retained_bytes,
                    );
                }
                self.check_unavailable(id, fx);
            }
        }
    }

    /// The peer id on `conn`, or an empty one before the handshake.
    fn peer_or_empty(&self, conn: ConnectionId) -> PeerId {
        self.peer_of(conn)
            .cloned()
            .unwrap_or_else(|| PeerId::new(""))
    }

    /// An `error` message from us to the peer on `conn`.
    fn error_to(&self, conn: ConnectionId, message: String) -> Message {
        Message::Error {
            sender_id: self.config.peer_id.clone(),
            target_id: self.peer_or_empty(conn),
            message,
        }
    }

    /// Sends an `error` and closes the connection.
    fn fail(&mut self, conn: ConnectionId, reason: String, fx: &mut Effects) {
        let m = self.error_to(conn, reason.clone());
        fx.push(Effect::Send {
            conn,
            bytes: m.encode(),
        });
        fx.push(Effect::Close { conn, reason });
        self.disconnected(conn, fx);
    }

    fn send(&self, conn: ConnectionId, m: &Message, fx: &mut Effects) {
        fx.push(Effect::Send {
            conn,
            bytes: m.encode(),
        });
    }

    fn received(&mut self, conn: ConnectionId, bytes: &[u8], fx: &mut Effects) {
        // A connection the IO layer did not announce: treat it as incoming.
        self.conns.entry(conn).or_insert(ConnState::AwaitingJoin);
        if bytes.len() > self.config.max_message_bytes {
            let reason = too_big("message", bytes.len(), self.config.max_message_bytes);
            return self.fail(conn, reason, fx);
        }
        let msg = match Message::decode(bytes) {
            Ok(m) => m,
            Err(e) => return self.fail(conn, e.to_string(), fx),
        };
        match self.conns.get(&conn) {
            Some(ConnState::AwaitingJoin) => self.on_join(conn, msg, fx),
            Some(ConnState::AwaitingPeer) => self.on_peer(conn, msg, fx),
            Some(ConnState::Ready { peer_id, .. }) => {
                let peer_id = peer_id.clone();
                self.on_ready_message(conn, peer_id, msg, fx)
            }
            None => {}
        }
    }

    fn on_join(&mut self, conn: ConnectionId, msg: Message, fx: &mut Effects) {
        let Message::Join {
            sender_id,
            peer_metadata,
            supported_protocol_versions,
        } = msg
        else {
            let reason = format!("expected a join message, got {}", msg.type_name());
            return self.fail(conn, reason, fx);
        };
        if sender_id.as_str().is_empty() {
            return self.fail(conn, "join without a senderId".to_owned(), fx);
        }
        if !supported_protocol_versions.is_empty()
            && !supported_protocol_versions.iter().any(|v| v == PROTOCOL_V1)
        {
            self.conns.insert(
                conn,
                ConnState::Ready {
                    peer_id: sender_id,
                    metadata: peer_metadata,
                },
            );
            return self.fail(conn, "unsupported protocol version".to_owned(), fx);
        }
        // The same peer on another connection: that one is stale.
        let stale: Vec<ConnectionId> = self
            .conns
            .iter()
            .filter(|(c, s)| {
                **c != conn
                    && matches!(s, ConnState::Ready { peer_id, .. } if *peer_id == sender_id)
            })
            .map(|(c, _)| *c)
            .collect();
        for c in stale {
            fx.push(Effect::Close {
                conn: c,
                reason: format!("peer {sender_id} connected again"),
            });
            self.disconnected(c, fx);
        }
        let peer = Message::Peer {
            sender_id: self.config.peer_id.clone(),
            target_id: sender_id.clone(),
            peer_metadata: self.config.metadata.clone(),
            selected_protocol_version: PROTOCOL_V1.to_owned(),
        };
        self.send(conn, &peer, fx);
        self.ready(conn, sender_id, peer_metadata, fx);
    }

    fn on_peer(&mut self, conn: ConnectionId, msg: Message, fx: &mut Effects) {
        match msg {
            Message::Peer {
                sender_id,
                peer_metadata,
                selected_protocol_version,
                ..
            } => {
                if selected_protocol_version != PROTOCOL_V1 {
                    let reason =
                        format!("unsupported protocol version {selected_protocol_version:?}");
                    return self.fail(conn, reason, fx);
                }
                self.ready(conn, sender_id, peer_metadata, fx);
            }
            Message::Error { message, .. } => {
                fx.push(Effect::RemoteError {
                    conn,
                    message: message.clone(),
                });
                fx.push(Effect::Close {
                    conn,
                    reason: message,
                });
                self.disconnected(conn, fx);
            }
            // Anything else before the handshake is ignored, as JS does.
            _ => {}
        }
    }

    fn ready(
        &mut self,
        conn: ConnectionId,
        peer_id: PeerId,
        metadata: PeerMetadata,
        fx: &mut Effects,
    ) {
        fx.push(Effect::PeerConnected {
            conn,
            peer_id: peer_id.clone(),
            metadata: metadata.clone(),
        });
        self.conns
            .insert(conn, ConnState::Ready { peer_id, metadata });
        if self.config.role == Role::Client {
            let ids: Vec<DocumentId> = self
                .docs
                .iter()
                .filter(|(_, d)| d.wanted && d.status != DocStatus::Loading)
                .map(|(id, _)| *id)
                .collect();
            for id in ids {
                if let Some(d) = self.docs.get_mut(&id)
                    && d.status == DocStatus::Unavailable
                {
                    d.status = DocStatus::Requesting;
                }
                self.sync_with_peers(id, Some(conn), fx);
            }
        }
    }

    fn on_ready_message(
        &mut self,
        conn: ConnectionId,
        peer: PeerId,
        msg: Message,
        fx: &mut Effects,
    ) {
        // A server takes every message, ephemeral ones too, only from the
        // peer that joined (it relays them with that sender); a client also
        // gets ephemeral messages the server relays from others.
        let relayed_ephemeral =
            self.config.role == Role::Client && matches!(msg, Message::Ephemeral { .. });
        if let Some(sender) = msg.sender_id()
            && *sender != peer
            && !relayed_ephemeral
        {
            let reason = format!(
                "senderId {sender} of a {} message is not the peer {peer} that joined",
                msg.type_name()
            );
            return self.fail(conn, reason, fx);
        }
        match msg {
            Message::Join { .. } => {
                // A repeated join on the same connection: answer again.
                let m = Message::Peer {
                    sender_id: self.config.peer_id.clone(),
                    target_id: peer,
                    peer_metadata: self.config.metadata.clone(),
                    selected_protocol_version: PROTOCOL_V1.to_owned(),
                };
                self.send(conn, &m, fx);
            }
            Message::Error { message, .. } => fx.push(Effect::RemoteError { conn, message }),
            Message::Request { .. } | Message::Sync { .. } => self.on_sync(conn, msg, false, fx),
            Message::DocUnavailable { document_id, .. } => {
                if let Some(p) = self
                    .docs
                    .get_mut(&document_id)
                    .and_then(|d| d.peers.get_mut(&conn))
                {
                    p.status = PeerDocStatus::Unavailable;
                }
                self.check_unavailable(document_id, fx);
            }
            Message::Ephemeral { .. } => self.on_ephemeral(conn, msg, fx),
            // Newer automerge-repo's remote-heads gossip, and anything
            // unknown: decoded, and ignored.
            Message::Peer { .. }
            | Message::RemoteSubscriptionChange { .. }
            | Message::RemoteHeadsChanged { .. }
            | Message::Unknown { .. } => {}
        }
    }

    fn access(&self, conn: ConnectionId, doc: &DocumentId) -> Access {
        match self.conns.get(&conn) {
            Some(ConnState::Ready { peer_id, metadata }) => {
                self.policy.access(peer_id, metadata, doc)
            }
            _ => Access::None,
        }
    }

    fn refuse(
        &mut self,
        conn: ConnectionId,
        doc: DocumentId,
        reason: String,
        unavailable: bool,
        fx: &mut Effects,
    ) {
        let m = self.error_to(conn, reason);
        self.send(conn, &m, fx);
        if unavailable {
            let m = Message::DocUnavailable {
                sender_id: self.config.peer_id.clone(),
                target_id: self.peer_or_empty(conn),
                document_id: doc,
            };
            self.send(conn, &m, fx);
        }
    }

    // ---- documents ----

    /// A `request` or `sync` message from a handshaken peer. `storage_checked`:
    /// storage has already been asked about this document.
    fn on_sync(
        &mut self,
        conn: ConnectionId,
        msg: Message,
        storage_checked: bool,
        fx: &mut Effects,
    ) {
        let (doc_id, data, is_request) = match &msg {
            Message::Request {
                document_id, data, ..
            } => (*document_id, data, true),
            Message::Sync {
                document_id, data, ..
            } => (*document_id, data, false),
            _ => return,
        };
        let Some(peer) = self.peer_of(conn).cloned() else {
            return;
        };
        let access = self.access(conn, &doc_id);
        if !access.can_read() {
            let reason = format!("access denied: peer {peer} may not read document {doc_id}");
            return self.refuse(conn, doc_id, reason, true, fx);
        }
        if let Err(e) = bounds::check_sync_message(data, &self.config.limits) {
            let reason = match e {
                bounds::BoundsError::Malformed(_) | bounds::BoundsError::Deflate(_) => {
                    format!("invalid sync message for document {doc_id}: {e}")
                }
                _ => format!("sync message for document {doc_id} refused: {e}"),
            };
            return self.fail(conn, reason, fx);
        }
        let sync_msg = match sync::Message::decode(data) {
            Ok(m) => m,
            Err(e) => {
                let reason = format!("invalid sync message for document {doc_id}: {e}");
                return self.fail(conn, reason, fx);
            }
        };

        if !self.docs.contains_key(&doc_id) {
            if self.config.storage && !storage_checked {
                let mut d = Doc::new(Automerge::new(), DocStatus::Loading, false);
                d.pending.push((conn, msg));
                self.docs.insert(doc_id, d);
                fx.push(Effect::LoadDocument { doc: doc_id });
                return;
            }
            if sync_msg.heads.is_empty() {
                // Neither side has it.
                let m = Message::DocUnavailable {
                    sender_id: self.config.peer_id.clone(),
                    target_id: peer,
                    document_id: doc_id,
                };
                return self.send(conn, &m, fx);
            }
            if !access.can_write() {
                let reason = format!(
                    "access denied: peer {peer} may not write document {doc_id}, so it cannot create it"
                );
                return self.refuse(conn, doc_id, reason, true, fx);
            }
            self.docs
                .insert(doc_id, Doc::new(Automerge::new(), DocStatus::Ready, false));
        }
        let retained = self.retained.take(&(peer.clone(), doc_id));
        let Some(d) = self.docs.get_mut(&doc_id) else {
            return;
        };
        if d.status == DocStatus::Loading {
            d.pending.push((conn, msg));
            return;
        }
        let p = PeerDoc::of(&mut d.peers, conn, retained, access);
        if is_request {
            p.status = PeerDocStatus::Wants;
        }
        if !sync_msg.heads.is_empty() {
            p.status = PeerDocStatus::Has;
        }
        let refuse_write =
            !access.can_write() && !sync_msg.changes.is_empty() && !p.write_refusal_sent;
        if refuse_write {
            p.write_refusal_sent = true;
        }
        let before = d.am.get_heads();
        let result = d.am.receive_sync_message(&mut p.sync, sync_msg);
        let after = d.am.get_heads();
        if after != before
            && let Some(applied) = &mut self.applied
        {
            applied.push(Applied {
                conn,
                doc: doc_id,
                changes: d
                    .am
                    .get_changes_meta(&before)
                    .into_iter()
                    .map(|m| m.hash)
                    .collect(),
            });
        }
        if refuse_write {
            let reason = format!(
                "access denied: peer {peer} may not write document {doc_id}; its changes were not applied"
            );
            self.refuse(conn, doc_id, reason, false, fx);
        }
        if let Err(e) = result {
            let reason = format!("sync message for document {doc_id} does not apply: {e}");
            return self.fail(conn, reason, fx);
        }
        let changed = after != before;
        if changed {
            if let Some(d) = self.docs.get_mut(&doc_id) {
                d.status = DocStatus::Ready;
            }
            self.mark_dirty(doc_id);
            fx.push(Effect::DocumentChanged {
                doc: doc_id,
                heads: after,
            });
        }
        // Answer the sender; fan a change out to everyone else (in a batch:
        // once, at its end).
        self.send_sync(doc_id, conn, fx);
        if changed {
            match &mut self.batch {
                Some(batch) => {
                    batch.changed.insert(doc_id);
                }
                None => self.sync_with_peers(doc_id, None, fx),
            }
        }
        self.check_unavailable(doc_id, fx);
    }

    fn on_ephemeral(&mut self, conn: ConnectionId, msg: Message, fx: &mut Effects) {
        let Message::Ephemeral {
            sender_id: from,
            document_id: doc,
            session_id: session,
            count,
            data,
            ..
        } = msg
        else {
            return;
        };
        if !self.access(conn, &doc).can_read() {
            return;
        }
        if data.len() > self.config.max_ephemeral_bytes {
            let reason = too_big(
                "ephemeral message",
                data.len(),
                self.config.max_ephemeral_bytes,
            );
            return self.fail(conn, reason, fx);
        }
        let (per_minute, now) = (self.config.ephemeral_per_minute, self.now_ms);
        let gate = self
            .ephemeral
            .entry(conn)
            .or_insert_with(|| EphemeralGate::new(per_minute, now));
        if !gate.admit(per_minute, now) {
            if !gate.refusal_sent {
                gate.refusal_sent = true;
                let m = self.error_to(
                    conn,
                    format!("ephemeral messages over {per_minute} a minute are dropped"),
                );
                self.send(conn, &m, fx);
            }
            return;
        }
        if !gate.fresh((from.clone(), session.clone()), count) {
            return;
        }
        let Some(d) = self.docs.get(&doc) else {
            return;
        };
        for c in d.peers.keys().filter(|c| **c != conn) {
            if let Some(ConnState::Ready { peer_id, .. }) = self.conns.get(c) {
                let m = Message::Ephemeral {
                    sender_id: from.clone(),
                    target_id: peer_id.clone(),
                    document_id: doc,
                    session_id: session.clone(),
                    count,
                    data: data.clone(),
                };
                fx.push(Effect::Send {
                    conn: *c,
                    bytes: m.encode(),
                });
            }
        }
        fx.push(Effect::Ephemeral { doc, from, data });
    }

    fn loaded(&mut self, id: DocumentId, chunks: Vec<(StorageKey, Vec<u8>)>, fx: &mut Effects) {
        let Some(d) = self.docs.get_mut(&id) else {
            return;
        };
        if d.status != DocStatus::Loading {
            return;
        }
        let pending = std::mem::take(&mut d.pending);
        let resync = std::mem::take(&mut d.resync_on_load);
        // A store whose chunks do not load is treated as empty; the peers'
        // copies will restore the document.
        match load_document(chunks) {
            Ok(Some((am, storage))) => {
                d.am = am;
                d.storage = storage;
                d.status = DocStatus::Ready;
                let heads = d.am.get_heads();
                if d.wanted {
                    fx.push(Effect::DocumentChanged { doc: id, heads });
                }
            }
            Ok(None) | Err(_) => {
                if resync {
                    // Reloaded, and nothing stored: empty, still served.
                    d.status = DocStatus::Ready;
                } else if d.wanted {
                    d.status = DocStatus::Requesting;
                } else {
                    // Not ours to keep: replay the messages as for an unknown
                    // document whose storage has been checked.
                    self.docs.remove(&id);
                    for (conn, m) in pending {
                        if self.conns.contains_key(&conn) {
                            self.on_sync(conn, m, true, fx);
                        }
                    }
                    return;
                }
            }
        }
        for (conn, m) in pending {
            if self.conns.contains_key(&conn) {
                self.on_sync(conn, m, true, fx);
            }
        }
        if resync || self.docs.get(&id).is_some_and(|d| d.wanted) {
            self.sync_with_peers(id, None, fx);
            self.check_unavailable(id, fx);
        }
    }

    /// Sends sync messages for `id` to its peers (and, on a client, offers it
    /// to every handshaken connection first). `only`: just that connection.
    fn sync_with_peers(&mut self, id: DocumentId, only: Option<ConnectionId>, fx: &mut Effects) {
        let Some(d) = self.docs.get(&id) else {
            return;
        };
        if d.status == DocStatus::Loading {
            return;
        }
        let mut targets: BTreeSet<ConnectionId> =
            yanzhen_model::sorting::btree_set(d.peers.keys().copied());
        if self.config.role == Role::Client && d.wanted {
            for (c, s) in &self.conns {
                if let ConnState::Ready { peer_id, metadata } = s
                    && self.policy.access(peer_id, metadata, &id).can_read()
                {
                    targets.insert(*c);
                }
            }
        }
        if let Some(o) = only {
            targets.retain(|c| *c == o);
        }
        for conn in targets {
            self.send_sync(id, conn, fx);
        }
    }

    /// Generates and sends the next sync message (or request) for one peer.
    fn send_sync(&mut self, id: DocumentId, conn: ConnectionId, fx: &mut Effects) {
        let Some(ConnState::Ready { peer_id, metadata }) = self.conns.get(&conn) else {
            return;
        };
        let access = self.policy.access(peer_id, metadata, &id);
        if !access.can_read() {
            return;
        }
        let peer_id = peer_id.clone();
        let retained = self.retained.take(&(peer_id.clone(), id));
        let Some(d) = self.docs.get_mut(&id) else {
            return;
        };
        let any_has = d.peers.values().any(|p| p.status == PeerDocStatus::Has);
        let p = PeerDoc::of(&mut d.peers, conn, retained, access);
        let Some(m) = d.am.generate_sync_message(&mut p.sync) else {
            return;
        };
        let empty = d.am.get_heads().is_empty();
        let request =
            d.status != DocStatus::Ready && empty && !any_has && p.status == PeerDocStatus::Unknown;
        if !empty {
            p.status = PeerDocStatus::Has;
        }
        let data = m.encode();
        let msg = if request {
            Message::Request {
                sender_id: self.config.peer_id.clone(),
                target_id: peer_id,
                document_id: id,
                data,
            }
        } else {
            Message::Sync {
                sender_id: self.config.peer_id.clone(),
                target_id: peer_id,
                document_id: id,
                data,
            }
        };
        self.send(conn, &msg, fx);
    }

    /// If we lack the document and every peer syncing it lacks it too, tell
    /// those who asked, and the app if it asked.
    fn check_unavailable(&mut self, id: DocumentId, fx: &mut Effects) {
        let me = self.config.peer_id.clone();
        let Some(d) = self.docs.get_mut(&id) else {
            return;
        };
        if d.status != DocStatus::Requesting || d.peers.is_empty() {
            return;
        }
        let all_lack = d
            .peers
            .values()
            .all(|p| matches!(p.status, PeerDocStatus::Unavailable | PeerDocStatus::Wants));
        if !all_lack {
            return;
        }
        for (conn, p) in d.peers.iter_mut() {
            if p.status == PeerDocStatus::Wants {
                p.status = PeerDocStatus::Unavailable;
                if let Some(ConnState::Ready { peer_id, .. }) = self.conns.get(conn) {
                    let m = Message::DocUnavailable {
                        sender_id: me.clone(),
                        target_id: peer_id.clone(),
                        document_id: id,
                    };
                    fx.push(Effect::Send {
                        conn: *conn,
                        bytes: m.encode(),
                    });
                }
            }
        }
        d.status = DocStatus::Unavailable;
        if d.wanted {
            fx.push(Effect::DocumentUnavailable { doc: id });
        }
    }

    // ---- storage ----

    fn mark_dirty(&mut self, id: DocumentId) {
        if !self.config.storage {
            return;
        }
        if let Some(d) = self.docs.get_mut(&id) {
            d.dirty_since.get_or_insert(self.now_ms);
        }
    }

    fn save_due(&mut self, all: bool, fx: &mut Effects) {
        if !self.config.storage {
            return;
        }
        let now = self.now_ms;
        let debounce = self.config.save_debounce_ms;
        for (id, d) in self.docs.iter_mut() {
            let Some(since) = d.dirty_since else {
                continue;
            };
            if all || now.saturating_sub(since) >= debounce {
                d.dirty_since = None;
                if d.status == DocStatus::Ready {
                    fx.extend(
                        d.storage
                            .plan_save(id, &d.am)
                            .into_iter()
                            .map(Effect::Storage),
                    );
                }
            }
        }
    }
}
