//! The demo district (`--demo`): on first start, store
//! [`yanzhen_model::demo::generate`] as automerge-repo documents (the
//! district document and one document per village/community), each as one
//! snapshot chunk in automerge-repo's key layout, and remember the district
//! document's id in the `meta` table ([`META_DISTRICT_DOCUMENT`]), where
//! `GET /api/bootstrap` finds it.
//!
//! Unit documents keep the model's [`yanzhen_model::ids::DocId`] bytes as
//! their [`DocumentId`]; the district document's id is derived from the seed
//! ([`district_document_id`]), so the same seed gives the same ids on every
//! server. Seeding is idempotent: all chunks are written in one transaction,
//! then the meta key; a start that finds the meta key adds nothing, and a
//! start after a crash between the two finds the district's chunks and only
//! sets the key.

use sha2::{Digest as _, Sha256};
use yanzhen_sync::{DocumentId, StorageOp, storage::DocStorage};

use crate::{
    Error, Result, city,
    storage::{Db, Entries, META_DISTRICT_DOCUMENT, Storage, join_key, prefix_key},
};

/// The seed `--demo` uses unless `--demo-seed` says otherwise (the model's
/// tests and benchmarks use it too).
pub const DEFAULT_SEED: u64 = 42;

/// What [`ensure_demo`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoOutcome {
    /// The demo was stored now: the district document and `documents` in all.
    Created {
        district: DocumentId,
        documents: usize,
    },
    /// A district document is already recorded; nothing was written.
    AlreadyThere { district: DocumentId },
    /// The storage holds other documents and no district: nothing was
    /// written (we never mix the demo into real data).
    NotEmpty,
}

/// The district document's id for a demo seed: the first 16 bytes of
/// SHA-256 over `"yanzhen demo district document"` and the seed.
pub fn district_document_id(seed: u64) -> DocumentId {
    let mut h = Sha256::new();
    h.update(b"yanzhen demo district document");
    h.update(seed.to_le_bytes());
    let digest = h.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    DocumentId::from_bytes(bytes)
}

/// The demo district for `seed` as storage entries (`/`-joined keys, one
/// snapshot per document, the district document first). CPU-bound: run it
/// off the async threads.
pub fn demo_entries(seed: u64) -> Result<(DocumentId, Entries)> {
    district_entries(&yanzhen_model::demo::generate(seed), seed)
}

/// The storage entries of one demo district's documents (see
/// [`demo_entries`]); its district document's id comes from `seed`.
fn district_entries(demo: &yanzhen_model::demo::Demo, seed: u64) -> Result<(DocumentId, Entries)> {
    let (district, units) =
        yanzhen_model::demo::build_documents(demo).map_err(|e| Error::Demo(e.to_string()))?;
    let district_id = district_document_id(seed);
    let docs = std::iter::once((district_id, district.automerge().clone())).chain(
        units
            .into_iter()
            .map(|(id, doc)| (DocumentId::from_bytes(id.0), doc.into_automerge())),
    );
    let mut entries = Vec::new();
    for (id, am) in docs {
        for op in DocStorage::new().plan_save(&id, &am) {
            if let StorageOp::Put { key, data } = op {
                entries.push((join_key(&key)?, data));
            }
        }
    }
    Ok((district_id, entries))
}

/// Stores the demo district for `seed` unless the storage already has a
/// district or other documents (see the module docs).
pub async fn ensure_demo(storage: &dyn Storage, seed: u64) -> Result<DemoOutcome> {
    if let Some(id) = storage.meta_get(META_DISTRICT_DOCUMENT).await? {
        let district = id
            .parse()
            .map_err(|e| Error::Demo(format!("meta {META_DISTRICT_DOCUMENT}: {e}")))?;
        return Ok(DemoOutcome::AlreadyThere { district });
    }
    let district = district_document_id(seed);
    if !storage.is_empty().await? {
        let prefix = prefix_key(&[district.to_string()])?;
        if storage.list_prefix(&prefix).await?.is_empty() {
            return Ok(DemoOutcome::NotEmpty);
        }
        // Chunks written, key not: a crash between the two writes.
        storage
            .meta_put(META_DISTRICT_DOCUMENT, &district.to_string())
            .await?;
        return Ok(DemoOutcome::AlreadyThere { district });
    }
    let (district, entries) = tokio::task::spawn_blocking(move || demo_entries(seed))
        .await
        .map_err(|e| Error::Demo(format!("generating the demo: {e}")))??;
    storage.put_all(&entries).await?;
    storage
        .meta_put(META_DISTRICT_DOCUMENT, &district.to_string())
        .await?;
    Ok(DemoOutcome::Created {
        district,
        documents: entries.len(),
    })
}

/// The id `--demo` registers its district under.
pub const DEMO_DISTRICT_ID: &str = "yancheng";

/// Registers the demo district (stored by [`ensure_demo`]) as district
/// [`DEMO_DISTRICT_ID`] of the city, unless its document is a district's
/// already.
pub async fn register_demo_district(db: &Db, district: DocumentId) -> Result<()> {
    if city::list(db).await?.iter().any(|d| d.document == district) {
        return Ok(());
    }
    let (_, name, _, _) = yanzhen_model::demo::city::CITY[0];
    city::register(
        db,
        &city::District {
            id: DEMO_DISTRICT_ID.to_owned(),
            name: name.to_owned(),
            document: district,
            created_at: crate::auth::now_ms(),
        },
    )
    .await?;
    Ok(())
}

/// `--demo-city`: stores each district of
/// [`yanzhen_model::demo::city::generate_city`] that is not registered yet
/// (its documents, then its row; the first one's document is also the
/// `meta` table's district document, as `--demo` leaves it). Refuses a
/// storage with documents but no districts (never mixed into real data).
/// Returns how many districts it stored now.
pub async fn ensure_demo_city(storage: &dyn Storage, db: &Db) -> Result<usize> {
    let registered = city::list(db).await?;
    if registered.is_empty() && !storage.is_empty().await? {
        return Err(Error::Demo(
            "the storage holds documents of no district; the demo city is not stored".into(),
        ));
    }
    let districts = tokio::task::spawn_blocking(yanzhen_model::demo::city::generate_city)
        .await
        .map_err(|e| Error::Demo(format!("generating the demo city: {e}")))?;
    let mut stored = 0;
    for (i, d) in districts.into_iter().enumerate() {
        if registered.iter().any(|r| r.id == d.id) {
            continue;
        }
        let seed = d.seed;
        let (document, entries) =
            tokio::task::spawn_blocking(move || district_entries(&d.demo, seed))
                .await
                .map_err(|e| Error::Demo(format!("generating the demo city: {e}")))??;
        storage.put_all(&entries).await?;
        if i == 0 {
            storage
                .meta_put(META_DISTRICT_DOCUMENT, &document.to_string())
                .await?;
        }
        let (id, name, _, _) = yanzhen_model::demo::city::CITY[i];
        city::register(
            db,
            &city::District {
                id: id.to_owned(),
                name: name.to_owned(),
                document,
                created_at: crate::auth::now_ms() + i as i64,
            },
        )
        .await?;
        stored += 1;
    }
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SqliteStorage;
    use yanzhen_model::store::DistrictDocument;
    use yanzhen_sync::storage::load_document;

    #[test]
    fn district_id_depends_on_the_seed_only() {
        assert_eq!(district_document_id(42), district_document_id(42));
        assert_ne!(district_document_id(42), district_document_id(43));
    }

    #[tokio::test]
    async fn demo_is_stored_once_and_loads_back() {
        let dir = tempfile::tempdir().unwrap();
        let storage = SqliteStorage::open_dir(dir.path()).await.unwrap();
        let outcome = ensure_demo(&storage, DEFAULT_SEED).await.unwrap();
        let DemoOutcome::Created {
            district,
            documents,
        } = outcome
        else {
            panic!("{outcome:?}")
        };
        assert_eq!(district, district_document_id(DEFAULT_SEED));
        let all = storage.list_prefix("").await.unwrap();
        assert_eq!(all.len(), documents);
        let demo = yanzhen_model::demo::generate(DEFAULT_SEED);
        assert_eq!(documents, 1 + demo.units.len());

        // The district document loads from its chunks and lists every unit.
        let chunks = storage
            .list_prefix(&prefix_key(&[district.to_string()]).unwrap())
            .await
            .unwrap()
            .into_iter()
            .map(|(k, v)| (crate::storage::split_key(&k), v));
        let (am, _) = load_document(chunks).unwrap().unwrap();
        let data = DistrictDocument::from_automerge(am)
            .unwrap()
            .data()
            .unwrap();
        assert_eq!(data.unit_documents().count(), demo.units.len());
        for unit in data.unit_documents() {
            let id = DocumentId::from_bytes(unit.doc_id.expect("unit doc id").0);
            let prefix = prefix_key(&[id.to_string()]).unwrap();
            assert_eq!(storage.list_prefix(&prefix).await.unwrap().len(), 1);
        }

        // Second start: nothing added.
        assert_eq!(
            ensure_demo(&storage, DEFAULT_SEED).await.unwrap(),
            DemoOutcome::AlreadyThere { district }
        );
        assert_eq!(storage.list_prefix("").await.unwrap().len(), documents);

        // Crash between the chunks and the meta key: only the key is set.
        sqlx::query("DELETE FROM meta WHERE key = ?1")
            .bind(META_DISTRICT_DOCUMENT)
            .execute(storage.pool())
            .await
            .unwrap();
        assert_eq!(
            ensure_demo(&storage, DEFAULT_SEED).await.unwrap(),
            DemoOutcome::AlreadyThere { district }
        );
        assert_eq!(
            storage
                .meta_get(META_DISTRICT_DOCUMENT)
                .await
                .unwrap()
                .as_deref(),
            Some(district.to_string().as_str())
        );
        storage.close().await;
    }

    #[tokio::test]
    async fn other_data_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let storage = SqliteStorage::open_dir(dir.path()).await.unwrap();
        storage.put("someDoc/snapshot/abc", b"x").await.unwrap();
        assert_eq!(
            ensure_demo(&storage, DEFAULT_SEED).await.unwrap(),
            DemoOutcome::NotEmpty
        );
        assert_eq!(storage.list_prefix("").await.unwrap().len(), 1);
        assert_eq!(
            storage.meta_get(META_DISTRICT_DOCUMENT).await.unwrap(),
            None
        );
        storage.close().await;
    }
}
