//! Yanzhen's sync layer: the automerge-repo wire protocol (CBOR, protocol
//! "1") as a sans-IO state machine. Events go in, effects come out; time and
//! randomness are passed in, so the same code runs in the browser, in the
//! server and in the benchmark load generator.
//!
//! * [`ids`]: [`DocumentId`] (base58check, `automerge:` URLs), peer and
//!   storage ids.
//! * [`message`]: the wire [`Message`]s and their CBOR codec.
//! * [`storage`]: save/compaction planning and loading in automerge-repo's
//!   storage key layout.

pub mod ids;
pub mod message;
pub mod storage;

pub use ids::{ConnectionId, DocumentId, PeerId, SessionId, StorageId};
pub use message::{Message, PROTOCOL_V1, PeerMetadata};

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
}
