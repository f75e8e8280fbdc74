//! Sync by file: for offices with no connectivity at all, the changes
//! another office lacks travel as a `.yanzhen` file (on a USB stick, by
//! messenger, by hand). Pure: bytes in, bytes out, no IO, no clock (the
//! export time is passed in), so it runs in the browser and in the server.
//!
//! # Format (version 1)
//!
//! All integers little-endian.
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic [`MAGIC`] = `89 'Y' 'Z' 'N' 0D 0A 1A 0A` (as PNG: a text-mode transfer that rewrites line ends or a 7-bit channel breaks it visibly) |
//! | 2 | format version, [`VERSION`] |
//! | 2 | flags, 0 in version 1 |
//! | 8 | export time, milliseconds since the Unix epoch (from the caller's clock) |
//! | 2 + n | origin: length, then UTF-8 (the exporting office, at most [`MAX_ORIGIN`] bytes) |
//! | 4 | number of entries |
//! | … | entries: document id (16 bytes), kind (1 = changes, 2 = saved document), number of items (4), then each item as length (4) + bytes: automerge change chunks (kind 1) or exactly one `Automerge::save` (kind 2) |
//! | 32 | SHA-256 of every byte before it |
//!
//! A document appears in at most one entry.
//!
//! # Reading is all or nothing
//!
//! [`read`] checks, in order: the magic, the version (before the checksum, so
//! that a newer format may change everything after it and still be reported
//! as [`FileError::TooNew`]), the checksum, the structure, and then decodes
//! every change and loads every saved document. Only a fully verified
//! [`SyncFile`] can be applied; a damaged file is refused with a
//! [`FileError`] whose [`FileError::message_key`] the UI translates, and
//! nothing is changed.
//!
//! [`SyncFile::apply`] applies to copies of the touched documents and
//! replaces the originals only when every document took its changes, so an
//! import that fails at apply time (an automerge-level conflict such as a
//! reused actor sequence number) changes nothing either.
//!
//! # Twice, and out of order
//!
//! Automerge changes are identified by their hash, so importing a file a
//! second time applies nothing and reports `changed: false`.
//!
//! A change whose dependencies are not in the document (a later file
//! imported before an earlier one) is not applied: automerge keeps it in
//! the document's in-memory queue and applies it as soon as the missing
//! changes arrive, e.g. when the earlier file is imported in the same
//! session. The report shows this as [`DocImport::waiting`] and
//! [`DocImport::missing_deps`], with the heads unchanged. The queue lives
//! in the document in memory: `Automerge::save` (default options) keeps it
//! in a snapshot, but incremental saves (`save_after`) do not, and
//! [`crate::storage::DocStorage`] saves nothing while the heads are
//! unchanged, so after a restart the waiting changes may be gone. The UI
//! should therefore tell the person to keep a file with waiting changes and
//! import it again after the earlier one; that is harmless, since imports
//! are idempotent. (`tests/file_roundtrip.rs` shows each case.)
//!
//! # Example
//!
//! ```
//! use std::collections::BTreeMap;
//! use automerge::{transaction::Transactable, Automerge, ROOT};
//! use yanzhen_sync::{file, DocumentId};
//!
//! let id = DocumentId::from_bytes([7; 16]);
//! let mut ours = Automerge::new();
//! let mut tx = ours.transaction();
//! tx.put(ROOT, "name", "东风村").unwrap();
//! tx.commit();
//!
//! // Export everything (the other office has never seen this document).
//! let mut w = file::FileWriter::new("东风村党总支", 1_700_000_000_000).unwrap();
//! w.add_changes_since(id, &ours, &[]);
//! let bytes = w.finish();
//!
//! // Import elsewhere.
//! let mut theirs = BTreeMap::new();
//! let report = file::import(&bytes, &mut theirs).unwrap();
//! assert_eq!(report[0].heads, ours.get_heads());
//! assert_eq!(theirs[&id].get_heads(), ours.get_heads());
//!
//! // A damaged file is refused and changes nothing.
//! let mut bad = bytes.clone();
//! bad[40] ^= 1;
//! let err = file::import(&bad, &mut theirs).unwrap_err();
//! assert_eq!(err.message_key(), "sync_file.damaged");
//! ```

use std::collections::BTreeMap;
use std::collections::BTreeSet;

use automerge::{Automerge, Change, ChangeHash, ReadDoc};
use sha2::{Digest, Sha256};

use crate::DocumentId;
use crate::bounds;

/// The first eight bytes of every `.yanzhen` file.
pub const MAGIC: [u8; 8] = [0x89, b'Y', b'Z', b'N', b'\r', b'\n', 0x1a, b'\n'];
/// The format version this code writes and the newest it reads.
pub const VERSION: u16 = 1;
/// The file name extension, without the dot.
pub const EXTENSION: &str = "yanzhen";
/// The MIME type offered for downloads.
pub const MIME_TYPE: &str = "application/vnd.yanzhen.sync";
/// The longest origin label, in bytes of UTF-8.
pub const MAX_ORIGIN: usize = 1024;

const KIND_CHANGES: u8 = 1;
const KIND_DOCUMENT: u8 = 2;
const CHECKSUM_LEN: usize = 32;
/// magic + version + flags + time + origin length.
const FIXED_HEADER: usize = 8 + 2 + 2 + 8 + 2;

/// Every [`FileError::message_key`], for the UI's completeness tests.
pub const ALL_MESSAGE_KEYS: &[&str] = &[
    "sync_file.not_a_sync_file",
    "sync_file.too_new",
    "sync_file.damaged",
    "sync_file.bad_content",
    "sync_file.rejected",
    "sync_file.origin_too_long",
];

/// Why a file was refused (or could not be written). Nothing was changed.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum FileError {
    /// Not a `.yanzhen` file at all (wrong magic, or shorter than it).
    #[error("not a Yanzhen sync file")]
    NotASyncFile,
    /// Written by a newer Yanzhen.
    #[error("sync file format version {found} is newer than {VERSION}")]
    TooNew {
        /// The version in the file.
        found: u16,
    },
    /// Cut short or altered in transit: the checksum does not match, or the
    /// file is too short to hold one.
    #[error("sync file damaged: {0}")]
    Damaged(String),
    /// The checksum matches but the content is not valid: a bad writer, a
    /// chunk automerge does not accept, or an unknown flag or entry kind.
    #[error("sync file content invalid: {0}")]
    BadContent(String),
    /// Automerge refused to apply the changes of a document (e.g. an actor
    /// sequence number reused with different content).
    #[error("changes for document {doc} rejected: {reason}")]
    Rejected {
        /// The document whose changes were refused.
        doc: DocumentId,
        /// Automerge's reason.
        reason: String,
    },
    /// Writing: the origin label is longer than [`MAX_ORIGIN`] bytes.
    #[error("origin label longer than {MAX_ORIGIN} bytes")]
    OriginTooLong,
}

impl FileError {
    /// The stable message key the UI translates (see [`ALL_MESSAGE_KEYS`]).
    pub fn message_key(&self) -> &'static str {
        match self {
            FileError::NotASyncFile => "sync_file.not_a_sync_file",
            FileError::TooNew { .. } => "sync_file.too_new",
            FileError::Damaged(_) => "sync_file.damaged",
            FileError::BadContent(_) => "sync_file.bad_content",
            FileError::Rejected { .. } => "sync_file.rejected",
            FileError::OriginTooLong => "sync_file.origin_too_long",
        }
    }
}

/// What a file carries for one document.
enum Payload {
    /// Encoded change chunks.
    Changes(Vec<Vec<u8>>),
    /// One saved document.
    Document(Vec<u8>),
}

/// Builds a `.yanzhen` file.
pub struct FileWriter {
    origin: String,
    created_ms: u64,
    entries: BTreeMap<DocumentId, Payload>,
}

impl FileWriter {
    /// A new file from office `origin` (shown to the importer), exported at
    /// `created_ms` (milliseconds since the Unix epoch, from the caller).
    pub fn new(origin: &str, created_ms: u64) -> Result<Self, FileError> {
        if origin.len() > MAX_ORIGIN {
            return Err(FileError::OriginTooLong);
        }
        Ok(Self {
            origin: origin.to_owned(),
            created_ms,
            entries: BTreeMap::new(),
        })
    }

    /// Adds the changes of `doc` that a peer whose heads are `their_heads`
    /// lacks (`&[]`: all of them). Heads we do not know are ignored (the
    /// peer has changes we lack; we then send a little more than needed,
    /// which is harmless). Returns how many changes were added; with 0 the
    /// document is left out of the file. Replaces an earlier entry for `id`.
    pub fn add_changes_since(
        &mut self,
        id: DocumentId,
        doc: &Automerge,
        their_heads: &[ChangeHash],
    ) -> usize {
        let known: Vec<ChangeHash> = their_heads
            .iter()
            .filter(|h| doc.get_change_meta_by_hash(h).is_some())
            .copied()
            .collect();
        let changes: Vec<Vec<u8>> = doc
            .get_changes(&known)
            .into_iter()
            .map(|mut c| c.bytes().into_owned())
            .collect();
        let n = changes.len();
        if n == 0 {
            self.entries.remove(&id);
        } else {
            self.entries.insert(id, Payload::Changes(changes));
        }
        n
    }

    /// Adds the whole document (compact `save` form). Replaces an earlier
    /// entry for `id`.
    pub fn add_document(&mut self, id: DocumentId, doc: &Automerge) {
        self.entries.insert(id, Payload::Document(doc.save()));
    }

    /// Whether no document has been added (or all had nothing to send).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The documents in the file so far.
    pub fn documents(&self) -> impl Iterator<Item = &DocumentId> {
        self.entries.keys()
    }

    /// The file's bytes.
    pub fn finish(self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&self.created_ms.to_le_bytes());
        // Checked in `new`: fits in u16.
        out.extend_from_slice(&(self.origin.len() as u16).to_le_bytes());
        out.extend_from_slice(self.origin.as_bytes());
        out.extend_from_slice(&len32(self.entries.len()).to_le_bytes());
        for (id, payload) in &self.entries {
            out.extend_from_slice(id.as_bytes());
            let items: Vec<&Vec<u8>> = match payload {
                Payload::Changes(c) => {
                    out.push(KIND_CHANGES);
                    c.iter().collect()
                }
                Payload::Document(d) => {
                    out.push(KIND_DOCUMENT);
                    vec![d]
                }
            };
            out.extend_from_slice(&len32(items.len()).to_le_bytes());
            for item in items {
                out.extend_from_slice(&len32(item.len()).to_le_bytes());
                out.extend_from_slice(item);
            }
        }
        let sum = Sha256::digest(&out);
        out.extend_from_slice(&sum);
        out
    }
}

fn len32(n: usize) -> u32 {
    u32::try_from(n).expect("a sync file part over 4 GiB")
}

/// Exports `docs` in one call: each with the heads the other office is
/// known to have (`Some(&[])` or `Some` of old heads: the changes since;
/// `None`: the whole document). Documents with nothing to send are left
/// out.
pub fn export<'a>(
    origin: &str,
    created_ms: u64,
    docs: impl IntoIterator<Item = (DocumentId, &'a Automerge, Option<&'a [ChangeHash]>)>,
) -> Result<Vec<u8>, FileError> {
    let mut w = FileWriter::new(origin, created_ms)?;
    for (id, doc, their_heads) in docs {
        match their_heads {
            Some(heads) => {
                w.add_changes_since(id, doc, heads);
            }
            None => w.add_document(id, doc),
        }
    }
    Ok(w.finish())
}

/// The verified content of one document's entry.
#[derive(Clone)]
enum Content {
    Changes(Vec<Change>),
    Document(Box<Automerge>),
}

/// A fully verified `.yanzhen` file, ready to apply.
#[derive(Clone)]
pub struct SyncFile {
    /// The exporting office's label.
    pub origin: String,
    /// The export time, milliseconds since the Unix epoch.
    pub created_ms: u64,
    entries: BTreeMap<DocumentId, Content>,
}

/// What an import did to one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocImport {
    /// The document.
    pub doc: DocumentId,
    /// The document was not there before and was created.
    pub created: bool,
    /// Heads before the import (empty when created).
    pub before: Vec<ChangeHash>,
    /// Heads after the import: persist and sync onward when they differ.
    pub heads: Vec<ChangeHash>,
    /// Whether the heads changed (`false` e.g. on a second import).
    pub changed: bool,
    /// Changes from the file that are not applied because their
    /// dependencies are missing (held in automerge's in-memory queue only).
    pub waiting: usize,
    /// The missing dependencies of queued changes (from an earlier file).
    pub missing_deps: Vec<ChangeHash>,
}

impl SyncFile {
    /// The documents in the file.
    pub fn documents(&self) -> impl Iterator<Item = &DocumentId> {
        self.entries.keys()
    }

    /// How many changes the file carries for `doc` (for a saved document:
    /// the changes in it), or `None` if it has nothing for `doc`.
    pub fn change_count(&self, doc: &DocumentId) -> Option<usize> {
        self.entries.get(doc).map(|c| match c {
            Content::Changes(c) => c.len(),
            Content::Document(d) => d.get_changes(&[]).len(),
        })
    }

    /// Applies the file's content for `id` to `doc`, all or nothing.
    /// `Ok(None)` when the file has nothing for `id`.
    pub fn apply_to(
        &self,
        id: DocumentId,
        doc: &mut Automerge,
    ) -> Result<Option<DocImport>, FileError> {
        let Some(content) = self.entries.get(&id) else {
            return Ok(None);
        };
        let created = doc.is_empty();
        let (work, report) = apply_one(id, doc, content, created)?;
        *doc = work;
        Ok(Some(report))
    }

    /// Applies the whole file to `docs`, creating documents that are not
    /// there; all or nothing. Returns one report per document in the file,
    /// in document-id order.
    pub fn apply(
        &self,
        docs: &mut BTreeMap<DocumentId, Automerge>,
    ) -> Result<Vec<DocImport>, FileError> {
        let empty = Automerge::new();
        let mut done = Vec::with_capacity(self.entries.len());
        for (id, content) in &self.entries {
            let (doc, created) = match docs.get(id) {
                Some(d) => (d, false),
                None => (&empty, true),
            };
            done.push(apply_one(*id, doc, content, created)?);
        }
        let mut reports = Vec::with_capacity(done.len());
        for (work, report) in done {
            docs.insert(report.doc, work);
            reports.push(report);
        }
        Ok(reports)
    }
}

/// Applies `content` to a copy of `doc`; returns the copy and the report.
fn apply_one(
    id: DocumentId,
    doc: &Automerge,
    content: &Content,
    created: bool,
) -> Result<(Automerge, DocImport), FileError> {
    let before = doc.get_heads();
    let mut work = doc.clone();
    let (result, hashes) = match content {
        Content::Changes(changes) => (
            work.apply_changes(changes.iter().cloned()),
            changes.iter().map(Change::hash).collect::<Vec<_>>(),
        ),
        Content::Document(saved) => {
            let added = work.get_changes_added(saved);
            let hashes = added.iter().map(Change::hash).collect();
            (work.apply_changes(added), hashes)
        }
    };
    result.map_err(|e| FileError::Rejected {
        doc: id,
        reason: e.to_string(),
    })?;
    let waiting = hashes
        .iter()
        .filter(|h| work.get_change_meta_by_hash(h).is_none())
        .count();
    let heads = work.get_heads();
    let report = DocImport {
        doc: id,
        created,
        changed: heads != before,
        before,
        heads,
        waiting,
        missing_deps: work.get_missing_deps(&[]),
    };
    Ok((work, report))
}

/// Reads and fully verifies a `.yanzhen` file (see the module docs for the
/// order of checks). Never panics on any input.
pub fn read(bytes: &[u8]) -> Result<SyncFile, FileError> {
    if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
        return Err(FileError::NotASyncFile);
    }
    let Some(v) = bytes.get(8..10) else {
        return Err(FileError::Damaged("no version".into()));
    };
    let version = u16::from_le_bytes([v[0], v[1]]);
    if version > VERSION {
        return Err(FileError::TooNew { found: version });
    }
    if version == 0 {
        return Err(FileError::BadContent("version 0".into()));
    }
    if bytes.len() < FIXED_HEADER + 4 + CHECKSUM_LEN {
        return Err(FileError::Damaged(format!("only {} bytes", bytes.len())));
    }
    let (body, sum) = bytes.split_at(bytes.len() - CHECKSUM_LEN);
    if Sha256::digest(body).as_slice() != sum {
        return Err(FileError::Damaged("checksum mismatch".into()));
    }

    let mut r = Reader { rest: &body[8..] };
    let _version = r.u16()?;
    let flags = r.u16()?;
    if flags != 0 {
        return Err(FileError::BadContent(format!("unknown flags {flags:#x}")));
    }
    let created_ms = r.u64()?;
    let origin_len = r.u16()? as usize;
    let origin = std::str::from_utf8(r.take(origin_len)?)
        .map_err(|_| FileError::BadContent("origin is not UTF-8".into()))?
        .to_owned();
    let count = r.u32()?;
    let mut entries = BTreeMap::new();
    // One budget for the whole file (crate::bounds): what its changes and
    // documents may inflate to and declare, before Automerge parses them.
    let mut budget = bounds::Budget::default();
    for _ in 0..count {
        let id = DocumentId::from_bytes(r.array()?);
        let kind = r.u8()?;
        let items = r.u32()?;
        let mut measure = |raw: &[u8]| {
            bounds::check_chunks_with(raw, &bounds::Limits::WHOLE, &mut budget)
                .map_err(|e| FileError::BadContent(format!("document {id}: {e}")))
        };
        let content = match kind {
            KIND_CHANGES => {
                let mut changes = Vec::new();
                let mut seen = BTreeSet::new();
                for _ in 0..items {
                    let raw = r.item()?;
                    measure(raw)?;
                    let change = parse_change(raw).map_err(|e| {
                        FileError::BadContent(format!("document {id}: bad change: {e}"))
                    })?;
                    if seen.insert(change.hash()) {
                        changes.push(change);
                    }
                }
                Content::Changes(changes)
            }
            KIND_DOCUMENT => {
                if items != 1 {
                    return Err(FileError::BadContent(format!(
                        "document {id}: {items} saved documents"
                    )));
                }
                let raw = r.item()?;
                measure(raw)?;
                let saved = load_strict(raw).map_err(|e| {
                    FileError::BadContent(format!("document {id}: bad saved document: {e}"))
                })?;
                Content::Document(Box::new(saved))
            }
            other => {
                return Err(FileError::BadContent(format!(
                    "document {id}: unknown entry kind {other}"
                )));
            }
        };
        if entries.insert(id, content).is_some() {
            return Err(FileError::BadContent(format!("document {id} twice")));
        }
    }
    if !r.rest.is_empty() {
        return Err(FileError::BadContent(format!(
            "{} bytes after the last entry",
            r.rest.len()
        )));
    }
    Ok(SyncFile {
        origin,
        created_ms,
        entries,
    })
}

/// Parses one change chunk and checks its checksum, which
/// `Change::from_bytes` does not: a chunk is `magic (4) | checksum (4) | …`
/// and the checksum is the first four bytes of the change's hash (for a
/// compressed chunk too: it carries the uncompressed change's checksum).
/// Automerge may panic applying an inconsistent change, so nothing that
/// fails this check may reach `apply_changes`.
fn parse_change(raw: &[u8]) -> Result<Change, String> {
    let change = Change::from_bytes(raw.to_vec()).map_err(|e| e.to_string())?;
    if raw.get(4..8) != Some(&change.hash().0[..4]) {
        return Err("checksum mismatch".into());
    }
    Ok(change)
}

/// Loads a saved document, refusing partial loads and missing dependencies.
fn load_strict(raw: &[u8]) -> Result<Automerge, automerge::AutomergeError> {
    Automerge::load_with_options(
        raw,
        automerge::LoadOptions::new()
            .on_partial_load(automerge::OnPartialLoad::Error)
            .verification_mode(automerge::VerificationMode::Check),
    )
}

/// Reads and verifies `bytes`, then applies them to `docs` (see
/// [`read`] and [`SyncFile::apply`]). On error nothing has changed.
pub fn import(
    bytes: &[u8],
    docs: &mut BTreeMap<DocumentId, Automerge>,
) -> Result<Vec<DocImport>, FileError> {
    read(bytes)?.apply(docs)
}

/// A bounds-checked cursor; every shortfall is a [`FileError::BadContent`]
/// (the checksum matched, so the writer was wrong, not the transport).
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], FileError> {
        if n > self.rest.len() {
            return Err(FileError::BadContent(format!(
                "needs {n} bytes, {} left",
                self.rest.len()
            )));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], FileError> {
        let mut a = [0; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn u8(&mut self) -> Result<u8, FileError> {
        Ok(self.array::<1>()?[0])
    }

    fn u16(&mut self) -> Result<u16, FileError> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    fn u32(&mut self) -> Result<u32, FileError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn u64(&mut self) -> Result<u64, FileError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    fn item(&mut self) -> Result<&'a [u8], FileError> {
        let n = self.u32()? as usize;
        self.take(n)
    }
}
