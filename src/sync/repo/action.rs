//! What the tablet's repo asks the browser runtime to do: the answer of
//! [`super::state::RepoState::on`], carried out in order.

use yanzhen_sync::{ConnectionId, DocumentId, StorageOp};

use super::super::status::{Connection, DocRow, Problem};

/// One thing to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Send one binary message on socket `conn` (if it is still the current one).
    Send { conn: ConnectionId, bytes: Vec<u8> },
    /// Close socket `conn` (its close comes back as
    /// [`super::input::Input::Closed`]).
    Close { conn: ConnectionId },
    /// Let socket `conn` go without waiting for its close (drop it later,
    /// not inside its own handler).
    Drop { conn: ConnectionId },
    /// Open a new socket `conn` to `url`; its events come back as inputs.
    Connect { conn: ConnectionId, url: String },
    /// Read a document's chunks; answer with [`super::input::Input::Loaded`].
    Load { doc: DocumentId },
    /// Write one batch to IndexedDB (a chunk, then the deletes of the
    /// chunks it replaced); answer with `Written` or `WriteFailed`.
    Write {
        doc: DocumentId,
        ops: Vec<StorageOp>,
    },
    /// Open IndexedDB again; answer with `StoreOpened`.
    OpenStore,
    /// The database connection is closed: drop it.
    ForgetStore,
    /// `GET /api/bootstrap` at `base`; answer with `Bootstrapped`.
    Bootstrap { base: String },
    /// `GET /api/me` with `token`: a 401 answers `TokenRefused`; an answer
    /// refreshes the enrolment (device info, district keys).
    CheckToken { base: String, token: String },
    /// Ask for (and keep) the documents' attestations; answer `Attested`.
    Attest { digest: u64 },
    /// Hand the kept carried files to the server; answer `PassedOn`.
    PassOn { base: String, token: String },
    /// Remember the district document the server named (local storage).
    KeepDistrict(Option<DocumentId>),
    /// Show these document rows.
    Rows(Vec<DocRow>),
    /// Show this connection state.
    Connection(Connection),
    /// Show this problem (or none).
    Problem(Option<Problem>),
    /// Every document the tablet holds is loaded (start-up is done).
    DocsLoaded,
    /// The tablet is revoked: erase it (`unsynced`: edits the server had
    /// not confirmed go with it).
    Revoked { unsynced: bool },
    /// Keep an imported file with vouched edits until the server took it;
    /// answer `RelayKept` (or a `Problem`).
    KeepRelay { file: Vec<u8> },
}
