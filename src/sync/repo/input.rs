//! What happens to the tablet's repo: every browser callback, timer and
//! finished task, as one value for [`super::state::RepoState::on`].
//!
//! Time comes with each call (`now`, ms since the epoch); randomness is in
//! the inputs that need it ([`Input::Closed`]'s `random`). A local change
//! and an import carry a closure or file and are methods of the state
//! instead ([`super::state::RepoState::change`],
//! [`super::state::RepoState::import`]).

use yanzhen_sync::{ConnectionId, DocumentId, StorageKey};

use super::super::idb::StorageError;
use super::super::status::Problem;
use crate::access::device::{Enrolment, Refusal};

/// A document's stored chunks as read for [`super::action::Action::Load`],
/// and how many damaged records were set aside while reading them.
pub type Chunks = (Vec<(StorageKey, Vec<u8>)>, usize);

/// Something that happened.
#[derive(Clone, Debug)]
pub enum Input {
    /// Start-up: IndexedDB was opened (`store_open`) and listed its
    /// documents (`stored`; an error if either failed); the enrolment and
    /// the district document remembered from the last bootstrap.
    Started {
        online: bool,
        store_open: bool,
        stored: Result<Vec<DocumentId>, StorageError>,
        enrolment: Option<Enrolment>,
        district: Option<DocumentId>,
    },
    /// The server's HTTP base URL (the setting, or the page's origin).
    Server { base: String },
    /// The enrolment is now this (enrolled, enrolled again, or none).
    Enrolment {
        online: bool,
        enrolment: Option<Enrolment>,
    },
    /// A document's chunks were read from IndexedDB (or reading failed).
    Loaded {
        doc: DocumentId,
        chunks: Result<Chunks, StorageError>,
    },
    /// Socket `conn` opened.
    Opened { conn: ConnectionId },
    /// Socket `conn` delivered one binary message.
    Received { conn: ConnectionId, bytes: Vec<u8> },
    /// Socket `conn` closed (or failed to open); `random` in `[0, 1)` for
    /// the backoff's jitter.
    Closed { conn: ConnectionId, random: f64 },
    /// The one-second timer.
    Tick,
    /// The browser is online again, or the person asked to retry now.
    Online,
    /// The browser went offline.
    Offline,
    /// The head write batch is committed.
    Written,
    /// The head write batch failed (it stays at the head).
    WriteFailed(StorageError),
    /// IndexedDB was reopened for a retry (or not).
    StoreOpened(Result<(), StorageError>),
    /// `GET /api/bootstrap` answered with the district document (or failed).
    Bootstrapped(Result<Option<DocumentId>, String>),
    /// `GET /api/me` refused `token` (401) for this reason.
    TokenRefused { token: String, refusal: Refusal },
    /// The attestations asked for at heads digest `digest` are in (or the
    /// asking failed).
    Attested { digest: u64 },
    /// The carried files were handed to the server (as far as it went).
    PassedOn,
    /// An imported file with vouched edits was kept for passing on.
    RelayKept,
    /// Something outside the repo's decisions went wrong (kept attestations
    /// or carried files not written, stored chunks not encrypted…).
    Problem(Problem),
}
