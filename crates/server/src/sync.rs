//! The `/sync` WebSocket endpoint: automerge-repo's network protocol, spoken
//! by one [`yanzhen_sync::SyncNode`] in the server role.
//!
//! # Shape
//!
//! * Every WebSocket gets a [`ConnectionId`] and a **connection task**
//!   ([`ws`]): it forwards incoming binary messages to the hub and writes
//!   what the hub queues for it (a bounded queue of
//!   [`SyncSettings::outgoing_queue`] messages).
//! * One **hub task** owns the node. It receives commands over a bounded
//!   channel (connected / received / disconnected / shutdown, plus a periodic
//!   tick with the server's clock in ms), feeds them to the node as
//!   [`Event`]s and carries out the [`Effect`]s: storage ops go to the
//!   [`Storage`] trait (keys `/`-joined, see [`crate::storage::join_key`]),
//!   `LoadDocument` becomes `list_prefix("<docId>/")` and a
//!   `DocumentLoaded` event, `Send` goes to the connection's queue, `Close` to
//!   the connection as an `error` already sent by the node plus a close frame.
//! * A peer whose queue is full is too slow: its connection is closed (close
//!   code 1013) and dropped from the node. The hub never waits on a socket.
//!
//! # Durability: why a killed server loses nothing it acknowledged
//!
//! The node saves without debounce (`save_debounce_ms = 0`), so the storage
//! ops for a change come out of the same `handle` call as the sync messages
//! that answer it. The hub carries out **all storage ops (and loads) of a
//! batch first, awaiting each SQLite commit, and only then hands the batch's
//! messages to the sockets.** Everything a peer can take as an
//! acknowledgement — a sync message carrying our new heads, which
//! automerge-repo clients record as "the server has these heads" — therefore
//! leaves the server only after the changes are committed (WAL mode with
//! `synchronous = FULL`: a commit survives the process being killed and a
//! power cut). If the server dies before the commit, the
//! peer never saw the acknowledgement and still holds the changes; it sends
//! them again when it reconnects.
//!
//! A failed **write** (a full disk) stops only the documents whose saves
//! failed: no message about them leaves (nothing unsaved is acknowledged),
//! the connections that sent changes to them get a `storage.write_failed`
//! error and a close (1011) and keep their changes, and the documents are
//! reloaded from storage for their other peers, who keep syncing, as do all
//! other documents. The fault is reported to [`Health`] (`/healthz` answers
//! 503) until a write succeeds again; nothing else needs to recover. A
//! failed **read** (a load) resets the hub: every connection is closed
//! (1011) and the node is replaced by a fresh one.
//!
//! # Memory per connection
//!
//! Received messages wait for the hub within byte budgets
//! ([`SyncSettings::max_inflight_bytes`] for all connections, two of the
//! largest messages for one): a connection reads its next message only when
//! it fits, so a flood from one device costs at most that. Bytes queued for
//! a connection are bounded too ([`SyncSettings::max_queued_bytes`]). The
//! node's own per-peer state (sync states, retained states, ephemeral
//! sessions) is bounded and freed with the peer (see `yanzhen_sync::node`).
//!
//! # Limits and bad input
//!
//! Messages over [`SyncSettings::max_message_bytes`] are answered by the
//! node with a protocol `error` message and a close (1008); so are malformed
//! messages (text frames included). The WebSocket layer itself refuses
//! messages over that limit plus [`TRANSPORT_SLACK`] (and says so with an
//! `error` and close 1009) so that nobody can make us buffer more. Only the
//! offending connection is closed.
//!
//! # Access
//!
//! Every connection is authenticated before the upgrade ([`ws`]: a device
//! token in `?token=` or `Authorization: Bearer`; 401 otherwise) and carries
//! the device's [`Grant`]. When the connection's `join` arrives, the hub binds
//! the joining peer id to that grant in the node's [`ServerPolicy`] (a peer id
//! already bound to a live connection of *another* device is refused), so the
//! node's access checks follow the device, whatever peer id it picks. The
//! policy's unit directory is read from storage when the hub starts and
//! re-read from the node whenever the district document changes. A revoked
//! device ([`SyncHub::revoke_device`], or found revoked by the periodic check
//! against the [`AuthStore`]) is disconnected at once with a protocol `error`
//! saying `access.token.revoked` and close code 1008.
//!
//! # Connections per device
//!
//! A device may hold at most [`SyncSettings::max_connections_per_device`]
//! sync connections at once (a tablet needs one per open app tab). One more
//! is refused before the upgrade with 429 `{"error":
//! "access.token.too_many_connections"}` ([`TOO_MANY_CONNECTIONS`]), and
//! logged, so a stolen token cannot exhaust the server's sockets or memory.
//!
//! # Refusals are logged
//!
//! Every refusal leaves a log line (target `yanzhen_server`): tokens refused
//! before the upgrade ("sync connection refused", with the reason key),
//! connections over the limit, and every protocol `error` the node sends
//! (access denied, malformed or oversize messages) as "sync refusal sent"
//! with the connection, the device and the message.
//!
//! # Shutdown
//!
//! [`SyncHub::shutdown`] flushes pending saves, tells every connection to
//! send a close frame (1001) and waits (at most
//! [`SyncSettings::close_grace`]) for the sockets to close.

use std::{
    collections::{BTreeMap, BTreeSet, HashMap, VecDeque},
    sync::{
        Arc,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use axum::{extract::RawQuery, http::HeaderMap};
use axum::{
    extract::{
        State,
        ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade},
    },
    http::StatusCode,
    response::{IntoResponse, Response},
};
use tokio::sync::{mpsc, watch};
use yanzhen_sync::{
    Config, ConnectionId, DocumentId, Effect, Event, Message, PeerId, PeerMetadata, StorageId,
    StorageOp, SyncNode,
};

use crate::{
    AppState,
    auth::{AuthFailure, AuthStore},
    health::Health,
    policy::{Directory, Grant, ServerPolicy},
    storage::{Storage, join_key, prefix_key, split_key},
};

/// The message key sent (as a protocol `error` and close reason) to a device
/// revoked while connected.
pub const REVOKED: &str = "access.token.revoked";

/// The error key (429 before the upgrade) for a device over
/// [`SyncSettings::max_connections_per_device`].
pub const TOO_MANY_CONNECTIONS: &str = "access.token.too_many_connections";

/// How often (in hub ticks) connected devices are checked for revocation
/// made elsewhere (the CLI).
const REVOCATION_CHECK_TICKS: u64 = 2;

/// Bytes above [`SyncSettings::max_message_bytes`] that the WebSocket layer
/// still reads, so that slightly oversize messages reach the node and get a
/// clean protocol `error`.
pub const TRANSPORT_SLACK: usize = 1024 * 1024;

/// Initial read and write buffer of each WebSocket (see [`ws`]).
const WS_BUFFER: usize = 8 * 1024;

/// WebSocket close codes we send.
pub mod close_code {
    /// Normal closure.
    pub const NORMAL: u16 = 1000;
    /// The server is going away (shutdown).
    pub const GOING_AWAY: u16 = 1001;
    /// Policy violation: the node refused a message (malformed, oversize,
    /// wrong sender, ...). The preceding `error` message says why.
    pub const POLICY: u16 = 1008;
    /// A message too big for the WebSocket layer.
    pub const TOO_BIG: u16 = 1009;
    /// Internal error (storage failed).
    pub const INTERNAL: u16 = 1011;
    /// The peer does not read fast enough.
    pub const TRY_AGAIN_LATER: u16 = 1013;
}

/// Tunables of the sync endpoint.
#[derive(Debug, Clone)]
pub struct SyncSettings {
    /// Largest accepted message (default 8 MiB).
    pub max_message_bytes: usize,
    /// Messages queued for one connection before it counts as too slow.
    pub outgoing_queue: usize,
    /// How long one WebSocket write may take before the peer counts as gone.
    pub send_timeout: Duration,
    /// Interval of the node's `Tick` (writes due saves).
    pub tick: Duration,
    /// How long shutdown (and one closing socket) waits for close handshakes.
    pub close_grace: Duration,
    /// Sync connections one device may hold at once (0: no limit).
    pub max_connections_per_device: usize,
    /// Bytes of received messages waiting for the hub, all connections
    /// together (raised to two of the largest messages if set lower). A
    /// connection reads its next message only when its bytes fit.
    pub max_inflight_bytes: usize,
    /// Bytes queued for one connection before it counts as too slow (its
    /// connection is closed, 1013), besides [`SyncSettings::outgoing_queue`]
    /// messages.
    pub max_queued_bytes: usize,
}

impl Default for SyncSettings {
    fn default() -> Self {
        Self {
            max_message_bytes: 8 * 1024 * 1024,
            outgoing_queue: 1024,
            send_timeout: Duration::from_secs(30),
            tick: Duration::from_secs(1),
            close_grace: Duration::from_secs(5),
            max_connections_per_device: 16,
            max_inflight_bytes: 64 * 1024 * 1024,
            max_queued_bytes: 32 * 1024 * 1024,
        }
    }
}

/// What a connection task is told to do.
#[derive(Debug)]
enum Outgoing {
    /// Send one binary message.
    Binary(Vec<u8>),
    /// Send a close frame and stop.
    Close { code: u16, reason: String },
}

/// Why the hub wants a connection gone right now (ahead of its queue).
type Kill = Option<(u16, String)>;

/// A received message's permits of the global and the connection's
/// in-flight budgets (in KiB).
struct Held {
    _all: tokio::sync::OwnedSemaphorePermit,
    _conn: tokio::sync::OwnedSemaphorePermit,
}

/// What a message of `len` bytes takes of an in-flight budget, in KiB.
fn kib(len: usize) -> u32 {
    u32::try_from(len.div_ceil(1024).max(1)).unwrap_or(u32::MAX)
}

/// The in-flight budget (KiB) of all connections and of one, for settings.
fn inflight_kib(settings: &SyncSettings) -> (u32, u32) {
    let largest = settings.max_message_bytes.saturating_add(TRANSPORT_SLACK);
    let per_conn = kib(largest.saturating_mul(2));
    (kib(settings.max_inflight_bytes).max(per_conn), per_conn)
}

/// The message key of the `error` a writer gets when storage refused to
/// save its changes (its connection is then closed, 1011; it keeps its
/// changes and sends them again when it reconnects).
pub const STORAGE_WRITE_FAILED: &str = "storage.write_failed";

/// The message key of the `error` a writer gets when its changes would
/// leave the district or a unit document unreadable to the model (its
/// connection is then closed, 1008; nothing of them is stored or passed on).
pub const SCHEMA_INVALID: &str = "schema.invalid";

/// What the hub task receives.
enum Command {
    Connected {
        conn: ConnectionId,
        out: mpsc::Sender<Outgoing>,
        kill: watch::Sender<Kill>,
        grant: Grant,
        queued: Arc<AtomicUsize>,
    },
    Revoke {
        device_id: String,
    },
    Received {
        conn: ConnectionId,
        bytes: Vec<u8>,
        /// The message's share of the in-flight budgets, given back when
        /// the hub has handled it.
        _held: Held,
    },
    Disconnected {
        conn: ConnectionId,
    },
    Tick,
    Shutdown,
    /// The heads of these documents, answered once the batch's writes are
    /// committed ([`SyncHub::stored_heads`]).
    Heads {
        docs: Vec<DocumentId>,
        reply: tokio::sync::oneshot::Sender<HeadsAnswer>,
    },
}

/// Heads by document, of the documents the hub holds.
pub type HeadsAnswer = BTreeMap<DocumentId, Vec<automerge::ChangeHash>>;

struct Shared {
    commands: mpsc::Sender<Command>,
    next_conn: AtomicU64,
    settings: SyncSettings,
    peer_id: PeerId,
    /// `true` once shutdown began; connection tasks hold receivers, so
    /// `closed()` tells when every socket is gone.
    shutting_down: Arc<watch::Sender<bool>>,
    /// Becomes `true` when the hub task finished.
    finished: watch::Receiver<bool>,
    policy: ServerPolicy,
    /// Becomes `true` once the unit directory was read from storage.
    directory_loaded: watch::Receiver<bool>,
    /// Open sync connections per device id.
    per_device: std::sync::Mutex<HashMap<String, usize>>,
    /// Bytes (KiB) of received messages the hub has not handled yet.
    inflight: Arc<tokio::sync::Semaphore>,
}

/// One of a device's connection slots, given back when dropped.
pub struct ConnectionSlot {
    shared: Arc<Shared>,
    device_id: String,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut map = self
            .shared
            .per_device
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(n) = map.get_mut(&self.device_id) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.device_id);
            }
        }
    }
}

/// Handle to the sync hub (the task owning the [`SyncNode`]). Cheap to clone.
#[derive(Clone)]
pub struct SyncHub {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for SyncHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncHub")
            .field("peer_id", &self.shared.peer_id)
            .field("settings", &self.shared.settings)
            .finish_non_exhaustive()
    }
}

pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// The node configuration of the server: server role, durable
/// `storageId` = the storage's id, no save debounce (see the module docs).
pub fn node_config(storage_id: &str, settings: &SyncSettings) -> Config {
    let peer_id = PeerId::new(format!("yanzhen-server-{storage_id}"));
    let mut config = Config::server(peer_id, PeerMetadata::durable(StorageId::new(storage_id)));
    config.max_message_bytes = settings.max_message_bytes;
    config.save_debounce_ms = 0;
    config.session_id = yanzhen_sync::SessionId::new(uuid::Uuid::new_v4().to_string());
    config
}

impl SyncHub {
    /// Starts the hub task over `storage`, asking a [`ServerPolicy`] about
    /// every document (its directory loaded from storage first) and checking
    /// connected devices against `auth` for revocations. Needs a tokio
    /// runtime.
    /// Storage write failures are reported to `health` (and cleared by
    /// the next write that succeeds), so `/healthz` tells the fault.
    pub fn start(
        storage: Arc<dyn Storage>,
        settings: SyncSettings,
        auth: AuthStore,
        health: Health,
    ) -> Self {
        let policy = ServerPolicy::default();
        let config = node_config(storage.storage_id(), &settings);
        let (commands, rx) = mpsc::channel(1024);
        let (finished_tx, finished) = watch::channel(false);
        let shutting_down = Arc::new(watch::Sender::new(false));
        let (loaded_tx, directory_loaded) = watch::channel(false);
        let shared = Arc::new(Shared {
            commands: commands.clone(),
            next_conn: AtomicU64::new(1),
            settings: settings.clone(),
            peer_id: config.peer_id.clone(),
            shutting_down: Arc::clone(&shutting_down),
            finished,
            policy: policy.clone(),
            directory_loaded,
            per_device: std::sync::Mutex::new(HashMap::new()),
            inflight: Arc::new(tokio::sync::Semaphore::new(
                inflight_kib(&settings).0 as usize,
            )),
        });
        let hub = Hub {
            node: SyncNode::with_policy(config.clone(), Box::new(policy.clone())),
            config,
            storage,
            conns: HashMap::new(),
            settings,
            shutting_down,
            policy,
            auth: Some(auth),
            joined: HashMap::new(),
            bound: HashMap::new(),
            ticks: 0,
            directory_loaded: Some(loaded_tx),
            health,
            batch_docs: Vec::new(),
            heads_queries: Vec::new(),
        };
        tokio::spawn(async move {
            hub.run(rx, commands).await;
            let _ = finished_tx.send(true);
        });
        Self { shared }
    }

    /// The unit directory, once the hub has read it from storage (right
    /// after start).
    pub async fn directory(&self) -> Directory {
        let mut loaded = self.shared.directory_loaded.clone();
        // An error means the hub is gone: the policy's directory is all there is.
        let _ = loaded.wait_for(|done| *done).await;
        self.shared.policy.directory()
    }

    /// The heads of `docs` as the server has them durably stored: from the
    /// node, for the documents it holds, after the writes of the batch in
    /// which the question is handled; for the others, read from `storage`.
    /// Documents the server does not have (or that are empty) are left out.
    pub async fn stored_heads(
        &self,
        storage: &dyn Storage,
        docs: &[DocumentId],
    ) -> crate::Result<HeadsAnswer> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let cmd = Command::Heads {
            docs: docs.to_vec(),
            reply,
        };
        let mut found = if self.shared.commands.send(cmd).await.is_ok() {
            answer.await.unwrap_or_default()
        } else {
            HeadsAnswer::new()
        };
        for doc in docs {
            if found.contains_key(doc) {
                continue;
            }
            let chunks: Vec<_> = storage
                .list_prefix(&prefix_key(&[doc.to_string()])?)
                .await?
                .into_iter()
                .map(|(key, value)| (split_key(&key), value))
                .collect();
            let loaded = yanzhen_sync::storage::load_document(chunks)
                .map_err(|e| crate::Error::StoredDocument(format!("{doc}: {e}")))?;
            if let Some((am, _)) = loaded {
                let heads = am.get_heads();
                if !heads.is_empty() {
                    found.insert(*doc, heads);
                }
            }
        }
        Ok(found)
    }

    /// The access policy the node asks (and its directory).
    pub fn policy(&self) -> &ServerPolicy {
        &self.shared.policy
    }

    /// Disconnects every connection of `device_id` at once, with a protocol
    /// `error` saying [`REVOKED`].
    pub async fn revoke_device(&self, device_id: &str) {
        let _ = self
            .shared
            .commands
            .send(Command::Revoke {
                device_id: device_id.to_owned(),
            })
            .await;
    }

    /// Takes one of `device_id`'s connection slots; `None` when the device
    /// already holds [`SyncSettings::max_connections_per_device`].
    pub fn connection_slot(&self, device_id: &str) -> Option<ConnectionSlot> {
        let max = self.shared.settings.max_connections_per_device;
        let mut map = self
            .shared
            .per_device
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let n = map.entry(device_id.to_owned()).or_insert(0);
        if max != 0 && *n >= max {
            return None;
        }
        *n += 1;
        Some(ConnectionSlot {
            shared: Arc::clone(&self.shared),
            device_id: device_id.to_owned(),
        })
    }

    /// Open sync connections of `device_id`.
    pub fn connections_of(&self, device_id: &str) -> usize {
        self.shared
            .per_device
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(device_id)
            .copied()
            .unwrap_or(0)
    }

    /// The settings the hub runs with.
    pub fn settings(&self) -> &SyncSettings {
        &self.shared.settings
    }

    /// The server's peer id on the wire.
    pub fn peer_id(&self) -> &PeerId {
        &self.shared.peer_id
    }

    /// Whether shutdown began (new connections are refused).
    pub fn is_shutting_down(&self) -> bool {
        *self.shared.shutting_down.borrow() || *self.shared.finished.borrow()
    }

    /// Flushes pending saves, closes every connection and stops the hub;
    /// returns when it stopped. Idempotent.
    pub async fn shutdown(&self) {
        let _ = self.shared.commands.send(Command::Shutdown).await;
        let mut finished = self.shared.finished.clone();
        let _ = finished.wait_for(|done| *done).await;
    }

    /// Serves one upgraded WebSocket of the device `grant` until it closes.
    pub async fn run_connection(self, mut socket: WebSocket, grant: Grant) {
        let settings = self.shared.settings.clone();
        let conn = ConnectionId(self.shared.next_conn.fetch_add(1, Ordering::Relaxed));
        let (out_tx, mut out_rx) = mpsc::channel(settings.outgoing_queue.max(1));
        let (kill_tx, mut kill_rx) = watch::channel::<Kill>(None);
        let queued = Arc::new(AtomicUsize::new(0));
        let conn_budget = Arc::new(tokio::sync::Semaphore::new(
            inflight_kib(&settings).1 as usize,
        ));
        let mut shutdown = self.shared.shutting_down.subscribe();
        if *shutdown.borrow_and_update() {
            let _ = close(&mut socket, close_code::GOING_AWAY, "server shutting down").await;
            return;
        }
        let connected = Command::Connected {
            conn,
            out: out_tx,
            kill: kill_tx,
            grant,
            queued: Arc::clone(&queued),
        };
        if self.shared.commands.send(connected).await.is_err() {
            return;
        }
        tracing::debug!(%conn, "sync connection opened");
        let mut kill_alive = true;
        let ending: Option<(u16, String)> = loop {
            tokio::select! {
                biased;
                changed = shutdown.changed() => {
                    if changed.is_err() || *shutdown.borrow_and_update() {
                        break Some((close_code::GOING_AWAY, "server shutting down".into()));
                    }
                }
                changed = kill_rx.changed(), if kill_alive => {
                    match changed {
                        Ok(()) => {
                            if let Some(why) = kill_rx.borrow_and_update().clone() {
                                break Some(why);
                            }
                        }
                        // The hub dropped our handle; the queue tells the rest.
                        Err(_) => kill_alive = false,
                    }
                }
                out = out_rx.recv() => match out {
                    Some(Outgoing::Binary(bytes)) => {
                        queued.fetch_sub(bytes.len(), Ordering::Relaxed);
                        let sent = tokio::time::timeout(
                            settings.send_timeout,
                            socket.send(WsMessage::Binary(bytes.into())),
                        )
                        .await;
                        if !matches!(sent, Ok(Ok(()))) {
                            tracing::debug!(%conn, "sync send failed or timed out");
                            break None;
                        }
                    }
                    Some(Outgoing::Close { code, reason }) => break Some((code, reason)),
                    None => break Some((close_code::TRY_AGAIN_LATER, "closed by the server".into())),
                },
                incoming = socket.recv() => match incoming {
                    Some(Ok(WsMessage::Binary(bytes))) => {
                        let Some(held) = self.hold(&conn_budget, bytes.len()).await else {
                            break Some((close_code::GOING_AWAY, "server shutting down".into()));
                        };
                        let cmd = Command::Received { conn, bytes: bytes.to_vec(), _held: held };
                        if self.shared.commands.send(cmd).await.is_err() {
                            break Some((close_code::GOING_AWAY, "server shutting down".into()));
                        }
                    }
                    // Not part of the protocol: let the node answer it as malformed.
                    Some(Ok(WsMessage::Text(text))) => {
                        let Some(held) = self.hold(&conn_budget, text.len()).await else {
                            break Some((close_code::GOING_AWAY, "server shutting down".into()));
                        };
                        let cmd = Command::Received { conn, bytes: text.as_bytes().to_vec(), _held: held };
                        if self.shared.commands.send(cmd).await.is_err() {
                            break Some((close_code::GOING_AWAY, "server shutting down".into()));
                        }
                    }
                    Some(Ok(WsMessage::Ping(_) | WsMessage::Pong(_))) => {}
                    Some(Ok(WsMessage::Close(_))) | None => break None,
                    Some(Err(err)) => {
                        // Typically a message over the transport limit. Say so
                        // in the protocol's terms, then close.
                        let reason = format!("websocket error: {err}");
                        tracing::info!(%conn, %reason, "sync connection refused a message");
                        let msg = Message::Error {
                            sender_id: self.shared.peer_id.clone(),
                            target_id: PeerId::new(""),
                            message: reason.clone(),
                        };
                        let _ = tokio::time::timeout(
                            settings.send_timeout,
                            socket.send(WsMessage::Binary(msg.encode().into())),
                        )
                        .await;
                        break Some((close_code::TOO_BIG, reason));
                    }
                },
            }
        };
        let _ = self
            .shared
            .commands
            .send(Command::Disconnected { conn })
            .await;
        if let Some((code, reason)) = ending {
            tracing::debug!(%conn, code, %reason, "closing sync connection");
            let _ = tokio::time::timeout(settings.send_timeout, close(&mut socket, code, &reason))
                .await;
            // Read until the peer's close (bounded), so that what we sent is
            // not lost to a reset.
            let _ = tokio::time::timeout(settings.close_grace, async {
                while let Some(Ok(_)) = socket.recv().await {}
            })
            .await;
        }
        tracing::debug!(%conn, "sync connection closed");
    }
}

impl SyncHub {
    /// Waits until a received message of `len` bytes fits in the in-flight
    /// budgets (the connection's, then everyone's); `None` once closed.
    async fn hold(&self, conn_budget: &Arc<tokio::sync::Semaphore>, len: usize) -> Option<Held> {
        let n = kib(len);
        let conn = Arc::clone(conn_budget).acquire_many_owned(n).await.ok()?;
        let all = Arc::clone(&self.shared.inflight)
            .acquire_many_owned(n)
            .await
            .ok()?;
        Some(Held {
            _all: all,
            _conn: conn,
        })
    }
}

async fn close(socket: &mut WebSocket, code: u16, reason: &str) -> Result<(), axum::Error> {
    // A close reason is at most 123 bytes.
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    socket
        .send(WsMessage::Close(Some(CloseFrame {
            code,
            reason: reason[..end].into(),
        })))
        .await
}

/// `GET /sync`: upgrade to a WebSocket speaking automerge-repo's protocol,
/// for a device authenticated by its token (`?token=` or `Authorization:
/// Bearer`); 401 with `{"error": "access.token.missing|unknown|revoked"}`
/// otherwise, before any upgrade.
pub async fn ws(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    upgrade: WebSocketUpgrade,
) -> Response {
    let hub = state.sync.clone();
    if hub.is_shutting_down() {
        return (StatusCode::SERVICE_UNAVAILABLE, "server shutting down").into_response();
    }
    let token = crate::api::bearer_token(&headers).or_else(|| query_token(query.as_deref()));
    let device = match state.auth.authenticate(token.as_deref()).await {
        Ok(device) => device,
        Err(AuthFailure::Token(err)) => {
            tracing::info!(reason = err.key(), "sync connection refused");
            return crate::api::unauthorized(err);
        }
        Err(AuthFailure::Db(err)) => {
            tracing::warn!(%err, "sync: cannot check the token");
            return crate::api::server_error();
        }
    };
    let Some(slot) = hub.connection_slot(&device.id) else {
        tracing::info!(
            device = %device.id,
            reason = TOO_MANY_CONNECTIONS,
            max = hub.settings().max_connections_per_device,
            "sync connection refused"
        );
        return crate::api::error(StatusCode::TOO_MANY_REQUESTS, TOO_MANY_CONNECTIONS);
    };
    let grant = Grant {
        device_id: device.id,
        role: device.role,
        unit: device.unit_id,
    };
    let limit = hub
        .settings()
        .max_message_bytes
        .saturating_add(TRANSPORT_SLACK);
    upgrade
        .max_message_size(limit)
        .max_frame_size(limit)
        // tungstenite zero-fills its whole read buffer before every read;
        // with the default 128 KiB that is most of a storm's CPU and 128 KiB
        // of resident memory per tablet. Sync messages are mostly small;
        // the buffers still grow for a large one.
        .read_buffer_size(WS_BUFFER)
        .write_buffer_size(WS_BUFFER)
        .on_upgrade(move |socket| async move {
            hub.run_connection(socket, grant).await;
            drop(slot);
        })
}

/// The `token` parameter of a query string (tokens are URL-safe, so no
/// decoding is needed).
pub fn query_token(query: Option<&str>) -> Option<String> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

struct ConnHandle {
    out: mpsc::Sender<Outgoing>,
    kill: watch::Sender<Kill>,
    grant: Grant,
    /// Bytes handed to the connection task and not yet written.
    queued: Arc<AtomicUsize>,
}

/// The hub task's state.
struct Hub {
    node: SyncNode,
    config: Config,
    storage: Arc<dyn Storage>,
    conns: HashMap<ConnectionId, ConnHandle>,
    settings: SyncSettings,
    shutting_down: Arc<watch::Sender<bool>>,
    policy: ServerPolicy,
    /// Where revocations are looked up (none in unit tests).
    auth: Option<AuthStore>,
    /// The peer id each connection joined as (until it disconnects).
    joined: HashMap<ConnectionId, PeerId>,
    /// The connection each peer id is bound to in the policy.
    bound: HashMap<PeerId, ConnectionId>,
    ticks: u64,
    /// Told once the directory was first loaded.
    directory_loaded: Option<watch::Sender<bool>>,
    /// Told of storage write failures (and of the next success).
    health: Health,
    /// The documents the current batch's messages were about, by
    /// connection: the writers to tell when a save fails.
    batch_docs: Vec<(ConnectionId, DocumentId)>,
    /// Heads queries of the current batch, answered after its writes.
    heads_queries: Vec<(Vec<DocumentId>, tokio::sync::oneshot::Sender<HeadsAnswer>)>,
}

/// Logs a protocol `error` the node sends (a refusal: access denied,
/// malformed or oversize message, …). Cheap for everything else: only
/// messages holding the CBOR text "error" are decoded.
fn log_refusal(conn: ConnectionId, grant: &Grant, bytes: &[u8]) {
    const ERROR_TEXT: &[u8] = &[0x65, b'e', b'r', b'r', b'o', b'r'];
    if !bytes.windows(ERROR_TEXT.len()).any(|w| w == ERROR_TEXT) {
        return;
    }
    if let Ok(Message::Error { message, .. }) = Message::decode(bytes) {
        tracing::info!(%conn, device = %grant.device_id, role = %grant.role, %message, "sync refusal sent");
    }
}

/// Most commands handled before their effects are carried out together.
const MAX_BATCH: usize = 256;

impl Hub {
    async fn run(mut self, mut rx: mpsc::Receiver<Command>, ticks: mpsc::Sender<Command>) {
        match Directory::load(&*self.storage).await {
            Ok(dir) => {
                tracing::info!(
                    district = ?dir.district,
                    units = dir.units.len(),
                    "unit directory loaded"
                );
                self.policy.set_directory(dir);
            }
            Err(err) => {
                tracing::error!(%err, "cannot read the unit directory; only admins and viewers get documents")
            }
        }
        if let Some(loaded) = self.directory_loaded.take() {
            loaded.send_replace(true);
        }
        // Ticks go through the command channel so they keep their place in line.
        let tick_every = self.settings.tick;
        let ticker = tokio::spawn(async move {
            let mut interval = tokio::time::interval(tick_every);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                interval.tick().await;
                if ticks.send(Command::Tick).await.is_err() {
                    break;
                }
            }
        });
        let mut stop = false;
        while !stop {
            let Some(first) = rx.recv().await else {
                break;
            };
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(cmd) => batch.push(cmd),
                    Err(_) => break,
                }
            }
            // The node answers and fans out once per document and peer for
            // the whole batch (and saves once): fewer, fuller messages when
            // many tablets send at once. Storage still goes first (execute).
            self.node.begin_batch();
            self.batch_docs.clear();
            let mut fx = Vec::new();
            for cmd in batch {
                if matches!(cmd, Command::Tick) {
                    self.ticks += 1;
                    if self.ticks.is_multiple_of(REVOCATION_CHECK_TICKS) {
                        fx.extend(self.check_revocations().await);
                    }
                }
                if let Some(more) = self.command(cmd) {
                    fx.extend(more);
                } else {
                    stop = true;
                    break;
                }
            }
            fx.extend(self.node.end_batch());
            let fx = self.refuse_invalid(fx);
            self.execute(fx).await;
            self.answer_heads();
        }
        ticker.abort();
        // Connection tasks still sending to us must not wait for a reader.
        drop(rx);
        // Shutdown (or every handle gone): save what is pending, close sockets.
        let fx = self.node.flush();
        self.execute(fx).await;
        self.shutting_down.send_replace(true);
        self.conns.clear();
        let all_closed = tokio::time::timeout(
            self.settings.close_grace + self.settings.send_timeout.min(Duration::from_secs(5)),
            self.shutting_down.closed(),
        )
        .await;
        if all_closed.is_err() {
            tracing::warn!("some sync connections did not close in time");
        }
        tracing::info!("sync hub stopped");
    }

    /// Feeds one command to the node; `None` for shutdown.
    fn command(&mut self, cmd: Command) -> Option<Vec<Effect>> {
        let now = now_ms();
        Some(match cmd {
            Command::Connected {
                conn,
                out,
                kill,
                grant,
                queued,
            } => {
                self.conns.insert(
                    conn,
                    ConnHandle {
                        out,
                        kill,
                        grant,
                        queued,
                    },
                );
                self.node.handle(
                    now,
                    Event::Connected {
                        conn,
                        initiator: false,
                    },
                )
            }
            Command::Received { conn, bytes, .. } => {
                // Messages still in flight from a connection we closed.
                if !self.conns.contains_key(&conn) {
                    return Some(Vec::new());
                }
                if let Some(doc) = Message::peek_document_id(&bytes) {
                    self.batch_docs.push((conn, doc));
                }
                if !self.joined.contains_key(&conn)
                    && let Some(refused) = self.bind_join(conn, &bytes)
                {
                    return Some(refused);
                }
                self.node.handle(now, Event::Received { conn, bytes })
            }
            Command::Disconnected { conn } => {
                self.conns.remove(&conn);
                self.forget(conn);
                self.node.handle(now, Event::Disconnected { conn })
            }
            Command::Revoke { device_id } => self.revoke(&device_id),
            Command::Tick => self.node.handle(now, Event::Tick),
            Command::Shutdown => return None,
            Command::Heads { docs, reply } => {
                self.heads_queries.push((docs, reply));
                Vec::new()
            }
        })
    }

    /// Answers the batch's heads queries. Called after `execute`: every
    /// change the node holds is then committed to storage (a document whose
    /// write failed was reloaded from storage), so these are stored heads.
    fn answer_heads(&mut self) {
        for (docs, reply) in self.heads_queries.drain(..) {
            let answer = docs
                .into_iter()
                .filter(|d| self.node.status(d) == Some(yanzhen_sync::DocStatus::Ready))
                .filter_map(|d| {
                    let heads = self.node.document(&d)?.get_heads();
                    (!heads.is_empty()).then_some((d, heads))
                })
                .collect();
            let _ = reply.send(answer);
        }
    }

    /// On a connection's first message: if it is a `join`, bind its peer id
    /// to the connection's grant. A peer id bound to a live connection of
    /// another device is refused (the effects that say so are returned).
    fn bind_join(&mut self, conn: ConnectionId, bytes: &[u8]) -> Option<Vec<Effect>> {
        let Ok(Message::Join { sender_id, .. }) = Message::decode(bytes) else {
            return None;
        };
        let grant = self.conns.get(&conn)?.grant.clone();
        if let Some(other) = self.bound.get(&sender_id)
            && *other != conn
            && let Some(h) = self.conns.get(other)
            && h.grant.device_id != grant.device_id
        {
            tracing::warn!(%conn, peer = %sender_id, device = %grant.device_id, "join refused: peer id in use by another device");
            let reason = format!("peer id {sender_id} is in use by another device");
            let err = Message::Error {
                sender_id: self.config.peer_id.clone(),
                target_id: sender_id,
                message: reason.clone(),
            };
            let mut fx = vec![
                Effect::Send {
                    conn,
                    bytes: err.encode(),
                },
                Effect::Close { conn, reason },
            ];
            fx.extend(self.node.handle(now_ms(), Event::Disconnected { conn }));
            return Some(fx);
        }
        tracing::info!(%conn, peer = %sender_id, device = %grant.device_id, role = %grant.role, "sync peer authenticated");
        self.policy.bind(sender_id.clone(), grant);
        self.bound.insert(sender_id.clone(), conn);
        self.joined.insert(conn, sender_id);
        None
    }

    /// Drops the peer binding of a connection that is gone.
    fn forget(&mut self, conn: ConnectionId) {
        if let Some(peer) = self.joined.remove(&conn)
            && self.bound.get(&peer) == Some(&conn)
        {
            self.bound.remove(&peer);
            self.policy.unbind(&peer);
        }
    }

    /// Disconnects every connection of `device_id`: a protocol `error`
    /// ([`REVOKED`]) and a close (1008).
    fn revoke(&mut self, device_id: &str) -> Vec<Effect> {
        let conns: Vec<ConnectionId> = self
            .conns
            .iter()
            .filter(|(_, h)| h.grant.device_id == device_id)
            .map(|(c, _)| *c)
            .collect();
        let mut fx = Vec::new();
        for conn in conns {
            tracing::info!(%conn, device = %device_id, "device revoked; closing its sync connection");
            fx.extend(self.tell_and_close(conn, REVOKED, close_code::POLICY));
        }
        fx
    }

    /// Sends the connection a protocol `error` saying `key` and closes it
    /// with `code` (ahead of its queue if the queue is full), and tells the
    /// node it is gone.
    fn tell_and_close(&mut self, conn: ConnectionId, key: &str, code: u16) -> Vec<Effect> {
        let Some(h) = self.conns.remove(&conn) else {
            return Vec::new();
        };
        let err = Message::Error {
            sender_id: self.config.peer_id.clone(),
            target_id: self
                .joined
                .get(&conn)
                .cloned()
                .unwrap_or_else(|| PeerId::new("")),
            message: key.to_owned(),
        };
        let sent = h.out.try_send(Outgoing::Binary(err.encode())).is_ok()
            && h.out
                .try_send(Outgoing::Close {
                    code,
                    reason: key.to_owned(),
                })
                .is_ok();
        if !sent {
            h.kill.send_replace(Some((code, key.to_owned())));
        }
        self.forget(conn);
        self.node.handle(now_ms(), Event::Disconnected { conn })
    }

    /// Asks the auth store whether a connected device was revoked (by the
    /// CLI, say) and disconnects those.
    async fn check_revocations(&mut self) -> Vec<Effect> {
        let Some(auth) = &self.auth else {
            return Vec::new();
        };
        let mut ids: Vec<String> = self
            .conns
            .values()
            .map(|h| h.grant.device_id.clone())
            .collect();
        if ids.is_empty() {
            return Vec::new();
        }
        ids.sort();
        ids.dedup();
        match auth.revoked_among(&ids).await {
            Ok(revoked) => revoked.iter().flat_map(|id| self.revoke(id)).collect(),
            Err(err) => {
                tracing::warn!(%err, "cannot check devices for revocation");
                Vec::new()
            }
        }
    }

    /// Re-reads the unit directory from the district document in the node.
    fn refresh_directory(&mut self, district: DocumentId) {
        let Some(am) = self.node.document(&district) else {
            return;
        };
        match Directory::from_district(district, am) {
            Ok(dir) => {
                tracing::debug!(units = dir.units.len(), "unit directory refreshed");
                self.policy.set_directory(dir);
            }
            Err(err) => {
                tracing::warn!(%err, "district document changed; its unit directory is unreadable")
            }
        }
    }

    /// Carries out effects: storage (and loads) first, then the messages.
    ///
    /// When storage refuses writes (a full disk, say), only the documents
    /// whose saves failed are affected: no message about them leaves (so
    /// nothing unsaved is acknowledged), their writers get
    /// [`STORAGE_WRITE_FAILED`] and a close (1011) and keep their changes,
    /// the documents are reloaded from storage for everyone else, and every
    /// other document and connection carries on. The fault is reported
    /// ([`SyncHub::storage_fault`]) until a write succeeds again.
    async fn execute(&mut self, fx: Vec<Effect>) {
        let mut fx = fx;
        loop {
            let mut queue: VecDeque<Effect> = fx.into();
            let mut outgoing = Vec::new();
            // Storage ops are written in order but together (runs of puts in
            // one transaction): one commit per batch instead of one per
            // change keeps a reconnect storm from queueing on SQLite.
            let mut writes = Vec::new();
            let mut failed = BTreeSet::new();
            let mut reloaded_district = false;
            while let Some(effect) = queue.pop_front() {
                match effect {
                    Effect::Storage(op) => writes.push(op),
                    Effect::LoadDocument { doc } => {
                        // A load sees every write queued before it.
                        self.store_tracked(std::mem::take(&mut writes), &mut failed)
                            .await;
                        reloaded_district |= self.policy.district() == Some(doc);
                        let loaded = self.load(doc).await;
                        match loaded {
                            Ok(chunks) => {
                                queue.extend(
                                    self.node
                                        .handle(now_ms(), Event::DocumentLoaded { doc, chunks }),
                                );
                            }
                            Err(err) => return self.reset(&err),
                        }
                    }
                    Effect::Send { .. } | Effect::Close { .. } => outgoing.push(effect),
                    Effect::PeerConnected {
                        conn,
                        peer_id,
                        metadata,
                    } => {
                        tracing::info!(%conn, %peer_id, storage_id = ?metadata.storage_id, "sync peer connected")
                    }
                    Effect::PeerDisconnected { conn, peer_id } => {
                        tracing::info!(%conn, %peer_id, "sync peer disconnected")
                    }
                    Effect::RemoteError { conn, message } => {
                        tracing::info!(%conn, %message, "sync peer reported an error")
                    }
                    Effect::DocumentChanged { doc, .. } => {
                        tracing::debug!(%doc, "document changed");
                        if self.policy.district() == Some(doc) {
                            self.refresh_directory(doc);
                        }
                    }
                    Effect::DocumentUnavailable { .. } | Effect::Ephemeral { .. } => {}
                }
            }
            self.store_tracked(writes, &mut failed).await;
            let mut next = Vec::new();
            if !failed.is_empty() {
                outgoing = self.writes_failed(&failed, outgoing, &mut next);
            }
            if reloaded_district && let Some(district) = self.policy.district() {
                self.refresh_directory(district);
            }
            let gone = self.dispatch(outgoing);
            next.extend(
                gone.into_iter()
                    .flat_map(|conn| self.node.handle(now_ms(), Event::Disconnected { conn })),
            );
            if next.is_empty() {
                return;
            }
            fx = next;
        }
    }

    /// Writes `ops`; on failure records the fault and the documents whose
    /// saves did not all happen.
    async fn store_tracked(&mut self, ops: Vec<StorageOp>, failed: &mut BTreeSet<DocumentId>) {
        if ops.is_empty() {
            return;
        }
        let docs: BTreeSet<DocumentId> = ops
            .iter()
            .filter_map(|op| {
                let key = match op {
                    StorageOp::Put { key, .. } | StorageOp::Delete { key } => key,
                };
                key.first()?.parse().ok()
            })
            .collect();
        match self.store_all(ops).await {
            Ok(()) => {
                if self.health.storage_fault().is_some() {
                    tracing::info!("sync storage accepts writes again");
                }
                self.health.storage_ok();
            }
            Err(err) => {
                tracing::error!(%err, documents = docs.len(), "sync storage refused a write; those documents' changes are not acknowledged");
                self.health.storage_failed(err.to_string());
                failed.extend(docs);
            }
        }
    }

    /// The schema check: every district or unit document that changed in
    /// this batch must still read as the model's type. One that does not is
    /// refused as a whole: its saves and every message about it are
    /// dropped, its writers get [`SCHEMA_INVALID`] and a close (1008), and
    /// it is reloaded from storage (the last good state) for its readers.
    fn refuse_invalid(&mut self, fx: Vec<Effect>) -> Vec<Effect> {
        let changed: BTreeSet<DocumentId> = fx
            .iter()
            .filter_map(|e| match e {
                Effect::DocumentChanged { doc, .. } => Some(*doc),
                _ => None,
            })
            .collect();
        let invalid: BTreeSet<DocumentId> = changed
            .into_iter()
            .filter(|doc| match self.schema_error(doc) {
                Some(err) => {
                    tracing::warn!(%doc, %err, "changes refused: the document would no longer read as the model's type");
                    true
                }
                None => false,
            })
            .collect();
        if invalid.is_empty() {
            return fx;
        }
        let of_invalid = |key: &[String]| {
            key.first()
                .and_then(|k| k.parse::<DocumentId>().ok())
                .is_some_and(|d| invalid.contains(&d))
        };
        let fx: Vec<Effect> = fx
            .into_iter()
            .filter(|e| match e {
                Effect::Storage(StorageOp::Put { key, .. } | StorageOp::Delete { key }) => {
                    !of_invalid(key)
                }
                Effect::DocumentChanged { doc, .. } => !invalid.contains(doc),
                _ => true,
            })
            .collect();
        let mut next = Vec::new();
        let mut fx =
            self.refuse_documents(&invalid, fx, &mut next, SCHEMA_INVALID, close_code::POLICY);
        fx.extend(next);
        fx
    }

    /// Why `doc` (in memory) does not read as the model's type, if it is
    /// the district or a unit document and does not.
    fn schema_error(&self, doc: &DocumentId) -> Option<String> {
        let am = self.node.document(doc)?;
        if self.policy.district() == Some(*doc) {
            yanzhen_model::whole::read::<yanzhen_model::store::DistrictData>(am)
                .err()
                .map(|e| e.to_string())
        } else if self.policy.is_unit_document(doc) {
            yanzhen_model::whole::read::<yanzhen_model::store::UnitData>(am)
                .err()
                .map(|e| e.to_string())
        } else {
            None
        }
    }

    /// After failed saves of `failed`: drops the messages about them, tells
    /// and closes their writers, and reloads them (effects into `next`).
    /// Returns the messages that may still go.
    fn writes_failed(
        &mut self,
        failed: &BTreeSet<DocumentId>,
        outgoing: Vec<Effect>,
        next: &mut Vec<Effect>,
    ) -> Vec<Effect> {
        self.refuse_documents(
            failed,
            outgoing,
            next,
            STORAGE_WRITE_FAILED,
            close_code::INTERNAL,
        )
    }

    /// Refuses this batch's changes to `docs`: drops the messages about
    /// them from `outgoing`, sends their writers an `error` saying `key`
    /// and closes them with `code`, and reloads the documents from storage
    /// (effects into `next`). Returns what of `outgoing` may still go.
    fn refuse_documents(
        &mut self,
        failed: &BTreeSet<DocumentId>,
        outgoing: Vec<Effect>,
        next: &mut Vec<Effect>,
        key: &str,
        code: u16,
    ) -> Vec<Effect> {
        let outgoing = outgoing
            .into_iter()
            .filter(|e| match e {
                Effect::Send { bytes, .. } => {
                    Message::peek_document_id(bytes).is_none_or(|d| !failed.contains(&d))
                }
                _ => true,
            })
            .collect();
        let writers: BTreeSet<ConnectionId> = self
            .batch_docs
            .iter()
            .filter(|(_, d)| failed.contains(d))
            .map(|(c, _)| *c)
            .collect();
        for conn in writers {
            if let Some(h) = self.conns.get(&conn) {
                tracing::warn!(%conn, device = %h.grant.device_id, reason = key, "its changes were refused; closing its connection");
            }
            next.extend(self.tell_and_close(conn, key, code));
        }
        for doc in failed {
            next.extend(self.node.reload_document(*doc));
        }
        outgoing
    }

    /// Hands messages to the connections; returns those that are gone or too
    /// slow (dropped here; the node still has to hear of them).
    fn dispatch(&mut self, outgoing: Vec<Effect>) -> Vec<ConnectionId> {
        let mut gone = Vec::new();
        for effect in outgoing {
            match effect {
                Effect::Send { conn, bytes } => {
                    let Some(handle) = self.conns.get(&conn) else {
                        continue;
                    };
                    log_refusal(conn, &handle.grant, &bytes);
                    let len = bytes.len();
                    let queued = handle.queued.fetch_add(len, Ordering::Relaxed) + len;
                    let sent = if queued > self.settings.max_queued_bytes {
                        Err(mpsc::error::TrySendError::Full(Outgoing::Binary(bytes)))
                    } else {
                        handle.out.try_send(Outgoing::Binary(bytes))
                    };
                    match sent {
                        Ok(()) => {}
                        Err(mpsc::error::TrySendError::Full(_)) => {
                            tracing::warn!(%conn, "sync peer too slow; closing its connection");
                            if let Some(h) = self.conns.remove(&conn) {
                                h.kill.send_replace(Some((
                                    close_code::TRY_AGAIN_LATER,
                                    "too many unread messages".into(),
                                )));
                            }
                            gone.push(conn);
                        }
                        Err(mpsc::error::TrySendError::Closed(_)) => {
                            self.conns.remove(&conn);
                            gone.push(conn);
                        }
                    }
                }
                // The node already dropped the connection.
                Effect::Close { conn, reason } => {
                    if let Some(h) = self.conns.remove(&conn) {
                        let code = if reason.contains("connected again") {
                            close_code::NORMAL
                        } else {
                            close_code::POLICY
                        };
                        if h.out
                            .try_send(Outgoing::Close {
                                code,
                                reason: reason.clone(),
                            })
                            .is_err()
                        {
                            h.kill.send_replace(Some((code, reason)));
                        }
                    }
                }
                _ => {}
            }
        }
        gone
    }

    /// Carries out storage ops in order: each run of puts in one
    /// transaction ([`Storage::put_all`]), deletes one by one.
    async fn store_all(&self, ops: Vec<StorageOp>) -> crate::Result<()> {
        let mut puts: Vec<(String, Vec<u8>)> = Vec::new();
        for op in ops {
            match op {
                StorageOp::Put { key, data } => puts.push((join_key(&key)?, data)),
                StorageOp::Delete { key } => {
                    self.put_run(&mut puts).await?;
                    self.storage.delete(&join_key(&key)?).await?;
                }
            }
        }
        self.put_run(&mut puts).await
    }

    async fn put_run(&self, puts: &mut Vec<(String, Vec<u8>)>) -> crate::Result<()> {
        match puts.len() {
            0 => Ok(()),
            1 => {
                let (key, data) = puts.remove(0);
                self.storage.put(&key, &data).await
            }
            _ => {
                let r = self.storage.put_all(puts).await;
                puts.clear();
                r
            }
        }
    }

    async fn load(&self, doc: DocumentId) -> crate::Result<Vec<(Vec<String>, Vec<u8>)>> {
        let entries = self
            .storage
            .list_prefix(&prefix_key(&[doc.to_string()])?)
            .await?;
        Ok(entries
            .into_iter()
            .map(|(key, value)| (split_key(&key), value))
            .collect())
    }

    /// After a storage error: close everything, start over from storage.
    fn reset(&mut self, err: &crate::Error) {
        tracing::error!(%err, "sync storage failed; closing all sync connections and reloading");
        for (_, h) in self.conns.drain() {
            h.kill.send_replace(Some((
                close_code::INTERNAL,
                "server storage failed; reconnect".into(),
            )));
        }
        for peer in self.bound.keys() {
            self.policy.unbind(peer);
        }
        self.bound.clear();
        self.joined.clear();
        self.node = SyncNode::with_policy(self.config.clone(), Box::new(self.policy.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::{BoxFuture, Entries};

    /// A storage whose writes fail.
    struct Broken;

    impl Storage for Broken {
        fn storage_id(&self) -> &str {
            "00000000-0000-4000-8000-000000000000"
        }
        fn get<'a>(&'a self, _: &'a str) -> BoxFuture<'a, crate::Result<Option<Vec<u8>>>> {
            Box::pin(async { Ok(None) })
        }
        fn put<'a>(&'a self, key: &'a str, _: &'a [u8]) -> BoxFuture<'a, crate::Result<()>> {
            Box::pin(async move { Err(crate::Error::InvalidKey(key.to_owned())) })
        }
        fn delete<'a>(&'a self, _: &'a str) -> BoxFuture<'a, crate::Result<()>> {
            Box::pin(async { Ok(()) })
        }
        fn list_prefix<'a>(&'a self, _: &'a str) -> BoxFuture<'a, crate::Result<Entries>> {
            Box::pin(async { Ok(Vec::new()) })
        }
        fn put_all<'a>(&'a self, _: &'a [(String, Vec<u8>)]) -> BoxFuture<'a, crate::Result<()>> {
            Box::pin(async { Ok(()) })
        }
        fn meta_get<'a>(&'a self, _: &'a str) -> BoxFuture<'a, crate::Result<Option<String>>> {
            Box::pin(async { Ok(None) })
        }
        fn meta_put<'a>(&'a self, _: &'a str, _: &'a str) -> BoxFuture<'a, crate::Result<()>> {
            Box::pin(async { Ok(()) })
        }
        fn is_empty(&self) -> BoxFuture<'_, crate::Result<bool>> {
            Box::pin(async { Ok(true) })
        }
        fn ping(&self) -> BoxFuture<'_, crate::Result<()>> {
            Box::pin(async { Ok(()) })
        }
        fn close(&self) -> BoxFuture<'_, ()> {
            Box::pin(async {})
        }
    }

    fn hub(storage: Arc<dyn Storage>) -> Hub {
        let settings = SyncSettings::default();
        let config = node_config(storage.storage_id(), &settings);
        let policy = ServerPolicy::default();
        Hub {
            node: SyncNode::with_policy(config.clone(), Box::new(policy.clone())),
            config,
            storage,
            conns: HashMap::new(),
            settings,
            shutting_down: Arc::new(watch::Sender::new(false)),
            policy,
            auth: None,
            joined: HashMap::new(),
            bound: HashMap::new(),
            ticks: 0,
            directory_loaded: None,
            health: Health::new(),
            batch_docs: Vec::new(),
            heads_queries: Vec::new(),
        }
    }

    fn attach(
        hub: &mut Hub,
        conn: ConnectionId,
        queue: usize,
    ) -> (mpsc::Receiver<Outgoing>, watch::Receiver<Kill>) {
        let (out, out_rx) = mpsc::channel(queue);
        let (kill, kill_rx) = watch::channel(None);
        let grant = Grant {
            device_id: format!("device-{conn}"),
            role: crate::policy::Role::Admin,
            unit: None,
        };
        hub.conns.insert(
            conn,
            ConnHandle {
                out,
                kill,
                grant,
                queued: Arc::default(),
            },
        );
        (out_rx, kill_rx)
    }

    #[test]
    fn the_server_config_is_durable_and_saves_at_once() {
        let c = node_config("abc", &SyncSettings::default());
        assert_eq!(c.metadata, PeerMetadata::durable(StorageId::new("abc")));
        assert_eq!(c.save_debounce_ms, 0);
        assert!(c.storage);
        assert_eq!(c.max_message_bytes, 8 * 1024 * 1024);
    }

    #[tokio::test]
    async fn a_peer_that_cannot_keep_up_is_dropped_without_blocking() {
        let mut hub = hub(Arc::new(Broken));
        let slow = ConnectionId(1);
        let fast = ConnectionId(2);
        let (_slow_rx, kill_rx) = attach(&mut hub, slow, 1);
        let (mut fast_rx, _fast_kill) = attach(&mut hub, fast, 8);
        let sends = |conn| Effect::Send {
            conn,
            bytes: vec![1],
        };
        let gone = hub.dispatch(vec![sends(slow), sends(fast), sends(slow), sends(fast)]);
        assert_eq!(gone, vec![slow]);
        assert!(!hub.conns.contains_key(&slow));
        assert_eq!(
            kill_rx.borrow().as_ref().map(|k| k.0),
            Some(close_code::TRY_AGAIN_LATER)
        );
        assert!(matches!(fast_rx.try_recv(), Ok(Outgoing::Binary(_))));
        assert!(matches!(fast_rx.try_recv(), Ok(Outgoing::Binary(_))));
    }

    #[tokio::test]
    async fn close_effects_queue_behind_the_error_message() {
        let mut hub = hub(Arc::new(Broken));
        let conn = ConnectionId(1);
        let (mut rx, kill_rx) = attach(&mut hub, conn, 8);
        hub.dispatch(vec![
            Effect::Send {
                conn,
                bytes: vec![7],
            },
            Effect::Close {
                conn,
                reason: "malformed".into(),
            },
        ]);
        assert!(matches!(rx.try_recv(), Ok(Outgoing::Binary(b)) if b == [7]));
        assert!(matches!(
            rx.try_recv(),
            Ok(Outgoing::Close {
                code: close_code::POLICY,
                ..
            })
        ));
        assert!(kill_rx.borrow().is_none());
        assert!(hub.conns.is_empty());
    }

    fn sync_about(doc: DocumentId) -> Vec<u8> {
        Message::Sync {
            sender_id: PeerId::new("server"),
            target_id: PeerId::new("tablet"),
            document_id: doc,
            data: vec![0x42, 0, 0, 0, 0],
        }
        .encode()
    }

    #[tokio::test]
    async fn a_failed_save_stops_only_that_documents_messages_and_its_writer() {
        let mut hub = hub(Arc::new(Broken));
        let (failing, other) = (
            DocumentId::from_bytes([1; 16]),
            DocumentId::from_bytes([2; 16]),
        );
        let (writer, reader) = (ConnectionId(1), ConnectionId(2));
        let (mut writer_rx, writer_kill) = attach(&mut hub, writer, 8);
        let (mut reader_rx, reader_kill) = attach(&mut hub, reader, 8);
        // This batch: the writer sent changes to `failing`.
        hub.batch_docs.push((writer, failing));
        hub.execute(vec![
            Effect::Send {
                conn: reader,
                bytes: sync_about(failing),
            },
            Effect::Send {
                conn: reader,
                bytes: sync_about(other),
            },
            Effect::Storage(StorageOp::Put {
                key: vec![failing.to_string(), "incremental".into(), "h".into()],
                data: vec![1],
            }),
        ])
        .await;
        // Nothing about the unsaved document leaves; the other document's
        // message does.
        let got = reader_rx.try_recv();
        assert!(
            matches!(&got, Ok(Outgoing::Binary(b)) if Message::peek_document_id(b) == Some(other)),
            "{got:?}"
        );
        assert!(reader_rx.try_recv().is_err());
        assert!(reader_kill.borrow().is_none(), "the reader stays");
        assert!(hub.conns.contains_key(&reader));
        // The writer is told and closed (1011); it keeps its changes.
        let told = writer_rx.try_recv();
        assert!(
            matches!(&told, Ok(Outgoing::Binary(b)) if matches!(Message::decode(b), Ok(Message::Error { message, .. }) if message == STORAGE_WRITE_FAILED)),
            "{told:?}"
        );
        assert!(matches!(
            writer_rx.try_recv(),
            Ok(Outgoing::Close {
                code: close_code::INTERNAL,
                ..
            })
        ));
        assert!(writer_kill.borrow().is_none());
        assert!(!hub.conns.contains_key(&writer));
        // The fault is reported until a write succeeds.
        assert!(hub.health.storage_fault().is_some());
    }

    #[tokio::test]
    async fn a_peer_with_too_many_queued_bytes_is_dropped() {
        let mut hub = hub(Arc::new(Broken));
        hub.settings.max_queued_bytes = 1000;
        let conn = ConnectionId(1);
        let (_rx, kill_rx) = attach(&mut hub, conn, 1024);
        let send = |n| Effect::Send {
            conn,
            bytes: vec![0; n],
        };
        assert!(hub.dispatch(vec![send(600)]).is_empty());
        assert_eq!(hub.dispatch(vec![send(600)]), vec![conn]);
        assert_eq!(
            kill_rx.borrow().as_ref().map(|k| k.0),
            Some(close_code::TRY_AGAIN_LATER)
        );
    }

    #[test]
    fn in_flight_budgets_always_fit_the_largest_message() {
        let mut settings = SyncSettings {
            max_inflight_bytes: 1,
            ..SyncSettings::default()
        };
        let (all, conn) = inflight_kib(&settings);
        let largest = kib(settings.max_message_bytes + TRANSPORT_SLACK);
        assert!(conn >= largest && all >= conn);
        settings.max_inflight_bytes = 1 << 30;
        assert_eq!(inflight_kib(&settings).0, 1 << 20);
    }
}
