//! Sync by file, the app's side: what an export holds, and what an import
//! would change before it is applied. Pure (documents in, bytes or a
//! preview out) and tested natively; the repo applies the result through
//! its `SyncNode` so the changes are saved to IndexedDB and synced onward.
//!
//! Files are **sealed** (format v2, [`yanzhen_sync::file`]): encrypted and
//! authenticated under the district's transfer key, and an import applies
//! only the changes the server has attested. Both keys come with the
//! enrolment ([`DistrictKeys`], kept sealed under the data key): a tablet
//! without them (locked, or enrolled before this version and not online
//! since) can neither export nor import.
//!
//! * **Export** writes every document of the tablet as a whole (compact
//!   `save` form) with the newest attestation kept for it
//!   ([`newest_attestations`]: asked from `POST /api/attest` when online,
//!   kept in IndexedDB for offline exports). Changes no attestation covers
//!   ([`unconfirmed_changes`]) travel but are not imported elsewhere: the
//!   person is told how many documents carry such edits (sync first).
//! * **Import** reads and verifies the file first (all or nothing), then
//!   imports it into *copies* of the tablet's documents to show what it
//!   will change ([`preview`]), including the changes left out because the
//!   server has not confirmed them; documents this tablet does not sync are
//!   listed and skipped. Importing the same file twice finds nothing new.
//!
//! Long file: sync by file on the tablet: export, import plan and the sealed-
//! file checks, with their tests beside them.

use std::collections::BTreeMap;

use automerge::{Automerge, ChangeHash, ReadDoc};
use yanzhen_model::store::ChangeMessage;
use yanzhen_sync::DocumentId;
use yanzhen_sync::attest::{Attestation, DistrictKeys, ServerKey};
use yanzhen_sync::file::{self, FileError};
use yanzhen_sync::relay::{self, DeviceKey, Vouch};

/// The most documents one `POST /api/attest` may name.
pub const ATTEST_BATCH: usize = 1024;

/// Why the tablet cannot export or import a file now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransferError {
    /// Locked: no data key, so no keys, in memory.
    Locked,
    /// No district keys yet (enrolled before sealed files, not online
    /// since, or not enrolled): connect to the server once first.
    NoKeys,
    /// The browser gave no random bytes for the file's nonce.
    NoRandom,
    /// The file was refused (or could not be written).
    File(FileError),
}

impl TransferError {
    /// The message key the UI translates (see [`APP_MESSAGE_KEYS`] and
    /// [`yanzhen_sync::file::ALL_MESSAGE_KEYS`]).
    pub fn message_key(&self) -> &'static str {
        match self {
            TransferError::Locked => "sync_file.locked",
            TransferError::NoKeys => "sync_file.no_keys",
            TransferError::NoRandom => "sync_file.no_random",
            TransferError::File(e) => e.message_key(),
        }
    }
}

impl From<FileError> for TransferError {
    fn from(e: FileError) -> Self {
        TransferError::File(e)
    }
}

/// The app's own message keys of [`TransferError`].
pub const APP_MESSAGE_KEYS: &[&str] = &[
    "sync_file.locked",
    "sync_file.no_keys",
    "sync_file.no_random",
];

/// The keys to seal and open files with: the enrolment's, and only while
/// unlocked (`unlocked`: the data key is in memory).
pub fn usable_keys(
    unlocked: bool,
    enrolment: Option<&crate::access::device::Enrolment>,
) -> Result<DistrictKeys, TransferError> {
    if !unlocked {
        return Err(TransferError::Locked);
    }
    enrolment
        .and_then(|e| e.keys.clone())
        .ok_or(TransferError::NoKeys)
}

/// One document of a file, as an import would change it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreviewDoc {
    pub id: DocumentId,
    /// Changes the file carries for it.
    pub in_file: usize,
    /// Of those, changes this tablet does not have yet and will get.
    pub new: usize,
    /// Changes waiting for an earlier file (dependencies missing).
    pub waiting: usize,
    /// Changes the server has not attested: not imported.
    pub unconfirmed: usize,
    /// Not a document this tablet syncs: not imported.
    pub skipped: bool,
}

/// What importing a file would do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportPreview {
    /// The exporting office, as written in the file.
    pub origin: String,
    /// When it was exported (ms since the epoch).
    pub created_ms: u64,
    pub docs: Vec<PreviewDoc>,
    /// Edits the file's maker vouched for (its own, not yet on the
    /// server): never imported here, but a tablet that imports the file
    /// keeps it and passes it on to the server when online, which takes
    /// them as the maker's ([`yanzhen_sync::relay`]).
    pub vouched: usize,
}

impl ImportPreview {
    /// Whether importing would change nothing on this tablet.
    pub fn nothing_new(&self) -> bool {
        self.docs.iter().all(|d| d.skipped || d.new == 0)
    }

    /// Whether some changes wait for an earlier file.
    pub fn waiting(&self) -> bool {
        self.docs.iter().any(|d| !d.skipped && d.waiting > 0)
    }

    /// How many changes of the documents this tablet syncs are left out
    /// because the server has not confirmed them.
    pub fn unconfirmed(&self) -> usize {
        self.docs
            .iter()
            .filter(|d| !d.skipped)
            .map(|d| d.unconfirmed)
            .sum()
    }
}

/// A sealed file, made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    pub bytes: Vec<u8>,
    /// Documents in the file.
    pub docs: usize,
    /// Of those, documents with edits no attestation covers (not on the
    /// server yet, so not imported elsewhere).
    pub unconfirmed_docs: usize,
    /// This tablet's own unconfirmed changes the file vouches for: a tablet
    /// with a network that imports the file can pass them on to the
    /// server, which takes them as this tablet's ([`yanzhen_sync::relay`]).
    pub vouched: usize,
}

/// Changes of `doc` that `attestation` (of the same document) does not
/// cover: all of them without one. Attested heads this tablet does not
/// have (the server is ahead) cover nothing here.
pub fn unconfirmed_changes(doc: &Automerge, attestation: Option<&Attestation>) -> usize {
    let known: Vec<ChangeHash> = attestation
        .map(|a| {
            a.heads
                .iter()
                .filter(|h| doc.get_change_by_hash(h).is_some())
                .copied()
                .collect()
        })
        .unwrap_or_default();
    doc.get_changes(&known).len()
}

/// The attestations to keep: for each document the newest (by the
/// server's time) of `kept` and `fresh` that verifies under `server_key`
/// (so a key change or a damaged record drops the old ones), in document
/// order.
pub fn newest_attestations(
    kept: Vec<Attestation>,
    fresh: Vec<Attestation>,
    server_key: &ServerKey,
) -> Vec<Attestation> {
    let mut newest: BTreeMap<DocumentId, Attestation> = BTreeMap::new();
    for a in kept.into_iter().chain(fresh) {
        if a.verify(server_key).is_err() {
            continue;
        }
        match newest.get(&a.document_id) {
            Some(old) if old.issued_at_ms > a.issued_at_ms => {}
            _ => {
                newest.insert(a.document_id, a);
            }
        }
    }
    newest.into_values().collect()
}

/// The bodies of `POST /api/attest` for `docs`: `{"documents": [ids…]}`,
/// at most [`ATTEST_BATCH`] ids each (none for no documents).
pub fn attest_bodies(docs: &[DocumentId]) -> Vec<String> {
    docs.chunks(ATTEST_BATCH)
        .map(|ids| {
            let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
            serde_json::json!({ "documents": ids }).to_string()
        })
        .collect()
}

/// Parses `POST /api/attest`'s answer.
pub fn parse_attestations(json: &str) -> Result<Vec<Attestation>, String> {
    #[derive(serde::Deserialize)]
    struct A {
        attestations: Vec<Attestation>,
    }
    serde_json::from_str::<A>(json)
        .map(|a| a.attestations)
        .map_err(|e| format!("attest: {e}"))
}

/// The whole tablet as a sealed `.yanzhen` file (empty documents left
/// out) with each document's attestation from `attestations`, sealed
/// under `keys`' transfer key with `nonce` (12 random bytes, never
/// reused); `None` when there is no document to export.
pub fn export<'a>(
    origin: &str,
    created_ms: u64,
    docs: impl IntoIterator<Item = (DocumentId, &'a Automerge)>,
    attestations: &[Attestation],
    keys: &DistrictKeys,
    voucher: Option<(&DeviceKey, &str)>,
    nonce: [u8; 12],
) -> Result<Option<Export>, FileError> {
    let by_doc: BTreeMap<DocumentId, &Attestation> = yanzhen_model::sorting::btree_map(
        attestations
            .iter()
            .filter(|a| a.verify(&keys.server_key).is_ok())
            .map(|a| (a.document_id, a)),
    );
    let mut w = file::FileWriter::new(origin, created_ms)?;
    let (mut count, mut unconfirmed_docs, mut vouched) = (0, 0, 0);
    for (id, doc) in docs {
        if doc.get_heads().is_empty() {
            continue;
        }
        w.add_document(id, doc);
        count += 1;
        let attestation = by_doc.get(&id).copied();
        if unconfirmed_changes(doc, attestation) > 0 {
            unconfirmed_docs += 1;
        }
        if let Some(a) = attestation {
            w.add_attestation(a.clone());
        }
        if let Some((key, device_id)) = voucher {
            let confirmed = attestation.map(|a| a.heads.clone()).unwrap_or_default();
            let mine = relay::own_unconfirmed(doc, &confirmed, |m| {
                m.message
                    .as_deref()
                    .and_then(ChangeMessage::decode)
                    .is_some_and(|c| c.d == device_id)
            });
            if !mine.is_empty()
                && let Ok(v) = Vouch::make(key, device_id, id, mine)
            {
                vouched += v.hashes.len();
                w.add_vouch(v);
            }
        }
    }
    if w.is_empty() {
        return Ok(None);
    }
    Ok(Some(Export {
        bytes: w.finish_sealed(&keys.transfer_key, nonce),
        docs: count,
        unconfirmed_docs,
        vouched,
    }))
}

/// Reads and verifies a sealed file with the tablet's `keys`, and works
/// out what importing it would change: `current(id)` is the tablet's copy
/// of a document (if it has one), `syncs(id)` whether the tablet syncs it
/// at all. Returns the documents as the import leaves them (every document
/// of the file; apply only those not skipped) and the preview.
pub fn preview(
    bytes: &[u8],
    keys: &DistrictKeys,
    current: impl Fn(&DocumentId) -> Option<Automerge>,
    syncs: impl Fn(&DocumentId) -> bool,
) -> Result<(BTreeMap<DocumentId, Automerge>, ImportPreview), FileError> {
    let f = file::read_sealed(bytes, &keys.transfer_key, &keys.server_key)?;
    let mut copies: BTreeMap<DocumentId, Automerge> = BTreeMap::new();
    for id in f.documents() {
        copies.insert(*id, current(id).unwrap_or_default());
    }
    let before: BTreeMap<DocumentId, Vec<ChangeHash>> =
        yanzhen_model::sorting::btree_map(copies.iter().map(|(id, d)| (*id, d.get_heads())));
    // `import_sealed` without decrypting twice: only attested changes.
    let reports = f.apply(&mut copies)?;
    let docs = reports
        .into_iter()
        .map(|r| {
            let old = before.get(&r.doc).cloned().unwrap_or_default();
            let new = copies.get(&r.doc).map_or(0, |d| d.get_changes(&old).len());
            PreviewDoc {
                id: r.doc,
                in_file: f.change_count(&r.doc).unwrap_or(0),
                new,
                waiting: r.waiting,
                unconfirmed: r.unconfirmed,
                skipped: !syncs(&r.doc),
            }
        })
        .collect();
    let preview = ImportPreview {
        origin: f.origin.clone(),
        created_ms: f.created_ms,
        docs,
        vouched: f.vouches.iter().map(|v| v.hashes.len()).sum(),
    };
    Ok((copies, preview))
}

/// The name a carried file is kept under until the server has taken it:
/// its key id and random nonce in hex (unique per export), or a digest of
/// the bytes for anything shorter.
pub fn relay_name(bytes: &[u8]) -> String {
    match bytes.get(12..32) {
        Some(id) => id.iter().map(|b| format!("{b:02x}")).collect(),
        None => format!("short-{}", bytes.len()),
    }
}

/// The download's file name: `yanzhen-<label>-<YYYYMMDD-HHMM>.yanzhen`
/// (characters a file system may refuse become `_`).
pub fn file_name(label: &str, local_datetime: &str) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    let stamp: String = local_datetime
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == ' ')
        .collect::<String>()
        .replace(' ', "-");
    let label = clean(label.trim());
    let label = if label.is_empty() {
        "tablet".to_owned()
    } else {
        label
    };
    format!("yanzhen-{label}-{stamp}.{}", file::EXTENSION)
}

/// A `blob:` URL for `bytes` (a download link the person taps), if the
/// browser makes one.
pub fn object_url(bytes: &[u8]) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        let array = js_sys::Uint8Array::from(bytes);
        let parts = js_sys::Array::of1(&array);
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type(file::MIME_TYPE);
        let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).ok()?;
        web_sys::Url::create_object_url_with_blob(&blob).ok()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = bytes;
        None
    }
}

/// Frees a URL made by [`object_url`].
pub fn revoke_object_url(url: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        let _ = web_sys::Url::revoke_object_url(url);
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = url;
    }
}

/// The bytes of the file chosen in the `<input type=file>` with id
/// `input_id`, if one is chosen and readable.
pub async fn chosen_file(input_id: &str) -> Option<Vec<u8>> {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let input: web_sys::HtmlInputElement = web_sys::window()?
            .document()?
            .get_element_by_id(input_id)?
            .dyn_into()
            .ok()?;
        let f = input.files()?.get(0)?;
        let buf = wasm_bindgen_futures::JsFuture::from(f.array_buffer())
            .await
            .ok()?;
        Some(js_sys::Uint8Array::new(&buf).to_vec())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = input_id;
        None
    }
}

/// Clears the `<input type=file>` with id `input_id` (so choosing the same
/// file again is noticed).
pub fn clear_chosen(input_id: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        if let Some(input) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(input_id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            input.set_value("");
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = input_id;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::{ROOT, transaction::Transactable};
    use yanzhen_sync::attest::{self, TransferKey};

    const SEED: [u8; 32] = [9; 32];

    fn keys() -> DistrictKeys {
        DistrictKeys {
            server_key: ServerKey::from_seed(&SEED),
            transfer_key: TransferKey {
                id: [1; 8],
                key: [2; 32],
            },
        }
    }

    fn doc(value: &str) -> Automerge {
        let mut d = Automerge::new();
        edit(&mut d, value);
        d
    }

    fn edit(d: &mut Automerge, value: &str) {
        let mut tx = d.transaction();
        tx.put(ROOT, "name", value).unwrap();
        tx.commit();
    }

    /// The server's attestation of `doc` as it is now.
    fn attested(id: DocumentId, doc: &Automerge, at: u64) -> Attestation {
        attest::sign(id, doc.get_heads(), at, &SEED)
    }

    fn sealed(docs: &[(DocumentId, &Automerge)], attestations: &[Attestation]) -> Export {
        export(
            "东风村",
            7,
            docs.iter().map(|(i, d)| (*i, *d)),
            attestations,
            &keys(),
            None,
            [3; 12],
        )
        .unwrap()
        .unwrap()
    }

    /// A tablet's own edits the server has not attested are vouched for
    /// under its relay key (and only its own: another device's unconfirmed
    /// change in its copy is not); the importer still applies none of them.
    #[test]
    fn an_export_vouches_for_the_tablets_own_unconfirmed_edits_only() {
        use yanzhen_model::store::{ChangeMessage, ChangeOp};
        let a = DocumentId::from_bytes([1; 16]);
        let mut ours = doc("东风村");
        let at = attested(a, &ours, 1);
        let signed = |d: &mut Automerge, device: &str, v: &str| {
            let meta = yanzhen_model::ChangeMeta::new(device, "测试员", "village", 5);
            let msg = ChangeMessage::new(&meta, ChangeOp::Update, "", "", Vec::new());
            d.transact_with(|_| msg.commit_options(5), |tx| tx.put(ROOT, "name", v))
                .unwrap()
                .hash
                .unwrap()
        };
        let mine = signed(&mut ours, "dev-a", "东风村委");
        signed(&mut ours, "dev-other", "别的");
        let key = DeviceKey::derive(&[4; 32], "dev-a");
        let e = export(
            "东风村",
            7,
            [(a, &ours)],
            std::slice::from_ref(&at),
            &keys(),
            Some((&key, "dev-a")),
            [3; 12],
        )
        .unwrap()
        .unwrap();
        assert_eq!((e.unconfirmed_docs, e.vouched), (1, 1));
        let f = file::read_sealed(&e.bytes, &keys().transfer_key, &keys().server_key).unwrap();
        assert_eq!(f.vouches.len(), 1);
        assert_eq!(f.vouches[0].hashes, vec![mine]);
        f.vouches[0].verify(&key).unwrap();
        // Not the importer's to apply, but to pass on.
        let (_, p) = preview(&e.bytes, &keys(), |_| None, |id| *id == a).unwrap();
        assert_eq!((p.unconfirmed(), p.vouched), (2, 1));
        // Without a relay key, no vouch.
        let e = export("东风村", 7, [(a, &ours)], &[at], &keys(), None, [3; 12])
            .unwrap()
            .unwrap();
        assert_eq!(e.vouched, 0);
    }

    #[test]
    fn an_export_previews_imports_and_imports_twice_harmlessly() {
        let a = DocumentId::from_bytes([1; 16]);
        let other = DocumentId::from_bytes([2; 16]);
        let mut ours = doc("东风村");
        let x = doc("x");
        let e = sealed(
            &[(a, &ours), (other, &x)],
            &[attested(a, &ours, 1), attested(other, &x, 1)],
        );
        assert_eq!((e.docs, e.unconfirmed_docs), (2, 0));
        assert!(
            !e.bytes
                .windows("东风村".len())
                .any(|w| w == "东风村".as_bytes()),
            "sealed: the content is not readable"
        );

        // A tablet without the document: one new change, `other` skipped.
        let (_, p) = preview(&e.bytes, &keys(), |_| None, |id| *id == a).unwrap();
        assert_eq!(p.origin, "东风村");
        assert_eq!(p.created_ms, 7);
        assert_eq!(
            p.docs,
            vec![
                PreviewDoc {
                    id: a,
                    in_file: 1,
                    new: 1,
                    waiting: 0,
                    unconfirmed: 0,
                    skipped: false
                },
                PreviewDoc {
                    id: other,
                    in_file: 1,
                    new: 1,
                    waiting: 0,
                    unconfirmed: 0,
                    skipped: true
                },
            ]
        );
        assert!(!p.nothing_new());
        assert_eq!(p.unconfirmed(), 0);

        // A tablet that has it all: nothing new.
        let same = ours.clone();
        let (_, p) = preview(
            &e.bytes,
            &keys(),
            |id| (*id == a).then(|| same.clone()),
            |id| *id == a,
        )
        .unwrap();
        assert!(p.nothing_new());

        // A later edit, attested: one new change for a tablet with the old
        // state, and the import leaves it where the exporter is.
        let old = ours.clone();
        edit(&mut ours, "东风村党总支");
        let e = sealed(&[(a, &ours)], &[attested(a, &ours, 2)]);
        let (copies, p) = preview(&e.bytes, &keys(), |_| Some(old.clone()), |_| true).unwrap();
        assert_eq!(p.docs[0].in_file, 2);
        assert_eq!(p.docs[0].new, 1);
        assert_eq!(copies[&a].get_heads(), ours.get_heads());
        let mut theirs = old.clone();
        theirs
            .apply_changes(theirs.get_changes_added(&copies[&a]))
            .unwrap();
        assert_eq!(theirs.get_heads(), ours.get_heads());
    }

    #[test]
    fn edits_the_server_has_not_attested_are_counted_and_not_imported() {
        let a = DocumentId::from_bytes([1; 16]);
        let mut ours = doc("东风村");
        let on_server = attested(a, &ours, 1);
        let synced = ours.clone();
        // Two edits made offline, after the attestation.
        edit(&mut ours, "离线一");
        edit(&mut ours, "离线二");
        assert_eq!(unconfirmed_changes(&ours, Some(&on_server)), 2);
        assert_eq!(
            unconfirmed_changes(&ours, None),
            3,
            "no attestation: none confirmed"
        );
        let e = sealed(&[(a, &ours)], std::slice::from_ref(&on_server));
        assert_eq!(e.unconfirmed_docs, 1, "told at export");

        // Elsewhere: the attested change is new, the two others are left out.
        let (copies, p) = preview(&e.bytes, &keys(), |_| None, |_| true).unwrap();
        assert_eq!(p.docs[0].new, 1);
        assert_eq!(p.docs[0].unconfirmed, 2);
        assert_eq!(p.unconfirmed(), 2);
        assert_eq!(copies[&a].get_heads(), synced.get_heads());

        // A tablet that already has the attested state: nothing new, still
        // two unconfirmed.
        let (_, p) = preview(&e.bytes, &keys(), |_| Some(synced.clone()), |_| true).unwrap();
        assert!(p.nothing_new());
        assert_eq!(p.unconfirmed(), 2);
    }

    #[test]
    fn files_of_another_district_and_altered_files_are_refused_with_their_keys() {
        let a = DocumentId::from_bytes([1; 16]);
        let d = doc("v");
        let e = sealed(&[(a, &d)], &[attested(a, &d, 1)]);
        let mut other = keys();
        other.transfer_key.id = [7; 8];
        let Err(err) = preview(&e.bytes, &other, |_| None, |_| true) else {
            panic!("another district's file was accepted")
        };
        assert_eq!(err.message_key(), "sync_file.other_district");
        let mut bytes = e.bytes.clone();
        let n = bytes.len();
        bytes[n / 2] ^= 0x40;
        let Err(err) = preview(&bytes, &keys(), |_| None, |_| true) else {
            panic!("an altered file was accepted")
        };
        assert_eq!(err.message_key(), "sync_file.tampered");
        let Err(err) = preview(b"hello", &keys(), |_| None, |_| true) else {
            panic!("not a sync file, yet accepted")
        };
        assert_eq!(err.message_key(), "sync_file.not_a_sync_file");
        // A plaintext file of an earlier version: refused.
        let mut w = file::FileWriter::new("旧版", 1).unwrap();
        w.add_document(a, &d);
        let Err(err) = preview(&w.finish(), &keys(), |_| None, |_| true) else {
            panic!("an unprotected file was accepted")
        };
        assert_eq!(err.message_key(), "sync_file.unprotected");
    }

    #[test]
    fn empty_documents_are_left_out() {
        let a = DocumentId::from_bytes([1; 16]);
        assert_eq!(
            export(
                "x",
                1,
                [(a, &Automerge::new())],
                &[],
                &keys(),
                None,
                [0; 12]
            )
            .unwrap(),
            None
        );
    }

    #[test]
    fn only_an_unlocked_tablet_with_keys_may_use_files() {
        use crate::access::device::{DeviceInfo, Enrolment};
        let mut e = Enrolment {
            token: "t".into(),
            device: DeviceInfo {
                device_id: "d".into(),
                name: String::new(),
                role: "village".into(),
                unit_id: None,
                district_document_id: None,
                district_id: None,
                districts: Vec::new(),
                documents: Vec::new(),
            },
            keys: None,
            device_key: None,
        };
        assert_eq!(usable_keys(false, Some(&e)), Err(TransferError::Locked));
        assert_eq!(usable_keys(true, Some(&e)), Err(TransferError::NoKeys));
        assert_eq!(usable_keys(true, None), Err(TransferError::NoKeys));
        e.keys = Some(keys());
        assert_eq!(usable_keys(false, Some(&e)), Err(TransferError::Locked));
        assert_eq!(usable_keys(true, Some(&e)), Ok(keys()));
        assert_eq!(TransferError::NoKeys.message_key(), "sync_file.no_keys");
    }

    #[test]
    fn the_newest_valid_attestation_of_each_document_is_kept() {
        let a = DocumentId::from_bytes([1; 16]);
        let b = DocumentId::from_bytes([2; 16]);
        let d = doc("v");
        let old = attested(a, &d, 1);
        let new = attested(a, &d, 5);
        let forged = attest::sign(b, d.get_heads(), 9, &[4; 32]);
        let kept = newest_attestations(
            vec![new.clone(), attested(b, &d, 3)],
            vec![old, forged],
            &keys().server_key,
        );
        assert_eq!(kept, vec![new, attested(b, &d, 3)]);
        // Another server key: nothing kept verifies.
        let other = ServerKey::from_seed(&[8; 32]);
        assert!(newest_attestations(kept, Vec::new(), &other).is_empty());
    }

    #[test]
    fn attestations_are_asked_in_batches_and_parsed() {
        let ids: Vec<DocumentId> = (0..=ATTEST_BATCH as u32)
            .map(|i| {
                let mut b = [0u8; 16];
                b[..4].copy_from_slice(&i.to_le_bytes());
                DocumentId::from_bytes(b)
            })
            .collect();
        let bodies = attest_bodies(&ids);
        assert_eq!(bodies.len(), 2);
        let first: serde_json::Value = serde_json::from_str(&bodies[0]).unwrap();
        assert_eq!(first["documents"].as_array().unwrap().len(), ATTEST_BATCH);
        assert_eq!(first["documents"][0], ids[0].to_string());
        assert!(attest_bodies(&[]).is_empty());
        let a = attested(ids[0], &doc("v"), 4);
        let json = serde_json::json!({ "attestations": [a] }).to_string();
        assert_eq!(parse_attestations(&json).unwrap(), vec![a]);
        assert!(parse_attestations("{}").is_err());
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(
            file_name("东风村 党总支/1", "2024-05-01 09:30"),
            "yanzhen-东风村_党总支_1-20240501-0930.yanzhen"
        );
        assert_eq!(file_name(" ", "x"), "yanzhen-tablet-.yanzhen");
    }
}
