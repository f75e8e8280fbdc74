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
//!
//! # Files
//!
//! `handle.rs`: the [`SyncHub`] handle and the commands it sends the hub;
//! `connection.rs`: one WebSocket's task, the upgrade (`GET /sync`) and the
//! in-flight budgets; `local.rs`: in-process connections (the relay);
//! `hub.rs`: the hub task's state, its batch loop and handing messages to
//! the connections' queues; `access.rs`: binding joined peers to their
//! device and revocation; `effects.rs`: carrying out the node's effects,
//! storage first; `nodes.rs`: several server nodes on one PostgreSQL
//! database (change notices, merging what other nodes stored);
//! `refusal.rs`: refusing a batch's changes to a document
//! (schema, authorship, failed writes).
//!
//! [`ConnectionId`]: yanzhen_sync::ConnectionId
//! [`Event`]: yanzhen_sync::Event
//! [`Effect`]: yanzhen_sync::Effect
//! [`Storage`]: crate::storage::Storage
//! [`Health`]: crate::health::Health
//! [`Grant`]: crate::policy::Grant
//! [`ServerPolicy`]: crate::policy::ServerPolicy
//! [`AuthStore`]: crate::auth::AuthStore

mod access;
mod connection;
mod effects;
mod handle;
mod hub;
mod local;
mod nodes;
mod refusal;
#[cfg(test)]
mod tests;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use yanzhen_sync::{Config, PeerId, PeerMetadata, StorageId};

pub use connection::{query_token, ws};
pub use handle::{ConnectionSlot, HeadsAnswer, SyncHub};
pub(crate) use local::LocalIncoming;
pub use nodes::{
    CHANGES_CHANNEL, MAX_NODE_ID, RESYNC_TICKS, REVOKED_CHANNEL, check_node_id, default_node_id,
    notify_revoked,
};

/// The message key sent (as a protocol `error` and close reason) to a device
/// revoked while connected.
pub const REVOKED: &str = "access.token.revoked";

/// The error key (429 before the upgrade) for a device over
/// [`SyncSettings::max_connections_per_device`].
pub const TOO_MANY_CONNECTIONS: &str = "access.token.too_many_connections";

/// Bytes above [`SyncSettings::max_message_bytes`] that the WebSocket layer
/// still reads, so that slightly oversize messages reach the node and get a
/// clean protocol `error`.
pub const TRANSPORT_SLACK: usize = 1024 * 1024;

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
    /// This server node's id among the nodes sharing one PostgreSQL
    /// database (`--node-id`; default: host name and process id): its own
    /// change notices are skipped ([`nodes`]).
    pub node_id: String,
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
            node_id: default_node_id(),
        }
    }
}

/// The message key of the `error` a writer gets when storage refused to
/// save its changes (its connection is then closed, 1011; it keeps its
/// changes and sends them again when it reconnects).
pub const STORAGE_WRITE_FAILED: &str = "storage.write_failed";

/// The message key of the `error` a writer gets when its changes would
/// leave the district or a unit document unreadable to the model (its
/// connection is then closed, 1008; nothing of them is stored or passed on).
pub const SCHEMA_INVALID: &str = "schema.invalid";

/// The message key of the `error` a writer gets when a change it sent to
/// the district or a unit document does not name it as its maker (the
/// change message's device `d` and role `r` must be the sending device's
/// server id and role name; a schema migration must be one the server
/// reproduces): its connection is then closed, 1008, and nothing of the
/// batch's changes to that document is stored or passed on. See
/// [`yanzhen_model::authorship`].
pub const AUTHORSHIP_REFUSED: &str = "authorship.refused";

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
