//! Sync by file, the app's side: what an export holds, and what an import
//! would change before it is applied. Pure (documents in, bytes or a
//! preview out) and tested natively; the repo applies the result through
//! its `SyncNode` so the changes are saved to IndexedDB and synced onward.
//!
//! * **Export** writes every document of the tablet as a whole (compact
//!   `save` form): the receiving tablet may have none of it, and a whole
//!   document is always enough.
//! * **Import** reads and verifies the file first ([`yanzhen_sync::file::read`]:
//!   all or nothing), then applies it to *copies* of the tablet's documents
//!   to show what it will change ([`preview`]); documents this tablet does
//!   not sync are listed and skipped. Importing the same file twice finds
//!   nothing new.

use std::collections::BTreeMap;

use automerge::Automerge;
use yanzhen_sync::DocumentId;
use yanzhen_sync::file::{self, FileError, SyncFile};

/// One document of a file, as an import would change it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreviewDoc {
    pub id: DocumentId,
    /// Changes the file carries for it.
    pub in_file: usize,
    /// Of those, changes this tablet does not have yet.
    pub new: usize,
    /// Changes waiting for an earlier file (dependencies missing).
    pub waiting: usize,
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
}

/// The whole tablet as a `.yanzhen` file (empty documents left out);
/// `None` when there is no document to export.
pub fn export<'a>(
    origin: &str,
    created_ms: u64,
    docs: impl IntoIterator<Item = (DocumentId, &'a Automerge)>,
) -> Result<Option<Vec<u8>>, FileError> {
    let mut w = file::FileWriter::new(origin, created_ms)?;
    for (id, doc) in docs {
        if !doc.get_heads().is_empty() {
            w.add_document(id, doc);
        }
    }
    Ok((!w.is_empty()).then(|| w.finish()))
}

/// Reads and verifies a file, and works out what it would change:
/// `current(id)` is the tablet's copy of a document (if it has one),
/// `syncs(id)` whether the tablet syncs it at all.
pub fn preview(
    bytes: &[u8],
    current: impl Fn(&DocumentId) -> Option<Automerge>,
    syncs: impl Fn(&DocumentId) -> bool,
) -> Result<(SyncFile, ImportPreview), FileError> {
    let f = file::read(bytes)?;
    let mut copies: BTreeMap<DocumentId, Automerge> = BTreeMap::new();
    let ids: Vec<DocumentId> = f.documents().copied().collect();
    for id in &ids {
        if let Some(doc) = current(id) {
            copies.insert(*id, doc);
        }
    }
    let before: BTreeMap<DocumentId, Vec<automerge::ChangeHash>> =
        copies.iter().map(|(id, d)| (*id, d.get_heads())).collect();
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
                skipped: !syncs(&r.doc),
            }
        })
        .collect();
    let preview = ImportPreview {
        origin: f.origin.clone(),
        created_ms: f.created_ms,
        docs,
    };
    Ok((f, preview))
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

    fn doc(value: &str) -> Automerge {
        let mut d = Automerge::new();
        let mut tx = d.transaction();
        tx.put(ROOT, "name", value).unwrap();
        tx.commit();
        d
    }

    #[test]
    fn an_export_previews_imports_and_imports_twice_harmlessly() {
        let a = DocumentId::from_bytes([1; 16]);
        let other = DocumentId::from_bytes([2; 16]);
        let mut ours = doc("东风村");
        let bytes = export("东风村", 7, [(a, &ours), (other, &doc("x"))])
            .unwrap()
            .unwrap();

        // A tablet without the document: one new change, `other` skipped.
        let (_, p) = preview(&bytes, |_| None, |id| *id == a).unwrap();
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
                    skipped: false
                },
                PreviewDoc {
                    id: other,
                    in_file: 1,
                    new: 1,
                    waiting: 0,
                    skipped: true
                },
            ]
        );
        assert!(!p.nothing_new());

        // A tablet that has it all: nothing new.
        let same = ours.clone();
        let (_, p) = preview(&bytes, |id| (*id == a).then(|| same.clone()), |id| *id == a).unwrap();
        assert!(p.nothing_new());

        // A later edit: one new change for a tablet with the old state.
        let old = ours.clone();
        let mut tx = ours.transaction();
        tx.put(ROOT, "name", "东风村党总支").unwrap();
        tx.commit();
        let bytes = export("东风村", 8, [(a, &ours)]).unwrap().unwrap();
        let (f, p) = preview(&bytes, |_| Some(old.clone()), |_| true).unwrap();
        assert_eq!(p.docs[0].in_file, 2);
        assert_eq!(p.docs[0].new, 1);
        let mut theirs = old.clone();
        f.apply_to(a, &mut theirs).unwrap();
        assert_eq!(theirs.get_heads(), ours.get_heads());
    }

    #[test]
    fn a_damaged_file_is_refused_with_its_key() {
        let a = DocumentId::from_bytes([1; 16]);
        let mut bytes = export("x", 1, [(a, &doc("v"))]).unwrap().unwrap();
        let n = bytes.len();
        bytes[n / 2] ^= 0x40;
        let Err(err) = preview(&bytes, |_| None, |_| true) else {
            panic!("a damaged file was accepted")
        };
        assert_eq!(err.message_key(), "sync_file.damaged");
        let Err(err) = preview(b"hello", |_| None, |_| true) else {
            panic!("not a sync file, yet accepted")
        };
        assert_eq!(err.message_key(), "sync_file.not_a_sync_file");
    }

    #[test]
    fn empty_documents_are_left_out() {
        let a = DocumentId::from_bytes([1; 16]);
        assert_eq!(export("x", 1, [(a, &Automerge::new())]).unwrap(), None);
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
