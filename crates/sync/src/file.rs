//! Sync by file: for offices with no connectivity at all, the changes
//! another office lacks travel as a `.yanzhen` file (on a USB stick, by
//! messenger, by hand). Pure: bytes in, bytes out, no IO, no clock (the
//! export time is passed in), so it runs in the browser and in the server.
//!
//! # Format, version 2 (sealed)
//!
//! What [`FileWriter::finish_sealed`] writes and [`read_sealed`] /
//! [`import_sealed`] read. All integers little-endian.
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic [`MAGIC`] (as version 1) |
//! | 2 | format version, [`VERSION`] = 2 |
//! | 2 | flags, 0 |
//! | 8 | the district transfer key's id ([`TransferKey::id`]) |
//! | 12 | AES-GCM nonce (random, from the caller; never reused with one key) |
//! | … | AES-256-GCM under [`TransferKey::key`] of the body below, with the 32 clear bytes above as associated data; 16-byte tag at the end |
//!
//! The body (after decryption): export time (8), origin (2 + n), number of
//! entries (4) and the entries exactly as in version 1, then the number of
//! attestations (4, at most [`MAX_ATTESTATIONS`]) and each attestation:
//! document id (16), issued at (8), number of heads (4, at most
//! [`attest::MAX_HEADS`]), heads (32 each), Ed25519 signature (64) (see
//! [`crate::attest`]), then the number of vouches (4, at most
//! [`MAX_VOUCHES`]) and each vouch ([`crate::relay::Vouch`]): device id
//! (2 + n, at most [`relay::MAX_DEVICE_ID`]), document id (16), number of
//! change hashes (4, at most [`relay::MAX_VOUCHED`]), the hashes (32
//! each), HMAC-SHA256 (32). The origin and the export time are inside the
//! ciphertext: without the key a file shows only that it is a `.yanzhen`
//! file of some district.
//!
//! # Import applies only what the server has
//!
//! [`read_sealed`] verifies every attestation with the server's key; one
//! that fails is ignored and counted ([`SyncFile::invalid_attestations`]).
//! Applying ([`SyncFile::apply`]) then keeps, for each document, only the
//! file's changes that are the attested heads or their ancestors (walked
//! by hash over the file's changes and the importing tablet's document: a
//! change's hash covers its dependencies, so nothing can be slipped in
//! below signed heads). Every other change is not applied and is counted
//! in [`DocImport::unconfirmed`]; a document without a valid attestation
//! gets nothing. So a crafted file can carry only changes the server has
//! already accepted from someone allowed to write them, and a tablet that
//! imports and then syncs never pushes anything the server would refuse.
//!
//! # Format (version 1, unprotected)
//!
//! Still written by [`FileWriter::finish`] and read by [`read`] / [`import`]
//! (which apply everything, unchecked); [`read_sealed`] refuses it as
//! [`FileError::Unprotected`].
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic [`MAGIC`] = `89 'Y' 'Z' 'N' 0D 0A 1A 0A` (as PNG: a text-mode transfer that rewrites line ends or a 7-bit channel breaks it visibly) |
//! | 2 | format version, [`VERSION_1`] |
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
//! [`read_sealed`] checks, in order: the magic, the version (before
//! anything else, so that a newer format may change everything after it and
//! still be reported as [`FileError::TooNew`]; version 1 is
//! [`FileError::Unprotected`]), the flags, the key id
//! ([`FileError::OtherDistrict`]), the AES-GCM tag ([`FileError::Tampered`]),
//! the structure, and then decodes every change, loads every saved document
//! and verifies every attestation. ([`read`], version 1: the magic, the
//! version, the checksum, the structure, the changes and documents.) Only a fully verified
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
//!
//! Long file: the `.yanzhen` container (format 1 and the sealed format 2:
//! header, entries, signatures, the import plan) is one format whose reader
//! and writer must change together.

use std::collections::BTreeMap;
use std::collections::BTreeSet;

use aes_gcm::aead::{Aead, KeyInit, Payload as AeadPayload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use automerge::{Automerge, Change, ChangeHash, ReadDoc};
use sha2::{Digest, Sha256};

use crate::DocumentId;
use crate::attest::{self, Attestation, ServerKey, TransferKey};
use crate::bounds;
use crate::relay::{self, Vouch};

/// The first eight bytes of every `.yanzhen` file.
pub const MAGIC: [u8; 8] = [0x89, b'Y', b'Z', b'N', b'\r', b'\n', 0x1a, b'\n'];
/// The format version this code writes (sealed, [`FileWriter::finish_sealed`])
/// and the newest it reads.
pub const VERSION: u16 = 2;
/// The unprotected format ([`FileWriter::finish`], [`read`]).
pub const VERSION_1: u16 = 1;
/// The most attestations one file may carry.
pub const MAX_ATTESTATIONS: usize = 4096;
/// The most vouches ([`crate::relay::Vouch`]) one file carries.
pub const MAX_VOUCHES: usize = 4096;
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
/// Version 2's clear header: magic + version + flags + key id + nonce.
const SEALED_HEADER: usize = 8 + 2 + 2 + 8 + 12;
/// The AES-GCM tag.
const TAG_LEN: usize = 16;

/// Every [`FileError::message_key`], for the UI's completeness tests.
pub const ALL_MESSAGE_KEYS: &[&str] = &[
    "sync_file.not_a_sync_file",
    "sync_file.too_new",
    "sync_file.damaged",
    "sync_file.bad_content",
    "sync_file.rejected",
    "sync_file.origin_too_long",
    "sync_file.unprotected",
    "sync_file.other_district",
    "sync_file.tampered",
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
    /// An older unprotected file (version 1): export it again with this
    /// version.
    #[error("an older unprotected file: export it again with this version")]
    Unprotected,
    /// Sealed under another district's transfer key (the key id differs).
    #[error("a file of another district")]
    OtherDistrict,
    /// The AES-GCM tag does not match: altered, cut short, or a wrong key
    /// with our key id.
    #[error("the file was altered or damaged")]
    Tampered,
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
            FileError::Unprotected => "sync_file.unprotected",
            FileError::OtherDistrict => "sync_file.other_district",
            FileError::Tampered => "sync_file.tampered",
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
    attestations: Vec<Attestation>,
    vouches: Vec<Vouch>,
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
            attestations: Vec::new(),
            vouches: Vec::new(),
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

    /// Adds the server's attestation of a document's heads (from
    /// `POST /api/attest`): an importer applies the file's changes of that
    /// document up to those heads. Only written by
    /// [`FileWriter::finish_sealed`]; at most [`MAX_ATTESTATIONS`] are kept
    /// (later ones are dropped).
    pub fn add_attestation(&mut self, a: Attestation) {
        if self.attestations.len() < MAX_ATTESTATIONS {
            self.attestations.push(a);
        }
    }

    /// Adds the exporting device's vouch for its own changes the server has
    /// not confirmed yet ([`crate::relay`]): an importer does not apply
    /// them, but can hand the file to the server, which replays them as
    /// this device's. Only written by [`FileWriter::finish_sealed`]; at most
    /// [`MAX_VOUCHES`] are kept.
    pub fn add_vouch(&mut self, v: Vouch) {
        if self.vouches.len() < MAX_VOUCHES {
            self.vouches.push(v);
        }
    }

    /// The version-1 file's bytes: unprotected, no attestations (see the
    /// module docs; [`FileWriter::finish_sealed`] is the current format).
    pub fn finish(self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&VERSION_1.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        self.write_body(&mut out);
        let sum = Sha256::digest(&out);
        out.extend_from_slice(&sum);
        out
    }

    /// The version-2 file's bytes: the content and the attestations sealed
    /// under the district's transfer key. `nonce` must be random (12 bytes
    /// from the platform's RNG) and never reused with the same key.
    pub fn finish_sealed(self, key: &TransferKey, nonce: [u8; 12]) -> Vec<u8> {
        let mut header = Vec::with_capacity(SEALED_HEADER);
        header.extend_from_slice(&MAGIC);
        header.extend_from_slice(&VERSION.to_le_bytes());
        header.extend_from_slice(&0u16.to_le_bytes());
        header.extend_from_slice(&key.id);
        header.extend_from_slice(&nonce);
        let mut body = Vec::new();
        self.write_body(&mut body);
        body.extend_from_slice(&len32(self.attestations.len()).to_le_bytes());
        for a in &self.attestations {
            body.extend_from_slice(a.document_id.as_bytes());
            body.extend_from_slice(&a.issued_at_ms.to_le_bytes());
            body.extend_from_slice(&len32(a.heads.len()).to_le_bytes());
            for h in &a.heads {
                body.extend_from_slice(&h.0);
            }
            body.extend_from_slice(&a.signature);
        }
        body.extend_from_slice(&len32(self.vouches.len()).to_le_bytes());
        for v in &self.vouches {
            // Bounded by `Vouch::make` (relay::MAX_DEVICE_ID).
            body.extend_from_slice(&(v.device_id.len() as u16).to_le_bytes());
            body.extend_from_slice(v.device_id.as_bytes());
            body.extend_from_slice(v.document_id.as_bytes());
            body.extend_from_slice(&len32(v.hashes.len()).to_le_bytes());
            for h in &v.hashes {
                body.extend_from_slice(&h.0);
            }
            body.extend_from_slice(&v.mac);
        }
        let sealed = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key.key))
            .encrypt(
                Nonce::from_slice(&nonce),
                AeadPayload {
                    msg: &body,
                    aad: &header,
                },
            )
            .expect("AES-GCM encrypts any length below 64 GiB");
        header.extend_from_slice(&sealed);
        header
    }

    /// Time, origin and entries (the part versions 1 and 2 share).
    fn write_body(&self, out: &mut Vec<u8>) {
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
    /// Attestations in the file that did not verify under the server's key
    /// (ignored; always 0 for a version-1 file).
    pub invalid_attestations: usize,
    entries: BTreeMap<DocumentId, Content>,
    /// Version 2: per document, the union of the heads of its valid
    /// attestations; only their ancestors are applied. `None`: a version-1
    /// file, applied unchecked.
    attested: Option<BTreeMap<DocumentId, BTreeSet<ChangeHash>>>,
    /// Version 2: the exporting device's vouches for its own unconfirmed
    /// changes ([`crate::relay`]), unverified (only the server has the
    /// device keys). Never applied by an import.
    pub vouches: Vec<Vouch>,
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
    /// Changes of the file (not already in the document) that no valid
    /// attestation covers: not applied (version 2 only; 0 for version 1).
    pub unconfirmed: usize,
}

impl std::fmt::Debug for SyncFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncFile")
            .field("origin", &self.origin)
            .field("created_ms", &self.created_ms)
            .field("documents", &self.entries.keys().collect::<Vec<_>>())
            .field("sealed", &self.is_sealed())
            .field("invalid_attestations", &self.invalid_attestations)
            .finish_non_exhaustive()
    }
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

    /// The file's content for `doc` as a document of its own (every change
    /// it carries, unfiltered; `None` if it has nothing for `doc`). For the
    /// server's relay, which checks each change itself.
    pub fn document(&self, doc: &DocumentId) -> Option<Automerge> {
        let content = self.entries.get(doc)?;
        let mut am = Automerge::new();
        // Changes were parsed and checksummed on reading; a change whose
        // dependencies are missing stays queued (not in the heads).
        am.apply_changes(content_changes(content)).ok()?;
        Some(am)
    }

    /// Whether the file is sealed (version 2), i.e. applies only attested
    /// changes.
    pub fn is_sealed(&self) -> bool {
        self.attested.is_some()
    }

    /// The attested heads of `doc` (the union of its valid attestations),
    /// empty when none is valid; `None` for a version-1 file.
    pub fn attested_heads(&self, doc: &DocumentId) -> Option<Vec<ChangeHash>> {
        self.attested.as_ref().map(|a| {
            a.get(doc)
                .map(|h| h.iter().copied().collect())
                .unwrap_or_default()
        })
    }

    /// How many of the file's changes for `doc` an import onto `current`
    /// (the tablet's copy, `None` if it has none) would leave out as
    /// unconfirmed ([`DocImport::unconfirmed`]), for previews.
    pub fn unconfirmed_count(&self, doc: &DocumentId, current: Option<&Automerge>) -> usize {
        let (Some(content), Some(attested)) = (self.entries.get(doc), &self.attested) else {
            return 0;
        };
        let empty = Automerge::new();
        let heads = attested.get(doc).cloned().unwrap_or_default();
        confirmed(content_changes(content), &heads, current.unwrap_or(&empty)).1
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
        let (work, report) = self.apply_one(id, doc, content, created)?;
        *doc = work;
        Ok(Some(report))
    }

    /// Applies the whole file to `docs`, creating documents that are not
    /// there (a sealed file: only when something attested is applied); all
    /// or nothing. Returns one report per document in the file, in
    /// document-id order.
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
            done.push(self.apply_one(*id, doc, content, created)?);
        }
        let mut reports = Vec::with_capacity(done.len());
        for (work, report) in done {
            // A sealed file creates a document only when it brings something.
            let absent_and_untouched =
                self.is_sealed() && !report.created && !docs.contains_key(&report.doc);
            if !absent_and_untouched {
                docs.insert(report.doc, work);
            }
            reports.push(report);
        }
        Ok(reports)
    }

    /// Applies `content` to a copy of `doc` (a sealed file: only its
    /// attested part); returns the copy and the report.
    fn apply_one(
        &self,
        id: DocumentId,
        doc: &Automerge,
        content: &Content,
        created: bool,
    ) -> Result<(Automerge, DocImport), FileError> {
        let before = doc.get_heads();
        let mut work = doc.clone();
        let mut unconfirmed = 0;
        let (result, hashes) = match (&self.attested, content) {
            (Some(attested), content) => {
                let heads = attested.get(&id).cloned().unwrap_or_default();
                let (keep, left_out) = confirmed(content_changes(content), &heads, doc);
                unconfirmed = left_out;
                let hashes = keep.iter().map(Change::hash).collect::<Vec<_>>();
                (work.apply_changes(keep), hashes)
            }
            (None, Content::Changes(changes)) => (
                work.apply_changes(changes.iter().cloned()),
                changes.iter().map(Change::hash).collect::<Vec<_>>(),
            ),
            (None, Content::Document(saved)) => {
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
        // A sealed file that brings nothing (all unconfirmed) creates nothing.
        let brings = !heads.is_empty() || waiting > 0;
        let report = DocImport {
            doc: id,
            created: created && (self.attested.is_none() || brings),
            changed: heads != before,
            before,
            heads,
            waiting,
            missing_deps: work.get_missing_deps(&[]),
            unconfirmed,
        };
        Ok((work, report))
    }
}

/// Every change of an entry (a saved document's too).
fn content_changes(content: &Content) -> Vec<Change> {
    match content {
        Content::Changes(c) => c.clone(),
        Content::Document(d) => d.get_changes(&[]),
    }
}

/// Splits the file's `changes` of a document into the ones to apply to
/// `doc` — the `attested` heads and their ancestors, walked by hash through
/// the file's changes, stopping at changes `doc` already has — and the
/// number of the others that `doc` does not have (unconfirmed).
fn confirmed(
    changes: Vec<Change>,
    attested: &BTreeSet<ChangeHash>,
    doc: &Automerge,
) -> (Vec<Change>, usize) {
    let by_hash: BTreeMap<ChangeHash, &Change> =
        yanzhen_model::sorting::btree_map(changes.iter().map(|c| (c.hash(), c)));
    let mut keep: BTreeSet<ChangeHash> = BTreeSet::new();
    let mut stack: Vec<ChangeHash> = attested.iter().copied().collect();
    while let Some(h) = stack.pop() {
        if keep.contains(&h) || doc.get_change_meta_by_hash(&h).is_some() {
            continue;
        }
        if let Some(c) = by_hash.get(&h) {
            keep.insert(h);
            stack.extend_from_slice(c.deps());
        }
    }
    let mut out = Vec::with_capacity(keep.len());
    let mut unconfirmed = 0;
    for c in changes {
        let h = c.hash();
        if keep.contains(&h) {
            out.push(c);
        } else if doc.get_change_meta_by_hash(&h).is_none() {
            unconfirmed += 1;
        }
    }
    (out, unconfirmed)
}

/// The version field after the magic, checked the same way for both
/// versions: not ours, too short, newer, or 0.
fn version_of(bytes: &[u8]) -> Result<u16, FileError> {
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
    Ok(version)
}

/// Reads and fully verifies a version-1 (unprotected) `.yanzhen` file (see
/// the module docs for the order of checks); its changes are applied
/// unchecked. A version-2 file needs the district's keys: [`read_sealed`].
/// Never panics on any input.
pub fn read(bytes: &[u8]) -> Result<SyncFile, FileError> {
    if version_of(bytes)? != VERSION_1 {
        return Err(FileError::BadContent(
            "a sealed file: read it with the district's keys".into(),
        ));
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
    let (origin, created_ms, entries) = read_body(&mut r)?;
    r.end()?;
    Ok(SyncFile {
        origin,
        created_ms,
        invalid_attestations: 0,
        entries,
        attested: None,
        vouches: Vec::new(),
    })
}

/// Reads, decrypts and fully verifies a version-2 (sealed) `.yanzhen` file
/// with the district's transfer key and the server's key (see the module
/// docs for the order of checks). Never panics on any input.
pub fn read_sealed(
    bytes: &[u8],
    key: &TransferKey,
    server: &ServerKey,
) -> Result<SyncFile, FileError> {
    if version_of(bytes)? == VERSION_1 {
        return Err(FileError::Unprotected);
    }
    if bytes.len() < SEALED_HEADER + TAG_LEN {
        return Err(FileError::Damaged(format!("only {} bytes", bytes.len())));
    }
    let (header, sealed) = bytes.split_at(SEALED_HEADER);
    let flags = u16::from_le_bytes([header[10], header[11]]);
    if flags != 0 {
        return Err(FileError::BadContent(format!("unknown flags {flags:#x}")));
    }
    if header[12..20] != key.id {
        return Err(FileError::OtherDistrict);
    }
    let body = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key.key))
        .decrypt(
            Nonce::from_slice(&header[20..32]),
            AeadPayload {
                msg: sealed,
                aad: header,
            },
        )
        .map_err(|_| FileError::Tampered)?;

    let mut r = Reader { rest: &body };
    let (origin, created_ms, entries) = read_body(&mut r)?;
    let count = r.u32()? as usize;
    if count > MAX_ATTESTATIONS {
        return Err(FileError::BadContent(format!("{count} attestations")));
    }
    let mut attested: BTreeMap<DocumentId, BTreeSet<ChangeHash>> = BTreeMap::new();
    let mut invalid_attestations = 0;
    for _ in 0..count {
        let document_id = DocumentId::from_bytes(r.array()?);
        let issued_at_ms = r.u64()?;
        let n = r.u32()? as usize;
        if n > attest::MAX_HEADS {
            return Err(FileError::BadContent(format!(
                "an attestation of {n} heads"
            )));
        }
        let mut heads = Vec::with_capacity(n);
        for _ in 0..n {
            heads.push(ChangeHash(r.array()?));
        }
        let a = Attestation {
            document_id,
            heads,
            issued_at_ms,
            signature: r.array()?,
        };
        if a.verify(server).is_ok() {
            attested.entry(document_id).or_default().extend(a.heads);
        } else {
            invalid_attestations += 1;
        }
    }
    let count = r.u32()? as usize;
    if count > MAX_VOUCHES {
        return Err(FileError::BadContent(format!("{count} vouches")));
    }
    let mut vouches = Vec::with_capacity(count.min(64));
    for _ in 0..count {
        let len = r.u16()? as usize;
        if len > relay::MAX_DEVICE_ID {
            return Err(FileError::BadContent(format!("a device id of {len} bytes")));
        }
        let device_id = std::str::from_utf8(r.take(len)?)
            .map_err(|_| FileError::BadContent("a device id is not UTF-8".into()))?
            .to_owned();
        let document_id = DocumentId::from_bytes(r.array()?);
        let n = r.u32()? as usize;
        if n > relay::MAX_VOUCHED {
            return Err(FileError::BadContent(format!("a vouch of {n} changes")));
        }
        let mut hashes = Vec::with_capacity(n.min(1024));
        for _ in 0..n {
            hashes.push(ChangeHash(r.array()?));
        }
        vouches.push(Vouch {
            device_id,
            document_id,
            hashes,
            mac: r.array()?,
        });
    }
    r.end()?;
    Ok(SyncFile {
        origin,
        created_ms,
        invalid_attestations,
        entries,
        attested: Some(attested),
        vouches,
    })
}

/// Time, origin and entries (both versions), each change and document
/// bounded ([`crate::bounds`]) and decoded.
#[allow(clippy::type_complexity)]
fn read_body(
    r: &mut Reader<'_>,
) -> Result<(String, u64, BTreeMap<DocumentId, Content>), FileError> {
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
    Ok((origin, created_ms, entries))
}

/// Parses one change chunk and checks its checksum, which
/// `Change::from_bytes` does not: a chunk is `magic (4) | checksum (4) | …`
/// and the checksum is the first four bytes of the change's hash (for a
/// compressed chunk too: it carries the uncompressed change's checksum).
/// Automerge may panic applying an inconsistent change, so nothing that
/// fails this check may reach `apply_changes`.
fn parse_change(raw: &[u8]) -> Result<Change, ChangeError> {
    let change = Change::from_bytes(raw.to_vec())?;
    if raw.get(4..8) != Some(&change.hash().0[..4]) {
        return Err(ChangeError::ChecksumMismatch);
    }
    Ok(change)
}

/// Why a file's change chunk was refused ([`parse_change`]); reported as
/// [`FileError::BadContent`].
#[derive(Debug, thiserror::Error)]
enum ChangeError {
    /// Not a change chunk Automerge can parse.
    #[error("{0}")]
    Parse(#[from] automerge::LoadChangeError),
    /// The chunk's checksum is not its change's.
    #[error("checksum mismatch")]
    ChecksumMismatch,
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

/// Reads, decrypts and verifies a sealed file, then applies its attested
/// changes to `docs` (see [`read_sealed`] and [`SyncFile::apply`]). On
/// error nothing has changed.
pub fn import_sealed(
    bytes: &[u8],
    key: &TransferKey,
    server: &ServerKey,
    docs: &mut BTreeMap<DocumentId, Automerge>,
) -> Result<Vec<DocImport>, FileError> {
    read_sealed(bytes, key, server)?.apply(docs)
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

    /// Nothing may follow the last field.
    fn end(&self) -> Result<(), FileError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(FileError::BadContent(format!(
                "{} bytes after the last field",
                self.rest.len()
            )))
        }
    }
}
