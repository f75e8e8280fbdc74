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
//! * [`storage`]: save/compaction planning and loading in automerge-repo's
//!   storage key layout.

pub mod access;
pub mod ids;
pub mod message;
pub mod node;
pub mod storage;

pub use access::{Access, AccessPolicy, AllowAll};
pub use ids::{ConnectionId, DocumentId, PeerId, SessionId, StorageId};
pub use message::{Message, PROTOCOL_V1, PeerMetadata};
pub use node::{Config, DocStatus, Effect, Event, Role, SyncNode};
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
