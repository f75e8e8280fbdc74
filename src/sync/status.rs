//! What the sync layer shows: the connection in plain words, the last
//! problem, and one row per document. Pure data and functions (tested
//! natively); the repo fills them in, the sync-status screen renders them.

use automerge::ChangeHash;
use serde::{Deserialize, Serialize};
use yanzhen_model::sorting;
use yanzhen_sync::DocumentId;

use super::idb::StorageError;
use crate::access::device::Refusal;
use crate::i18n::Msg;

/// The connection to the sync server, as shown.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Connection {
    /// Not started yet.
    Starting,
    /// The browser is offline.
    Offline,
    /// Opening a socket / handshaking.
    Connecting,
    /// Handshaken with the server.
    Connected,
    /// Waiting until `at` (ms since the epoch) to try again.
    Retrying { at: f64 },
    /// The tablet is not enrolled: nothing to connect with.
    NotEnrolled,
    /// The server refused the tablet's token: stopped until the person acts.
    Refused(Refusal),
}

impl Connection {
    /// The element id suffix and the message for it.
    pub fn msg(self) -> Msg {
        match self {
            Connection::Starting | Connection::Connecting => Msg::SyncConnConnecting,
            Connection::Offline => Msg::SyncConnOffline,
            Connection::Connected => Msg::SyncConnConnected,
            Connection::Retrying { .. } => Msg::SyncConnRetrying,
            Connection::NotEnrolled => Msg::SyncConnNotEnrolled,
            Connection::Refused(_) => Msg::SyncConnRefused,
        }
    }

    /// A stable name for tests (`data-state`).
    pub fn name(self) -> &'static str {
        match self {
            Connection::Starting => "starting",
            Connection::Offline => "offline",
            Connection::Connecting => "connecting",
            Connection::Connected => "connected",
            Connection::Retrying { .. } => "retrying",
            Connection::NotEnrolled => "not-enrolled",
            Connection::Refused(_) => "refused",
        }
    }

    /// Whole seconds until the next attempt (rounded up), when retrying.
    pub fn retry_in_secs(self, now: f64) -> Option<u64> {
        match self {
            Connection::Retrying { at } => Some(((at - now).max(0.0) / 1000.0).ceil() as u64),
            _ => None,
        }
    }
}

/// Something that went wrong, to show until it is fixed or replaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Writing to or reading from the tablet's storage failed.
    Storage(StorageError),
    /// `GET /api/bootstrap` failed.
    Bootstrap(String),
    /// The server sent an error (or refused the connection's handshake).
    Server(String),
    /// A stored document does not load.
    Document(String),
    /// The server address is plain `http://` to another host: the tablet
    /// does not connect (see [`crate::settings::check_server_url`]).
    Insecure(String),
}

impl Problem {
    /// The plain-words message.
    pub fn msg(&self) -> Msg {
        match self {
            Problem::Storage(StorageError::QuotaExceeded(_)) => Msg::SyncErrQuota,
            Problem::Storage(StorageError::Closed(_)) => Msg::SyncErrStorageClosed,
            Problem::Storage(StorageError::Unavailable(_)) => Msg::SyncErrStorageUnavailable,
            Problem::Storage(_) => Msg::SyncErrStorage,
            Problem::Bootstrap(_) => Msg::SyncErrBootstrap,
            Problem::Server(key) if key == "storage.write_failed" => Msg::SyncErrServerStorage,
            Problem::Server(key) if key == "schema.invalid" => Msg::SyncErrSchema,
            Problem::Server(key) if key == "authorship.refused" => Msg::SyncErrAuthorship,
            Problem::Server(_) => Msg::SyncErrServer,
            Problem::Document(_) => Msg::SyncErrDocument,
            Problem::Insecure(_) => Msg::ErrServerUrlInsecure,
        }
    }

    /// The technical detail (for support), shown small under the message.
    pub fn detail(&self) -> String {
        match self {
            Problem::Storage(e) => e.to_string(),
            Problem::Bootstrap(s)
            | Problem::Server(s)
            | Problem::Document(s)
            | Problem::Insecure(s) => s.clone(),
        }
    }
}

/// Which kind of document a row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DocKind {
    /// The district document (with the unit directory).
    District,
    /// A village or community document.
    Unit,
    /// Found in storage, not (yet) in the directory.
    Other,
}

/// Whether the server has this tablet's changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ack {
    /// The server has everything this tablet has.
    Acked,
    /// This tablet has changes the server has not acknowledged.
    Pending,
    /// Not known yet (no word from the server about this document).
    Unknown,
    /// The document is not here yet (waiting for the server).
    Missing,
    /// Neither this tablet nor the server has it.
    Unavailable,
}

impl Ack {
    /// The plain-words message.
    pub fn msg(self) -> Msg {
        match self {
            Ack::Acked => Msg::SyncDocAcked,
            Ack::Pending => Msg::SyncDocPending,
            Ack::Unknown => Msg::SyncDocUnknown,
            Ack::Missing => Msg::SyncDocMissing,
            Ack::Unavailable => Msg::SyncDocUnavailable,
        }
    }

    /// A stable name for tests (`data-ack`).
    pub fn name(self) -> &'static str {
        match self {
            Ack::Acked => "acked",
            Ack::Pending => "pending",
            Ack::Unknown => "unknown",
            Ack::Missing => "missing",
            Ack::Unavailable => "unavailable",
        }
    }
}

/// Whether the server has our changes: with the server connected, from
/// the heads it last told us (`server`); otherwise from the heads it last
/// acknowledged (`last_acked`). The server has our changes when each of our
/// heads is among its heads (it may have more, which are on their way to us).
pub fn ack_state(
    local: &[ChangeHash],
    server: Option<&[ChangeHash]>,
    last_acked: Option<&[ChangeHash]>,
) -> Ack {
    let covers = |theirs: &[ChangeHash]| local.iter().all(|h| theirs.contains(h));
    match (server, last_acked) {
        (Some(s), _) if covers(s) => Ack::Acked,
        (Some(_), _) => Ack::Pending,
        (None, Some(a)) if covers(a) => Ack::Acked,
        (None, Some(_)) => Ack::Pending,
        (None, None) => Ack::Unknown,
    }
}

/// What unacknowledged local changes mean for a document: `(flagged,
/// pending)`. On a document this device may only read, they are edits the
/// server will never take: flagged on the row (kept in IndexedDB, never
/// dropped) and *not* pending, so the heartbeat does not close and retry
/// the link over them forever. Elsewhere they are pending as usual.
pub fn local_edits(ack: Ack, read_only: bool) -> (bool, bool) {
    let unacked = ack == Ack::Pending;
    (read_only && unacked, unacked && !read_only)
}

/// Whether the tablet holds edits the server has not confirmed: a save
/// still being written, or a document it may write with changes the server
/// has not acknowledged (what a revocation's wipe would take with it).
pub fn unsynced(rows: &[DocRow], saves_pending: bool) -> bool {
    saves_pending
        || rows
            .iter()
            .any(|d| d.unsaved || local_edits(d.ack, d.read_only).1)
}

/// Whether the server has everything this tablet may give it (every
/// document acknowledged; edits of read-only documents never are), so its
/// attestations now cover the tablet's documents: the time to ask for them
/// (see [`super::transfer`]).
pub fn in_step(rows: &[DocRow]) -> bool {
    !rows.is_empty() && rows.iter().all(|d| d.ack == Ack::Acked || d.readonly_edits)
}

/// One document on the sync-status screen.
#[derive(Clone, Debug, PartialEq)]
pub struct DocRow {
    pub id: DocumentId,
    pub kind: DocKind,
    /// The unit's (or district's) name from the directory, if known.
    pub name: Option<String>,
    /// Bumps whenever the document changes (pages re-read model data).
    pub revision: u64,
    /// When the server last confirmed it has all our changes (ms since the epoch).
    pub last_sync: Option<f64>,
    pub ack: Ack,
    /// Local saves not yet written to IndexedDB.
    pub unsaved: bool,
    /// This device may only read the document.
    pub read_only: bool,
    /// Read only here, yet edited on this tablet: the edits are kept in
    /// IndexedDB but the server does not take them.
    pub readonly_edits: bool,
}

impl DocRow {
    /// Whether this tablet may write the document now: not read-only, and
    /// the document is here (an edit of a missing document would sit
    /// unsynced forever).
    pub fn writable(&self) -> bool {
        !self.read_only && !matches!(self.ack, Ack::Missing | Ack::Unavailable)
    }
}

/// Whether the tablet may write document `id` (see [`DocRow::writable`]);
/// false for a document it does not have at all.
pub fn may_write(rows: &[DocRow], id: &DocumentId) -> bool {
    rows.iter()
        .find(|r| r.id == *id)
        .is_some_and(DocRow::writable)
}

/// Sorts rows for display: the district first, then units by name, then the rest.
pub fn sort_rows(rows: &mut [DocRow]) {
    sorting::sort_by(rows, |a, b| {
        (a.kind, &a.name, a.id).cmp(&(b.kind, &b.name, b.id))
    });
}

/// `GET /api/bootstrap`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bootstrap {
    /// The server's durable storage id.
    pub storage_id: String,
    /// The district document (base58check), if the server has one.
    pub district_document_id: Option<String>,
    /// The server's version.
    #[serde(default)]
    pub version: String,
}

impl Bootstrap {
    /// Parses the JSON body.
    pub fn parse(json: &str) -> Result<Self, String> {
        serde_json::from_str(json).map_err(|e| format!("bootstrap: {e}"))
    }

    /// The district document id, if present and valid.
    pub fn district(&self) -> Result<Option<DocumentId>, String> {
        self.district_document_id
            .as_deref()
            .map(|s| s.parse::<DocumentId>().map_err(|e| e.to_string()))
            .transpose()
    }
}

/// What this tablet keeps about sync in local storage (gloo-storage): its
/// durable storage id and the last district document the server named.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncIdentity {
    pub storage_id: Option<String>,
    pub district_document_id: Option<String>,
}

/// The local-storage key of [`SyncIdentity`].
pub const IDENTITY_KEY: &str = "yanzhen.sync.v1";

/// `HH:MM:SS` of a time of day given in milliseconds since midnight.
pub fn clock(ms_of_day: f64) -> String {
    let s = (ms_of_day / 1000.0).floor().max(0.0) as u64 % 86_400;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// `HH:MM:SS` of a time (ms since the epoch) in the tablet's time zone
/// (UTC outside the browser).
pub fn local_clock(ms: f64) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
        let of_day = f64::from(d.get_hours() * 3600 + d.get_minutes() * 60 + d.get_seconds());
        clock(of_day * 1000.0)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        clock(ms.rem_euclid(86_400_000.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(b: u8) -> ChangeHash {
        ChangeHash([b; 32])
    }

    #[test]
    fn attestations_are_asked_for_once_the_server_has_everything() {
        let row = |ack, readonly_edits| DocRow {
            id: DocumentId::from_bytes([1; 16]),
            kind: DocKind::Unit,
            name: None,
            revision: 0,
            last_sync: None,
            ack,
            unsaved: false,
            read_only: readonly_edits,
            readonly_edits,
        };
        assert!(!in_step(&[]), "nothing to attest");
        assert!(in_step(&[row(Ack::Acked, false), row(Ack::Pending, true)]));
        assert!(!in_step(&[
            row(Ack::Acked, false),
            row(Ack::Pending, false)
        ]));
        assert!(!in_step(&[row(Ack::Missing, false)]));
    }

    #[test]
    fn acknowledgement_compares_heads() {
        assert_eq!(ack_state(&[h(1)], Some(&[h(1)]), None), Ack::Acked);
        assert_eq!(ack_state(&[h(1)], Some(&[h(1), h(2)]), None), Ack::Acked);
        assert_eq!(ack_state(&[h(1), h(3)], Some(&[h(1)]), None), Ack::Pending);
        assert_eq!(
            ack_state(&[h(1)], Some(&[]), Some(&[h(1)])),
            Ack::Pending,
            "live heads win"
        );
        assert_eq!(ack_state(&[h(1)], None, Some(&[h(1)])), Ack::Acked);
        assert_eq!(ack_state(&[h(2)], None, Some(&[h(1)])), Ack::Pending);
        assert_eq!(ack_state(&[h(2)], None, None), Ack::Unknown);
    }

    #[test]
    fn the_servers_storage_and_schema_refusals_have_their_own_words() {
        // The server's keys: STORAGE_WRITE_FAILED, SCHEMA_INVALID and AUTHORSHIP_REFUSED in
        // crates/server/src/sync/mod.rs.
        let msg = |k: &str| Problem::Server(k.to_owned()).msg();
        assert_eq!(msg("storage.write_failed"), Msg::SyncErrServerStorage);
        assert_eq!(msg("schema.invalid"), Msg::SyncErrSchema);
        assert_eq!(msg("authorship.refused"), Msg::SyncErrAuthorship);
        assert_eq!(msg("something else"), Msg::SyncErrServer);
    }

    #[test]
    fn edits_of_read_only_documents_are_flagged_not_pending() {
        assert_eq!(local_edits(Ack::Pending, true), (true, false));
        assert_eq!(local_edits(Ack::Pending, false), (false, true));
        assert_eq!(local_edits(Ack::Acked, true), (false, false));
        assert_eq!(local_edits(Ack::Unknown, true), (false, false));
    }

    #[test]
    fn retry_countdown_rounds_up() {
        let c = Connection::Retrying { at: 10_000.0 };
        assert_eq!(c.retry_in_secs(7_500.0), Some(3));
        assert_eq!(c.retry_in_secs(10_000.0), Some(0));
        assert_eq!(c.retry_in_secs(12_000.0), Some(0));
        assert_eq!(Connection::Connected.retry_in_secs(0.0), None);
    }

    #[test]
    fn problems_have_plain_words() {
        assert_eq!(
            Problem::Storage(StorageError::QuotaExceeded("x".into())).msg(),
            Msg::SyncErrQuota
        );
        assert_eq!(Problem::Bootstrap("down".into()).detail(), "down");
    }

    #[test]
    fn bootstrap_json_is_parsed() {
        let id = DocumentId::from_bytes([9; 16]);
        let b = Bootstrap::parse(&format!(
            r#"{{"storageId":"s-1","districtDocumentId":"{id}","version":"0.1.0"}}"#
        ))
        .unwrap();
        assert_eq!(b.storage_id, "s-1");
        assert_eq!(b.district().unwrap(), Some(id));
        let none = Bootstrap::parse(r#"{"storageId":"s","districtDocumentId":null,"version":"1"}"#)
            .unwrap();
        assert_eq!(none.district().unwrap(), None);
        let bad = Bootstrap::parse(r#"{"storageId":"s","districtDocumentId":"nope"}"#).unwrap();
        assert!(bad.district().is_err());
        assert!(Bootstrap::parse("<html>").is_err());
    }

    #[test]
    fn rows_sort_district_first_then_by_name() {
        let row = |kind, name: &str, b| DocRow {
            id: DocumentId::from_bytes([b; 16]),
            kind,
            name: Some(name.into()),
            revision: 0,
            last_sync: None,
            ack: Ack::Unknown,
            unsaved: false,
            read_only: false,
            readonly_edits: false,
        };
        let mut rows = vec![
            row(DocKind::Unit, "b", 1),
            row(DocKind::Other, "a", 2),
            row(DocKind::District, "z", 3),
            row(DocKind::Unit, "a", 4),
        ];
        sort_rows(&mut rows);
        let names: Vec<_> = rows.iter().map(|r| r.name.clone().unwrap()).collect();
        assert_eq!(names, ["z", "a", "b", "a"]);
    }

    #[test]
    fn only_a_document_here_and_not_read_only_may_be_written() {
        let row = |b, ack, read_only| DocRow {
            id: DocumentId::from_bytes([b; 16]),
            kind: DocKind::Unit,
            name: None,
            revision: 0,
            last_sync: None,
            ack,
            unsaved: false,
            read_only,
            readonly_edits: false,
        };
        let rows = vec![
            row(1, Ack::Acked, false),
            row(2, Ack::Pending, true),
            row(3, Ack::Missing, false),
            row(4, Ack::Unavailable, false),
            row(5, Ack::Unknown, false),
        ];
        let may = |b| may_write(&rows, &DocumentId::from_bytes([b; 16]));
        assert_eq!(
            [may(1), may(2), may(3), may(4), may(5), may(6)],
            [true, false, false, false, true, false]
        );
        // Edits of a read-only document never reach the server anyway.
        assert!(!unsynced(&rows, false));
        assert!(unsynced(&rows, true), "a save being written");
        let pending = [row(1, Ack::Pending, false)];
        assert!(unsynced(&pending, false));
        let unsaved = [DocRow {
            unsaved: true,
            ..row(1, Ack::Acked, false)
        }];
        assert!(unsynced(&unsaved, false));
    }

    #[test]
    fn clock_formats_time_of_day() {
        assert_eq!(clock(0.0), "00:00:00");
        assert_eq!(
            clock(((13 * 3600 + 5 * 60 + 9) * 1000) as f64 + 999.0),
            "13:05:09"
        );
    }
}
