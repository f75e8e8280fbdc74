//! The city: the districts one deployment serves, side by side (table
//! `districts`: id, name, district document), and the [`City`] the access
//! policy is built from (each district's unit directory, read from its
//! district document).
//!
//! A deployment that predates the city has one district document named in
//! the `meta` table and devices and codes without a district:
//! [`adopt_legacy`] registers that document as district
//! [`LEGACY_DISTRICT_ID`] and gives it those devices and codes, once, at
//! start-up. A city admin creates more districts ([`create_district`]: an
//! empty district document stored before its row, so a listed district
//! always has its document).

use yanzhen_model::entities::{Unit, UnitKind};
use yanzhen_model::ids::Id;
use yanzhen_model::store::{ChangeMeta, ChangeOp, DistrictData, DistrictDocument};
use yanzhen_sync::{DocumentId, StorageOp, storage::DocStorage};

use crate::{
    Error, Result,
    policy::{City, CityDistrict, Directory},
    storage::{Db, META_DISTRICT_DOCUMENT, Storage, join_key, with_db},
};

/// The id given to the one district of a deployment from before the city.
pub const LEGACY_DISTRICT_ID: &str = "main";
/// Longest district id.
pub const MAX_DISTRICT_ID: usize = 32;
/// Longest district name, in characters.
pub const MAX_DISTRICT_NAME: usize = 40;

/// One district of the city.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct District {
    /// Its id (`a-z 0-9 _ -`, at most [`MAX_DISTRICT_ID`]).
    pub id: String,
    /// Its name (e.g. 沙市区).
    pub name: String,
    /// Its district document.
    pub document: DocumentId,
    /// Registered at (ms since the epoch).
    pub created_at: i64,
}

impl District {
    /// The JSON of `GET /api/districts` and `/api/me`'s `districts`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "districtId": self.id,
            "name": self.name,
            "districtDocumentId": self.document.to_string(),
            "createdAt": self.created_at,
        })
    }
}

/// Why a district id or name is refused (the API's error key).
pub const DISTRICT_INVALID: &str = "district.invalid";

/// Why a new district's id or name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DistrictError {
    /// Not 1 to [`MAX_DISTRICT_ID`] characters of `a-z 0-9 _ -`.
    #[error("a district id is 1 to {MAX_DISTRICT_ID} characters of a-z, 0-9, _ and -")]
    BadId,
    /// Empty, too long, or with control characters.
    #[error("a district name is 1 to {MAX_DISTRICT_NAME} characters, no control characters")]
    BadName,
}

/// Checks a new district's id and name: the id 1 to [`MAX_DISTRICT_ID`]
/// characters of `a-z 0-9 _ -`, the name 1 to [`MAX_DISTRICT_NAME`]
/// characters without control characters. Returns the trimmed name.
pub fn check_new_district(id: &str, name: &str) -> std::result::Result<String, DistrictError> {
    if id.is_empty()
        || id.len() > MAX_DISTRICT_ID
        || !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
    {
        return Err(DistrictError::BadId);
    }
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_DISTRICT_NAME
        || name.chars().any(char::is_control)
    {
        return Err(DistrictError::BadName);
    }
    Ok(name.to_owned())
}

type DistrictRow = (String, String, String, i64);

fn district_from_row((id, name, document, created_at): DistrictRow) -> Result<District> {
    let document = document
        .parse()
        .map_err(|e| Error::Access(format!("district {id:?}: bad document id: {e}")))?;
    Ok(District {
        id,
        name,
        document,
        created_at,
    })
}

/// Every district, in the order they were registered.
pub async fn list(db: &Db) -> Result<Vec<District>> {
    let rows: Vec<DistrictRow> = with_db!(db, pool => sqlx::query_as(
        "SELECT id, name, document_id, created_at FROM districts ORDER BY created_at, id",
    )
    .fetch_all(pool)
    .await?);
    rows.into_iter().map(district_from_row).collect()
}

/// One district.
pub async fn get(db: &Db, id: &str) -> Result<Option<District>> {
    let row: Option<DistrictRow> = with_db!(db, pool => sqlx::query_as(
        "SELECT id, name, document_id, created_at FROM districts WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?);
    row.map(district_from_row).transpose()
}

/// Registers `d`; `false` (and nothing written) if its id or document is
/// taken already.
pub async fn register(db: &Db, d: &District) -> Result<bool> {
    let done = with_db!(db, pool => sqlx::query(
        "INSERT INTO districts (id, name, document_id, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(&d.id)
    .bind(&d.name)
    .bind(d.document.to_string())
    .bind(d.created_at)
    .execute(pool)
    .await?
    .rows_affected());
    Ok(done == 1)
}

/// Registers the district document of a deployment from before the city
/// (named by the `meta` table, not yet a district's) as district
/// [`LEGACY_DISTRICT_ID`], named as its document says, and gives it every
/// device and code of a district role that has no district. A deployment
/// from before the city that never had a district document but has such
/// devices or codes (an admin enrolled without `--demo`) gets a new, empty
/// district [`LEGACY_DISTRICT_ID`] for them, recorded as the `meta`
/// district document so their transfer key stays the same. Returns the
/// district if it registered one. Idempotent.
pub async fn adopt_legacy(storage: &dyn Storage, db: &Db) -> Result<Option<District>> {
    let Some(doc) = storage.meta_get(META_DISTRICT_DOCUMENT).await? else {
        return adopt_without_document(storage, db).await;
    };
    let document: DocumentId = doc
        .parse()
        .map_err(|e| Error::Access(format!("meta {META_DISTRICT_DOCUMENT}: {e}")))?;
    if list(db).await?.iter().any(|d| d.document == document) {
        return Ok(None);
    }
    let name = district_name(storage, document)
        .await
        .unwrap_or_else(|| LEGACY_DISTRICT_ID.to_owned());
    let district = District {
        id: LEGACY_DISTRICT_ID.to_owned(),
        name,
        document,
        created_at: crate::auth::now_ms(),
    };
    if !register(db, &district).await? {
        return Err(Error::Access(format!(
            "district id {LEGACY_DISTRICT_ID:?} is taken by another document"
        )));
    }
    give_unassigned(db, LEGACY_DISTRICT_ID).await?;
    tracing::info!(district = LEGACY_DISTRICT_ID, %document, "the deployment's district document registered as a district");
    Ok(Some(district))
}

/// [`adopt_legacy`] for a deployment without a district document: a new
/// district for its devices and codes of a district role, if it has any
/// and no district at all.
async fn adopt_without_document(storage: &dyn Storage, db: &Db) -> Result<Option<District>> {
    const UNASSIGNED: &str = "SELECT 1 FROM devices
         WHERE district_id IS NULL AND role NOT IN ('city_admin', 'city_viewer')
         UNION ALL SELECT 1 FROM enrolment_codes
         WHERE district_id IS NULL AND role NOT IN ('city_admin', 'city_viewer')
         LIMIT 1";
    let unassigned = with_db!(db, pool => sqlx::query(UNASSIGNED)
        .fetch_optional(pool)
        .await?
        .is_some());
    if !unassigned || !list(db).await?.is_empty() {
        return Ok(None);
    }
    let mut random = [0u8; 48];
    crate::auth::random_bytes(&mut random)?;
    let Some(district) = create_district(storage, db, LEGACY_DISTRICT_ID, "本区", random).await?
    else {
        return Ok(None);
    };
    storage
        .meta_put(META_DISTRICT_DOCUMENT, &district.document.to_string())
        .await?;
    give_unassigned(db, LEGACY_DISTRICT_ID).await?;
    tracing::info!(
        district = LEGACY_DISTRICT_ID,
        "a district created for the devices enrolled before the city"
    );
    Ok(Some(district))
}

/// Gives district `id` every device and code of a district role that has
/// no district.
async fn give_unassigned(db: &Db, id: &str) -> Result<()> {
    for table in ["devices", "enrolment_codes"] {
        let sql = format!(
            "UPDATE {table} SET district_id = $1
             WHERE district_id IS NULL AND role NOT IN ('city_admin', 'city_viewer')"
        );
        with_db!(db, pool => sqlx::query(&sql)
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected());
    }
    Ok(())
}

/// The name in district document `doc`, if it reads.
async fn district_name(storage: &dyn Storage, doc: DocumentId) -> Option<String> {
    let dir = Directory::load(storage, doc).await.ok()?;
    dir.units
        .values()
        .find(|u| u.kind == UnitKind::District)
        .map(|u| u.name.clone())
}

/// The city as stored: every district with the directory its district
/// document holds now. A district whose document does not read gets an
/// empty directory (logged): its devices see its district document only.
pub async fn load_city(storage: &dyn Storage, db: &Db) -> Result<City> {
    let mut districts = Vec::new();
    for d in list(db).await? {
        let directory = match Directory::load(storage, d.document).await {
            Ok(dir) => dir,
            Err(err) => {
                tracing::error!(district = %d.id, %err, "cannot read a district's unit directory");
                Directory::new(Some(d.document), [])
            }
        };
        districts.push(CityDistrict {
            id: d.id,
            name: d.name,
            directory,
        });
    }
    Ok(City::new(districts))
}

/// Creates district `id` named `name`: a new district document (the
/// district as its only unit) stored first, then the row. `Ok(None)` if
/// the id is taken (nothing is registered; the stored document is left
/// unused). `random` supplies the document's id and actor.
pub async fn create_district(
    storage: &dyn Storage,
    db: &Db,
    id: &str,
    name: &str,
    random: [u8; 48],
) -> Result<Option<District>> {
    let name = check_new_district(id, name).map_err(|e| Error::Access(e.to_string()))?;
    if get(db, id).await?.is_some() {
        return Ok(None);
    }
    let mut doc_id = [0u8; 16];
    doc_id.copy_from_slice(&random[..16]);
    let document = DocumentId::from_bytes(doc_id);
    let mut unit_id = [0u8; 16];
    unit_id.copy_from_slice(&random[16..32]);
    let mut data = DistrictData::new(&name);
    let unit = Id::from_random_bytes(unit_id);
    data.units.insert(
        unit.clone(),
        Unit {
            id: unit,
            name: name.clone(),
            kind: UnitKind::District,
            parent: None,
            doc_id: None,
        },
    );
    let now = crate::auth::now_ms();
    let meta = ChangeMeta::new("server", "市级管理员", "city_admin", now);
    let am = DistrictDocument::create(&data, &random[32..], &meta, ChangeOp::Init)
        .map_err(|e| Error::Access(format!("a new district document: {e}")))?
        .automerge()
        .clone();
    let mut entries = Vec::new();
    for op in DocStorage::new().plan_save(&document, &am) {
        if let StorageOp::Put { key, data } = op {
            entries.push((join_key(&key)?, data));
        }
    }
    storage.put_all(&entries).await?;
    let district = District {
        id: id.to_owned(),
        name,
        document,
        created_at: now,
    };
    Ok(register(db, &district).await?.then_some(district))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::testing::{TestDb, on_both_backends};

    #[test]
    fn district_ids_and_names_are_checked() {
        assert_eq!(check_new_district("hexi", " 河西区 ").unwrap(), "河西区");
        assert!(check_new_district("he-xi_2", "x").is_ok());
        for bad in ["", "HeXi", "he xi", "河西", "a/b", "a'b", &"a".repeat(33)] {
            assert_eq!(
                check_new_district(bad, "河西区"),
                Err(DistrictError::BadId),
                "{bad:?}"
            );
        }
        for bad in ["", "  ", "河\u{0}西", &"区".repeat(41)] {
            assert_eq!(
                check_new_district("hexi", bad),
                Err(DistrictError::BadName),
                "{bad:?}"
            );
        }
    }

    on_both_backends! {
    async fn districts_are_created_once_and_read_back(backend) {
        let test_db = TestDb::new(backend);
        let crate::storage::Opened { storage, db } = test_db.open().await;
        {
            let a = create_district(&*storage, &db, "hexi", "河西区", [7; 48])
                .await
                .unwrap()
                .expect("created");
            assert_eq!(a.name, "河西区");
            // The same id again: refused, nothing registered.
            assert!(
                create_district(&*storage, &db, "hexi", "别的区", [8; 48])
                    .await
                    .unwrap()
                    .is_none()
            );
            // A hostile id never reaches SQL.
            assert!(
                create_district(&*storage, &db, "x'; DROP TABLE devices; --", "区", [9; 48])
                    .await
                    .is_err()
            );
            assert_eq!(list(&db).await.unwrap(), vec![a.clone()]);
            let city = load_city(&*storage, &db).await.unwrap();
            let d = &city.districts["hexi"];
            assert_eq!(d.directory.district, Some(a.document));
            assert!(city.is_district_document(&a.document));
            assert_eq!(
                d.directory.units.values().next().map(|u| u.kind),
                Some(UnitKind::District)
            );
        }
    }

    async fn a_legacy_district_is_adopted_with_its_devices_and_codes(backend) {
        let test_db = TestDb::new(backend);
        let crate::storage::Opened { storage, db } = test_db.open().await;
        {
            let (doc, entries) = crate::demo::demo_entries(crate::demo::DEFAULT_SEED).unwrap();
            storage.put_all(&entries).await.unwrap();
            // Nothing to adopt without the meta key.
            assert_eq!(adopt_legacy(&*storage, &db).await.unwrap(), None);
            storage
                .meta_put(META_DISTRICT_DOCUMENT, &doc.to_string())
                .await
                .unwrap();
            for (id, role) in [("v", "village"), ("c", "city_viewer")] {
                with_db!(&db, pool => sqlx::query(
                    "INSERT INTO devices (id, name, role, token_hash, created_at) VALUES ($1, 'x', $2, $3, 0)",
                )
                .bind(id)
                .bind(role)
                .bind(id.as_bytes().to_vec())
                .execute(pool)
                .await
                .unwrap()
                .rows_affected());
            }
            let adopted = adopt_legacy(&*storage, &db).await.unwrap().expect("adopted");
            assert_eq!(adopted.id, LEGACY_DISTRICT_ID);
            assert_eq!(adopted.name, "雁城区（演示）");
            assert_eq!(adopted.document, doc);
            // Once only.
            assert_eq!(adopt_legacy(&*storage, &db).await.unwrap(), None);
            let auth = crate::auth::AuthStore::new(db.clone());
            let v = auth.device("v").await.unwrap().unwrap();
            assert_eq!(v.district_id.as_deref(), Some(LEGACY_DISTRICT_ID));
            let c = auth.device("c").await.unwrap().unwrap();
            assert_eq!(c.district_id, None, "a city device belongs to no district");
        }
    }

    async fn devices_without_any_district_document_get_a_district(backend) {
        let test_db = TestDb::new(backend);
        let crate::storage::Opened { storage, db } = test_db.open().await;
        // A fresh deployment: nothing to adopt.
        assert_eq!(adopt_legacy(&*storage, &db).await.unwrap(), None);
        with_db!(&db, pool => sqlx::query(
            "INSERT INTO devices (id, name, role, token_hash, created_at) VALUES ('a', 'x', 'admin', $1, 0)",
        )
        .bind(b"a".to_vec())
        .execute(pool)
        .await
        .unwrap()
        .rows_affected());
        let made = adopt_legacy(&*storage, &db).await.unwrap().expect("a district");
        assert_eq!((made.id.as_str(), made.name.as_str()), (LEGACY_DISTRICT_ID, "本区"));
        assert_eq!(
            storage.meta_get(META_DISTRICT_DOCUMENT).await.unwrap(),
            Some(made.document.to_string()),
            "the first district: its devices keep the stored transfer key"
        );
        let auth = crate::auth::AuthStore::new(db.clone());
        let a = auth.device("a").await.unwrap().unwrap();
        assert_eq!(a.district_id.as_deref(), Some(LEGACY_DISTRICT_ID));
        // Once only; and its document reads as a district.
        assert_eq!(adopt_legacy(&*storage, &db).await.unwrap(), None);
        let city = load_city(&*storage, &db).await.unwrap();
        assert!(city.is_district_document(&made.document));
    }
    }
}
