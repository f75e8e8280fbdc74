//! Storage planning, sans-IO, in automerge-repo's key layout (as its
//! `StorageSubsystem` writes it), so a store written by the JS repo can be
//! read here and the other way round:
//!
//! * `[docId, "snapshot", headsHash]`: a whole document (`save()`), where
//!   `headsHash` is the hex SHA-256 of the concatenated hex heads;
//! * `[docId, "incremental", sha256(bytes)]`: changes since the last save
//!   (`save_after(last saved heads)`);
//! * `[docId, "sync-state", storageId]`: an encoded `sync::State` for a peer
//!   with durable storage.
//!
//! [`DocStorage`] remembers what was saved for one document and plans the
//! next save as [`StorageOp`]s: an incremental chunk, or — when the
//! incrementals outgrow the snapshot (or the snapshot is under 1 KiB) — a
//! compaction into a new snapshot plus deletes of the chunks it replaces.
//! [`load_document`] rebuilds a document from the chunks a store returned for
//! the two prefixes. The browser's IndexedDB adapter and the server's SQLite
//! store carry the ops out.

use automerge::{Automerge, ChangeHash};
use sha2::{Digest, Sha256};

use crate::Error;
use crate::bounds;
use crate::ids::{DocumentId, StorageId, hex};

/// A storage key: a path of strings (automerge-repo's `StorageKey`).
pub type StorageKey = Vec<String>;

/// Below this snapshot size, every save compacts (as automerge-repo does).
pub const SMALL_SNAPSHOT_BYTES: usize = 1024;

/// What to do to the key/value store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageOp {
    /// Store `data` under `key` (overwrite if present).
    Put { key: StorageKey, data: Vec<u8> },
    /// Remove `key`.
    Delete { key: StorageKey },
}

/// The two kinds of document chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChunkKind {
    /// A whole saved document.
    Snapshot,
    /// Changes on top of earlier chunks.
    Incremental,
}

impl ChunkKind {
    /// The key segment: `"snapshot"` or `"incremental"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChunkKind::Snapshot => "snapshot",
            ChunkKind::Incremental => "incremental",
        }
    }
}

/// The chunk kind of a key `[…, "snapshot" | "incremental", hash]`
/// (automerge-repo's `chunkTypeFromKey`).
pub fn chunk_kind(key: &[String]) -> Option<ChunkKind> {
    if key.len() < 2 {
        return None;
    }
    match key[key.len() - 2].as_str() {
        "snapshot" => Some(ChunkKind::Snapshot),
        "incremental" => Some(ChunkKind::Incremental),
        _ => None,
    }
}

/// What is known about one stored chunk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChunkInfo {
    /// Its key.
    pub key: StorageKey,
    /// Snapshot or incremental.
    pub kind: ChunkKind,
    /// Its size in bytes.
    pub size: usize,
}

/// Hex SHA-256 of bytes (automerge-repo's `keyHash`).
pub fn key_hash(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// automerge-repo's `headsHash`: SHA-256 over the hex heads concatenated.
pub fn heads_hash(heads: &[ChangeHash]) -> String {
    let mut h = Sha256::new();
    for head in heads {
        h.update(head.to_string().as_bytes());
    }
    hex(&h.finalize())
}

/// The key prefix of a document's chunks of a kind: `[docId, kind]`.
pub fn chunk_prefix(doc: &DocumentId, kind: ChunkKind) -> StorageKey {
    vec![doc.to_string(), kind.as_str().to_owned()]
}

/// The key of a sync state: `[docId, "sync-state", storageId]`.
pub fn sync_state_key(doc: &DocumentId, storage: &StorageId) -> StorageKey {
    vec![
        doc.to_string(),
        "sync-state".to_owned(),
        storage.as_str().to_owned(),
    ]
}

/// The prefixes to delete to remove a document (automerge-repo's `removeDoc`).
pub fn document_prefixes(doc: &DocumentId) -> [StorageKey; 3] {
    [
        chunk_prefix(doc, ChunkKind::Snapshot),
        chunk_prefix(doc, ChunkKind::Incremental),
        vec![doc.to_string(), "sync-state".to_owned()],
    ]
}

/// What has been saved of one document: the heads at the last save and the
/// chunks in the store.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocStorage {
    saved_heads: Option<Vec<ChangeHash>>,
    chunks: Vec<ChunkInfo>,
}

impl DocStorage {
    /// Nothing saved yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The heads at the last save (or load), if any.
    pub fn saved_heads(&self) -> Option<&[ChangeHash]> {
        self.saved_heads.as_deref()
    }

    /// The chunks known to be in the store.
    pub fn chunks(&self) -> &[ChunkInfo] {
        &self.chunks
    }

    /// Whether `doc` has changes that are not saved.
    pub fn needs_save(&self, doc: &Automerge) -> bool {
        match &self.saved_heads {
            None => true,
            Some(h) => *h != doc.get_heads(),
        }
    }

    fn should_compact(&self) -> bool {
        let (mut snapshot, mut incremental) = (0, 0);
        for c in &self.chunks {
            match c.kind {
                ChunkKind::Snapshot => snapshot += c.size,
                ChunkKind::Incremental => incremental += c.size,
            }
        }
        snapshot < SMALL_SNAPSHOT_BYTES || incremental >= snapshot
    }

    /// Plans saving `doc` (document `id`): nothing if unchanged since the
    /// last save; otherwise one incremental `Put`, or a snapshot `Put` plus
    /// `Delete`s of the chunks it replaces. Updates `self` as if the ops had
    /// been carried out.
    pub fn plan_save(&mut self, id: &DocumentId, doc: &Automerge) -> Vec<StorageOp> {
        if !self.needs_save(doc) {
            return Vec::new();
        }
        let since = self.saved_heads.clone().unwrap_or_default();
        if self.should_compact() || since.is_empty() {
            return self.plan_compaction(id, doc);
        }
        let heads = doc.get_heads();
        let data = doc.save_after(&since);
        self.saved_heads = Some(heads);
        if data.is_empty() {
            return Vec::new();
        }
        let mut key = chunk_prefix(id, ChunkKind::Incremental);
        key.push(key_hash(&data));
        self.chunks.push(ChunkInfo {
            key: key.clone(),
            kind: ChunkKind::Incremental,
            size: data.len(),
        });
        vec![StorageOp::Put { key, data }]
    }

    /// Plans a compaction: the whole document as one snapshot, and deletes of
    /// every other known chunk.
    pub fn plan_compaction(&mut self, id: &DocumentId, doc: &Automerge) -> Vec<StorageOp> {
        let heads = doc.get_heads();
        let data = doc.save();
        let hash = heads_hash(&heads);
        let mut key = chunk_prefix(id, ChunkKind::Snapshot);
        key.push(hash);
        let size = data.len();
        let mut ops = vec![StorageOp::Put {
            key: key.clone(),
            data,
        }];
        for c in self.chunks.drain(..) {
            if c.key != key {
                ops.push(StorageOp::Delete { key: c.key });
            }
        }
        self.chunks.push(ChunkInfo {
            key,
            kind: ChunkKind::Snapshot,
            size,
        });
        self.saved_heads = Some(heads);
        ops
    }
}

impl DocStorage {
    /// Records chunks another writer of the same store saved, once their
    /// changes are in the document (see [`crate::SyncNode::merge_stored`]):
    /// a later compaction may then delete them, as it covers them. With
    /// `saved_heads`, the document has nothing unsaved of its own: its
    /// saved heads become those (nothing merged is saved again).
    pub fn note_merged(&mut self, chunks: Vec<ChunkInfo>, saved_heads: Option<Vec<ChangeHash>>) {
        for c in chunks {
            if !self.chunks.iter().any(|k| k.key == c.key) {
                self.chunks.push(c);
            }
        }
        if let Some(h) = saved_heads {
            self.saved_heads = Some(h);
        }
    }
}

/// Rebuilds a document from the chunks a store returned (for the
/// `[docId, "snapshot"]` and `[docId, "incremental"]` prefixes; other keys are
/// ignored). Snapshots load first, then incrementals, each in key order.
/// Returns `None` when there are no chunks.
pub fn load_document(
    chunks: impl IntoIterator<Item = (StorageKey, Vec<u8>)>,
) -> Result<Option<(Automerge, DocStorage)>, Error> {
    let mut found: Vec<(ChunkKind, StorageKey, Vec<u8>)> = chunks
        .into_iter()
        .filter_map(|(k, d)| chunk_kind(&k).map(|kind| (kind, k, d)))
        .collect();
    if found.is_empty() {
        return Ok(None);
    }
    yanzhen_model::sorting::sort_by(&mut found, |a, b| {
        let rank = |k: ChunkKind| (k == ChunkKind::Incremental) as u8;
        (rank(a.0), &a.1).cmp(&(rank(b.0), &b.1))
    });
    let mut doc = Automerge::new();
    let mut storage = DocStorage::new();
    // Stored chunks came from peers too: measured before Automerge sees them.
    let mut budget = bounds::Budget::default();
    for (kind, key, data) in found {
        bounds::check_chunks_with(&data, &bounds::Limits::WHOLE, &mut budget)
            .map_err(|e| Error::Storage(format!("chunk {key:?}: {e}")))?;
        doc.load_incremental(&data)
            .map_err(|e| Error::Storage(format!("chunk {key:?}: {e}")))?;
        storage.chunks.push(ChunkInfo {
            key,
            kind,
            size: data.len(),
        });
    }
    storage.saved_heads = Some(doc.get_heads());
    Ok(Some((doc, storage)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ROOT;
    use automerge::transaction::Transactable;

    fn id() -> DocumentId {
        DocumentId::from_bytes([7; 16])
    }

    fn apply(store: &mut std::collections::BTreeMap<StorageKey, Vec<u8>>, ops: Vec<StorageOp>) {
        for op in ops {
            match op {
                StorageOp::Put { key, data } => {
                    store.insert(key, data);
                }
                StorageOp::Delete { key } => {
                    store.remove(&key);
                }
            }
        }
    }

    fn edit(doc: &mut Automerge, i: usize) {
        let mut tx = doc.transaction();
        // Hex of hashes: hardly compressible, so sizes grow.
        let value: String = (0..8)
            .map(|j| key_hash(format!("{i}/{j}").as_bytes()))
            .collect();
        tx.put(ROOT, format!("k{i}"), value).unwrap();
        tx.commit();
    }

    #[test]
    fn heads_hash_matches_automerge_repo() {
        // No heads: sha256 of the empty string.
        assert_eq!(
            heads_hash(&[]),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let h: ChangeHash = "00".repeat(32).parse().unwrap();
        assert_eq!(heads_hash(&[h]), key_hash("00".repeat(32).as_bytes()));
    }

    #[test]
    fn first_save_is_a_snapshot_then_incrementals_then_compaction() {
        let mut store = std::collections::BTreeMap::new();
        let mut doc = Automerge::new();
        edit(&mut doc, 0);
        let mut st = DocStorage::new();
        let ops = st.plan_save(&id(), &doc);
        assert_eq!(ops.len(), 1);
        assert!(matches!(&ops[0], StorageOp::Put { key, .. } if key[1] == "snapshot"));
        apply(&mut store, ops);
        assert!(st.plan_save(&id(), &doc).is_empty(), "unchanged: no save");

        // Grow the document past 1 KiB so incrementals are used.
        for i in 1..8 {
            edit(&mut doc, i);
        }
        apply(&mut store, st.plan_compaction(&id(), &doc));
        let snapshot_size = st.chunks()[0].size;
        assert!(snapshot_size >= SMALL_SNAPSHOT_BYTES, "{snapshot_size}");

        let mut saw_incremental = false;
        let mut saw_compaction = false;
        for i in 8..40 {
            edit(&mut doc, i);
            let ops = st.plan_save(&id(), &doc);
            let snap = ops
                .iter()
                .any(|o| matches!(o, StorageOp::Put { key, .. } if key[1] == "snapshot"));
            if snap {
                saw_compaction = true;
                assert!(ops.iter().any(|o| matches!(o, StorageOp::Delete { .. })));
            } else {
                saw_incremental = true;
                assert_eq!(ops.len(), 1);
            }
            apply(&mut store, ops);
            // The store always loads back to the same document.
            let (loaded, loaded_st) = load_document(store.clone()).unwrap().unwrap();
            assert_eq!(loaded.get_heads(), doc.get_heads());
            assert_eq!(loaded_st.chunks().len(), store.len());
        }
        assert!(saw_incremental && saw_compaction);
    }

    #[test]
    fn loading_nothing_or_garbage() {
        assert!(load_document(Vec::new()).unwrap().is_none());
        let bad = vec![(
            vec![id().to_string(), "incremental".into(), "x".into()],
            vec![1, 2, 3],
        )];
        assert!(load_document(bad).is_err());
        let unrelated = vec![(vec!["storage-adapter-id".to_owned()], vec![1])];
        assert!(load_document(unrelated).unwrap().is_none());
    }
}
