//! Yanzhen's sync layer: the automerge-repo wire protocol (CBOR, protocol
//! "1") as a sans-IO state machine. Events go in, effects come out; time and
//! randomness are passed in, so the same code runs in the browser, in the
//! server and in the benchmark load generator.
//!
//! * [`ids`]: [`DocumentId`] (base58check, `automerge:` URLs), peer and
//!   storage ids.
//! * [`message`]: the wire [`Message`]s and their CBOR codec.
//! * [`node`]: the state machine, [`SyncNode`]: [`Event`]s in, [`Effect`]s out.
//! * [`access`]: the [`AccessPolicy`] hook a node asks before serving.
//! * [`bounds`]: what Automerge bytes from elsewhere may cost (inflation,
//!   declared values, list lengths), checked before Automerge parses them.
//! * [`relay`]: a device's [`relay::Vouch`] for its own changes, so another
//!   tablet can carry them to the server without being trusted.
//! * [`storage`]: save/compaction planning and loading in automerge-repo's
//!   storage key layout.
//! * [`attest`]: the district's keys and the server's signed heads
//!   ([`attest::Attestation`]) that `.yanzhen` files (version 2) carry.
//! * [`file`]: `.yanzhen` sync-by-file container (version 2: sealed under
//!   the district transfer key; import applies only attested changes).

//!
//! # Driving a node
//!
//! The IO layer owns the sockets and a clock; it numbers connections, feeds
//! [`Event`]s to [`SyncNode::handle`] and carries out the [`Effect`]s:
//!
//! ```
//! use automerge::{transaction::Transactable, Automerge, ROOT};
//! use yanzhen_sync::*;
//!
//! let mut server = SyncNode::new(Config::server(
//!     PeerId::new("server"),
//!     PeerMetadata::durable(StorageId::from_random([1; 16])),
//! ));
//! let mut tablet = SyncNode::new(Config::client(
//!     PeerId::from_random("tablet", &[2; 8]),
//!     PeerMetadata::durable(StorageId::from_random([3; 16])),
//! ));
//! let doc = DocumentId::from_bytes([4; 16]); // random bytes in real life
//! let mut am = Automerge::new();
//! let mut tx = am.transaction();
//! tx.put(ROOT, "title", "hello").unwrap();
//! tx.commit();
//!
//! // One in-memory "socket": connection 1 on both sides, FIFO.
//! let conn = ConnectionId(1);
//! server.handle(0, Event::Connected { conn, initiator: false });
//! let mut fx = tablet.handle(0, Event::Connected { conn, initiator: true });
//! fx.extend(tablet.add_document(doc, am).unwrap());
//! // (effect, produced by the server?)
//! let mut queue: std::collections::VecDeque<(Effect, bool)> =
//!     fx.into_iter().map(|e| (e, false)).collect();
//! let mut store = std::collections::BTreeMap::new();
//! let mut now = 0; // milliseconds, from the IO layer's clock
//! while let Some((effect, from_server)) = queue.pop_front() {
//!     now += 1;
//!     let (out, by_server) = match effect {
//!         Effect::Send { bytes, .. } if from_server => {
//!             (tablet.handle(now, Event::Received { conn, bytes }), false)
//!         }
//!         Effect::Send { bytes, .. } => (server.handle(now, Event::Received { conn, bytes }), true),
//!         // Only the server has storage here; nothing is stored yet.
//!         Effect::LoadDocument { doc } => {
//!             (server.handle(now, Event::DocumentLoaded { doc, chunks: vec![] }), true)
//!         }
//!         Effect::Storage(StorageOp::Put { key, data }) => {
//!             store.insert(key, data);
//!             (vec![], from_server)
//!         }
//!         _ => (vec![], from_server),
//!     };
//!     queue.extend(out.into_iter().map(|e| (e, by_server)));
//! }
//! assert_eq!(
//!     server.document(&doc).unwrap().get_heads(),
//!     tablet.document(&doc).unwrap().get_heads()
//! );
//! for effect in server.flush() {
//!     if let Effect::Storage(StorageOp::Put { key, data }) = effect {
//!         store.insert(key, data);
//!     }
//! }
//! assert!(!store.is_empty());
//! ```

pub mod access;
pub mod attest;
pub mod bounds;
pub mod file;
pub mod ids;
pub mod message;
pub mod node;
pub mod relay;
pub mod storage;

pub use access::{Access, AccessPolicy, AllowAll};
pub use ids::{ConnectionId, DocumentId, PeerId, SessionId, StorageId};
pub use message::{Message, PROTOCOL_V1, PeerMetadata};
pub use node::{Applied, Config, DocStatus, Effect, Event, Held, Role, SyncNode};
pub use storage::{StorageKey, StorageOp};

/// Errors of this crate.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum Error {
    /// A document id or URL that is not base58check of 16 bytes.
    #[error("invalid document id: {0}")]
    InvalidDocumentId(String),
    /// A wire message that is not valid CBOR or not a valid message.
    #[error("malformed message: {0}")]
    Malformed(String),
    /// Stored chunks that do not load.
    #[error("storage: {0}")]
    Storage(String),
    /// [`SyncNode::add_document`] for a document that is already there.
    #[error("document {0} already exists")]
    DocumentExists(DocumentId),
    /// A local operation on a document that is not in memory.
    #[error("unknown document {0}")]
    UnknownDocument(DocumentId),
}
