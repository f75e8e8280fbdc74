//! Keyed blob storage for the sync layer (automerge-repo chunks), behind the
//! [`Storage`] trait, with the SQLite implementation [`SqliteStorage`].
//!
//! Keys are `/`-joined automerge-repo storage-key paths such as
//! `docId/incremental/hash` or `docId/snapshot/hash`. [`Storage::list_prefix`]
//! matches plain string prefixes, so to list one document pass `"docId/"` with
//! the trailing slash (otherwise `doc1` would also match `doc10/...`).
//!
//! The database also holds a `meta` table with a stable server `storage_id`
//! (a random UUID generated on first open and kept), which the sync protocol
//! announces to peers, and the schema version; the schema is built by
//! versioned [`MIGRATIONS`] (version 2 adds the access-control tables used by
//! [`crate::auth`]).
//!
//! # Durability
//!
//! Every connection of the pool runs in WAL mode with `synchronous = FULL`
//! ([`SqliteStorage::open`]): a commit returns only after the WAL has been
//! fsynced, so a change the server acknowledged survives a power cut, not
//! only the process being killed (with `NORMAL` the last commits before a
//! power loss could be rolled back). The access-control tables
//! ([`crate::auth`]) live in the same database and pool.

use std::{
    future::Future,
    path::Path,
    pin::Pin,
    str::FromStr as _,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use sqlx::{
    Row as _,
    sqlite::{
        SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
    },
};

use crate::{Error, Result};

/// File name of the SQLite database inside the data directory.
pub const SQLITE_FILE_NAME: &str = "yanzhen.sqlite";

/// `meta` key of the district document's id (base58check), set when the demo
/// district is stored (`--demo`).
pub const META_DISTRICT_DOCUMENT: &str = "district_document_id";

/// `meta` key of the server's Ed25519 signing key (its 32-byte seed, hex),
/// made at first start ([`crate::keys`]). Secret: never logged or served.
pub const META_SIGNING_KEY: &str = "server_signing_key";

/// `meta` key of the district transfer key for `.yanzhen` files (the JSON
/// of [`yanzhen_sync::attest::TransferKey`]), made at first start
/// ([`crate::keys`]). Secret: served only to enrolled devices, never logged.
pub const META_TRANSFER_KEY: &str = "district_transfer_key";

/// `meta` key written by [`Storage::probe_write`] (`/healthz`): the time of
/// the last write probe, in ms since the epoch.
pub const META_HEALTH_PROBE: &str = "health_probe";

/// A boxed, `Send` future, so that [`Storage`] stays usable as `dyn Storage`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The schema migrations, in order: migration `i` (0-based) takes the
/// database from `schema_version` `i` to `i + 1` and runs in one transaction
/// with the version update. Never edit a released migration; append one.
///
/// 1. `meta` and `documents` (automerge-repo chunks).
/// 2. Access control: `devices` (enrolled devices, token hashes),
///    `enrolment_codes` (one-time codes, hashed) and `enrol_attempts` (for
///    rate limiting enrolment).
pub const MIGRATIONS: &[&[&str]] = &[
    &[
        "CREATE TABLE IF NOT EXISTS meta (
            key   TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        ) STRICT",
        "CREATE TABLE IF NOT EXISTS documents (
            key        TEXT PRIMARY KEY NOT NULL,
            value      BLOB NOT NULL,
            updated_at INTEGER NOT NULL
        ) STRICT",
    ],
    &[
        "CREATE TABLE devices (
            id           TEXT PRIMARY KEY NOT NULL,
            name         TEXT NOT NULL,
            role         TEXT NOT NULL,
            unit_id      TEXT,
            token_hash   BLOB NOT NULL UNIQUE,
            created_at   INTEGER NOT NULL,
            last_seen_at INTEGER,
            revoked_at   INTEGER
        ) STRICT",
        "CREATE TABLE enrolment_codes (
            code_hash  BLOB PRIMARY KEY NOT NULL,
            role       TEXT NOT NULL,
            unit_id    TEXT,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            used_at    INTEGER,
            device_id  TEXT
        ) STRICT",
        "CREATE TABLE enrol_attempts (
            ip TEXT NOT NULL,
            at INTEGER NOT NULL,
            ok INTEGER NOT NULL
        ) STRICT",
        "CREATE INDEX enrol_attempts_ip_at ON enrol_attempts (ip, at)",
        "CREATE INDEX enrol_attempts_at ON enrol_attempts (at)",
    ],
];

/// The schema version of a database [`migrate`]d by this build.
pub fn schema_version() -> u64 {
    MIGRATIONS.len() as u64
}

/// Brings the database to [`schema_version`]: runs every migration above the
/// stored `meta.schema_version` (absent: 0; databases made before versioned
/// migrations say `1`), each in its own transaction with the version bump.
/// A database newer than this build is refused.
pub async fn migrate(pool: &SqlitePool) -> Result<()> {
    let has_meta: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
            .fetch_optional(pool)
            .await?;
    let mut current: u64 = if has_meta.is_some() {
        sqlx::query_scalar::<_, String>("SELECT value FROM meta WHERE key = 'schema_version'")
            .fetch_optional(pool)
            .await?
            .map(|v| v.parse().unwrap_or(0))
            .unwrap_or(0)
    } else {
        0
    };
    if current > schema_version() {
        return Err(Error::Schema(format!(
            "database schema version {current} is newer than this server's {}",
            schema_version()
        )));
    }
    while current < schema_version() {
        let mut tx = pool.begin().await?;
        for statement in MIGRATIONS[current as usize] {
            sqlx::query(statement).execute(&mut *tx).await?;
        }
        current += 1;
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(current.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(version = current, "database schema migrated");
    }
    Ok(())
}

/// `(key, value)` pairs returned by [`Storage::list_prefix`].
pub type Entries = Vec<(String, Vec<u8>)>;

/// Async keyed blob storage. Implemented by [`SqliteStorage`]; a PostgreSQL
/// implementation can be added later behind the same trait.
pub trait Storage: Send + Sync + 'static {
    /// The stable identity of this server's storage (a UUID string), the same
    /// across restarts.
    fn storage_id(&self) -> &str;

    /// The value stored under `key`, if any.
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<Vec<u8>>>>;

    /// Store `value` under `key`, replacing any previous value.
    fn put<'a>(&'a self, key: &'a str, value: &'a [u8]) -> BoxFuture<'a, Result<()>>;

    /// Remove `key`; removing a missing key is not an error.
    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<()>>;

    /// All `(key, value)` pairs whose key starts with `prefix`, ordered by key.
    fn list_prefix<'a>(&'a self, prefix: &'a str) -> BoxFuture<'a, Result<Entries>>;

    /// Store every `(key, value)` pair in one transaction: all or none.
    fn put_all<'a>(&'a self, entries: &'a [(String, Vec<u8>)]) -> BoxFuture<'a, Result<()>>;

    /// A value of the server's `meta` table (e.g. [`META_DISTRICT_DOCUMENT`]).
    fn meta_get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<String>>>;

    /// Set a value of the server's `meta` table.
    fn meta_put<'a>(&'a self, key: &'a str, value: &'a str) -> BoxFuture<'a, Result<()>>;

    /// Whether any blob is stored at all.
    fn is_empty(&self) -> BoxFuture<'_, Result<bool>>;

    /// A trivial query proving the database answers (used by `/healthz`).
    fn ping(&self) -> BoxFuture<'_, Result<()>>;

    /// A tiny committed write proving the database can still store (used by
    /// `/healthz`, throttled: [`crate::health`]); a read alone succeeds on
    /// a full disk. Defaults to [`Storage::ping`] for stores without one.
    fn probe_write(&self) -> BoxFuture<'_, Result<()>> {
        self.ping()
    }

    /// Close the storage (wait for connections to finish). Called on shutdown.
    fn close(&self) -> BoxFuture<'_, ()>;
}

/// [`Storage`] in one SQLite file (WAL mode, `synchronous = FULL`), via a
/// sqlx pool.
#[derive(Debug, Clone)]
pub struct SqliteStorage {
    pool: SqlitePool,
    storage_id: String,
}

impl SqliteStorage {
    /// Open (creating if needed) `yanzhen.sqlite` in `data_dir`, creating the
    /// directory too.
    pub async fn open_dir(data_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(data_dir).map_err(|source| Error::DataDir {
            path: data_dir.to_owned(),
            source,
        })?;
        Self::open(&data_dir.join(SQLITE_FILE_NAME)).await
    }

    /// Open (creating if needed) the SQLite database file at `path`, set up
    /// the schema and load or generate the `storage_id`.
    pub async fn open(path: &Path) -> Result<Self> {
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: fsync the WAL at every commit, so an acknowledged change
            // survives a power cut (see the module docs).
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;

        migrate(&pool).await?;
        let mut tx = pool.begin().await?;
        sqlx::query("INSERT OR IGNORE INTO meta (key, value) VALUES ('storage_id', ?1)")
            .bind(uuid::Uuid::new_v4().to_string())
            .execute(&mut *tx)
            .await?;
        let storage_id: String =
            sqlx::query_scalar("SELECT value FROM meta WHERE key = 'storage_id'")
                .fetch_one(&mut *tx)
                .await?;
        tx.commit().await?;

        Ok(Self { pool, storage_id })
    }

    /// The underlying pool (for future tables owned by the server).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

/// Join an automerge-repo `StorageKey` (a path of strings, as in
/// `yanzhen_sync::storage::StorageKey`) into this store's `/`-separated key.
/// Components must be non-empty and free of `/`.
pub fn join_key<S: AsRef<str>>(parts: &[S]) -> Result<String> {
    let mut key = String::new();
    for (i, part) in parts.iter().enumerate() {
        let part = part.as_ref();
        if part.is_empty() || part.contains('/') {
            return Err(Error::InvalidKey(format!(
                "{:?}",
                parts.iter().map(AsRef::as_ref).collect::<Vec<_>>()
            )));
        }
        if i > 0 {
            key.push('/');
        }
        key.push_str(part);
    }
    Ok(key)
}

/// The [`Storage::list_prefix`] argument for a component-wise key prefix
/// (automerge-repo's `loadRange`): the joined key plus a trailing `/`, so
/// `["doc1"]` does not match `doc10/…`. The empty prefix lists everything.
pub fn prefix_key<S: AsRef<str>>(parts: &[S]) -> Result<String> {
    let mut key = join_key(parts)?;
    if !key.is_empty() {
        key.push('/');
    }
    Ok(key)
}

/// Split a stored key back into its components.
pub fn split_key(key: &str) -> Vec<String> {
    key.split('/').map(str::to_owned).collect()
}

fn check_key(key: &str) -> Result<()> {
    if key.is_empty() {
        return Err(Error::InvalidKey(key.to_owned()));
    }
    Ok(())
}

fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl Storage for SqliteStorage {
    fn storage_id(&self) -> &str {
        &self.storage_id
    }

    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<Vec<u8>>>> {
        Box::pin(async move {
            check_key(key)?;
            let value = sqlx::query_scalar("SELECT value FROM documents WHERE key = ?1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?;
            Ok(value)
        })
    }

    fn put<'a>(&'a self, key: &'a str, value: &'a [u8]) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            check_key(key)?;
            sqlx::query(
                "INSERT INTO documents (key, value, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (key) DO UPDATE
                 SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .bind(key)
            .bind(value)
            .bind(now_millis())
            .execute(&self.pool)
            .await?;
            Ok(())
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            check_key(key)?;
            sqlx::query("DELETE FROM documents WHERE key = ?1")
                .bind(key)
                .execute(&self.pool)
                .await?;
            Ok(())
        })
    }

    fn list_prefix<'a>(&'a self, prefix: &'a str) -> BoxFuture<'a, Result<Entries>> {
        Box::pin(async move {
            // substr/length count characters consistently, and unlike LIKE
            // there are no wildcards to escape. `key >= prefix` lets SQLite
            // start the scan at the right place in the primary-key index.
            let rows = sqlx::query(
                "SELECT key, value FROM documents
                 WHERE key >= ?1 AND substr(key, 1, length(?1)) = ?1
                 ORDER BY key",
            )
            .bind(prefix)
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter()
                .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
                .collect()
        })
    }

    fn put_all<'a>(&'a self, entries: &'a [(String, Vec<u8>)]) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            for (key, _) in entries {
                check_key(key)?;
            }
            let now = now_millis();
            let mut tx = self.pool.begin().await?;
            for (key, value) in entries {
                sqlx::query(
                    "INSERT INTO documents (key, value, updated_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (key) DO UPDATE
                     SET value = excluded.value, updated_at = excluded.updated_at",
                )
                .bind(key)
                .bind(value)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    fn meta_get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<String>>> {
        Box::pin(async move {
            let value = sqlx::query_scalar("SELECT value FROM meta WHERE key = ?1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?;
            Ok(value)
        })
    }

    fn meta_put<'a>(&'a self, key: &'a str, value: &'a str) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            sqlx::query(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await?;
            Ok(())
        })
    }

    fn is_empty(&self) -> BoxFuture<'_, Result<bool>> {
        Box::pin(async move {
            let any: Option<i64> = sqlx::query_scalar("SELECT 1 FROM documents LIMIT 1")
                .fetch_optional(&self.pool)
                .await?;
            Ok(any.is_none())
        })
    }

    fn ping(&self) -> BoxFuture<'_, Result<()>> {
        Box::pin(async move {
            let one: i64 = sqlx::query_scalar("SELECT 1").fetch_one(&self.pool).await?;
            debug_assert_eq!(one, 1);
            Ok(())
        })
    }

    fn probe_write(&self) -> BoxFuture<'_, Result<()>> {
        Box::pin(async move {
            // One small row, rewritten in place: a real transaction, committed
            // and fsynced like a document write.
            sqlx::query(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(META_HEALTH_PROBE)
            .bind(now_millis().to_string())
            .execute(&self.pool)
            .await?;
            Ok(())
        })
    }

    fn close(&self) -> BoxFuture<'_, ()> {
        Box::pin(self.pool.close())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn put_get_list_delete_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let storage = SqliteStorage::open_dir(&dir.path().join("nested/data"))
            .await
            .unwrap();
        let s: &dyn Storage = &storage;

        assert_eq!(s.get("doc1/snapshot/a").await.unwrap(), None);
        s.put("doc1/snapshot/a", b"one").await.unwrap();
        s.put("doc1/incremental/b", b"two").await.unwrap();
        s.put("doc10/incremental/c", b"other doc").await.unwrap();
        assert_eq!(
            s.get("doc1/snapshot/a").await.unwrap().as_deref(),
            Some(&b"one"[..])
        );

        // Overwrite.
        s.put("doc1/snapshot/a", b"one v2").await.unwrap();
        assert_eq!(
            s.get("doc1/snapshot/a").await.unwrap().as_deref(),
            Some(&b"one v2"[..])
        );

        let listed = s.list_prefix("doc1/").await.unwrap();
        assert_eq!(
            listed,
            vec![
                ("doc1/incremental/b".to_owned(), b"two".to_vec()),
                ("doc1/snapshot/a".to_owned(), b"one v2".to_vec()),
            ]
        );
        assert_eq!(s.list_prefix("doc").await.unwrap().len(), 3);
        assert_eq!(s.list_prefix("").await.unwrap().len(), 3);
        // LIKE wildcards are not special.
        assert!(s.list_prefix("doc_").await.unwrap().is_empty());
        assert!(s.list_prefix("%").await.unwrap().is_empty());

        s.delete("doc1/snapshot/a").await.unwrap();
        s.delete("doc1/snapshot/a").await.unwrap(); // idempotent
        assert_eq!(s.get("doc1/snapshot/a").await.unwrap(), None);
        assert_eq!(s.list_prefix("doc1/").await.unwrap().len(), 1);

        assert!(matches!(s.put("", b"x").await, Err(Error::InvalidKey(_))));
        s.ping().await.unwrap();
        s.probe_write().await.unwrap();
        assert!(s.meta_get(META_HEALTH_PROBE).await.unwrap().is_some());
        s.close().await;
        assert!(
            dir.path()
                .join("nested/data")
                .join(SQLITE_FILE_NAME)
                .is_file()
        );
    }

    #[test]
    fn key_helpers() {
        assert_eq!(
            join_key(&["doc1", "incremental", "ab12"]).unwrap(),
            "doc1/incremental/ab12"
        );
        assert_eq!(prefix_key(&["doc1", "snapshot"]).unwrap(), "doc1/snapshot/");
        assert_eq!(prefix_key::<&str>(&[]).unwrap(), "");
        assert!(join_key(&["a/b"]).is_err());
        assert!(join_key(&["a", ""]).is_err());
        assert_eq!(split_key("doc1/sync-state/x"), ["doc1", "sync-state", "x"]);
    }

    #[tokio::test]
    async fn storage_id_is_stable_across_restarts() {
        let dir = tempfile::tempdir().unwrap();
        let first = SqliteStorage::open_dir(dir.path()).await.unwrap();
        let id = first.storage_id().to_owned();
        uuid::Uuid::parse_str(&id).expect("storage_id is a UUID");
        first.put("k", b"v").await.unwrap();
        first.close().await;

        let second = SqliteStorage::open_dir(dir.path()).await.unwrap();
        assert_eq!(second.storage_id(), id);
        assert_eq!(second.get("k").await.unwrap().as_deref(), Some(&b"v"[..]));
        second.close().await;

        let other = tempfile::tempdir().unwrap();
        let third = SqliteStorage::open_dir(other.path()).await.unwrap();
        assert_ne!(third.storage_id(), id, "a fresh database gets a fresh id");
        third.close().await;
    }

    #[tokio::test]
    async fn put_all_meta_and_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let s = SqliteStorage::open_dir(dir.path()).await.unwrap();
        assert!(s.is_empty().await.unwrap());
        // One bad key: nothing is written.
        let bad = vec![("a/1".to_owned(), b"x".to_vec()), (String::new(), vec![])];
        assert!(s.put_all(&bad).await.is_err());
        assert!(s.is_empty().await.unwrap());
        let good = vec![
            ("a/1".to_owned(), b"x".to_vec()),
            ("a/2".to_owned(), b"y".to_vec()),
        ];
        s.put_all(&good).await.unwrap();
        assert!(!s.is_empty().await.unwrap());
        assert_eq!(s.list_prefix("a/").await.unwrap(), good);

        assert_eq!(s.meta_get(META_DISTRICT_DOCUMENT).await.unwrap(), None);
        s.meta_put(META_DISTRICT_DOCUMENT, "one").await.unwrap();
        s.meta_put(META_DISTRICT_DOCUMENT, "two").await.unwrap();
        assert_eq!(
            s.meta_get(META_DISTRICT_DOCUMENT).await.unwrap().as_deref(),
            Some("two")
        );
        assert_eq!(
            s.meta_get("storage_id").await.unwrap().as_deref(),
            Some(s.storage_id())
        );
        s.close().await;
    }

    #[tokio::test]
    async fn migrations_run_once_and_upgrade_version_1_databases() {
        let dir = tempfile::tempdir().unwrap();
        let s = SqliteStorage::open_dir(dir.path()).await.unwrap();
        let version = |s: SqliteStorage| async move {
            let v = s.meta_get("schema_version").await.unwrap();
            s.close().await;
            v
        };
        assert_eq!(
            version(s).await.as_deref(),
            Some(schema_version().to_string().as_str())
        );
        // Reopening changes nothing.
        let s = SqliteStorage::open_dir(dir.path()).await.unwrap();
        s.put("k", b"v").await.unwrap();
        s.close().await;

        // A database made before versioned migrations (version 1, no
        // access-control tables) gets them and keeps its data.
        let old = tempfile::tempdir().unwrap();
        let path = old.path().join(SQLITE_FILE_NAME);
        {
            let options = SqliteConnectOptions::from_str("sqlite:")
                .unwrap()
                .filename(&path)
                .create_if_missing(true);
            let pool = SqlitePool::connect_with(options).await.unwrap();
            for statement in MIGRATIONS[0] {
                sqlx::query(statement).execute(&pool).await.unwrap();
            }
            sqlx::query("INSERT INTO meta VALUES ('schema_version', '1'), ('storage_id', 'old')")
                .execute(&pool)
                .await
                .unwrap();
            sqlx::query("INSERT INTO documents VALUES ('d/snapshot/x', x'01', 0)")
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        }
        let s = SqliteStorage::open(&path).await.unwrap();
        assert_eq!(s.storage_id(), "old");
        assert_eq!(
            s.get("d/snapshot/x").await.unwrap().as_deref(),
            Some(&[1u8][..])
        );
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM devices")
            .fetch_one(s.pool())
            .await
            .unwrap();
        assert_eq!(n, 0);
        // A newer database is refused.
        s.meta_put("schema_version", "99").await.unwrap();
        s.close().await;
        assert!(matches!(
            SqliteStorage::open(&path).await,
            Err(Error::Schema(_))
        ));
    }

    #[tokio::test]
    async fn uses_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let storage = SqliteStorage::open_dir(dir.path()).await.unwrap();
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(storage.pool())
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        storage.close().await;
    }

    /// Every connection of the pool (the documents' and the access-control
    /// tables', which share it) commits with `synchronous = FULL` (2):
    /// `NORMAL` (1) would lose acknowledged changes on a power cut.
    #[tokio::test]
    async fn every_connection_is_synchronous_full() {
        let dir = tempfile::tempdir().unwrap();
        let storage = SqliteStorage::open_dir(dir.path()).await.unwrap();
        // Hold as many connections as the pool has at once, so each one is
        // asked, not the same idle connection again.
        let max = storage.pool().options().get_max_connections();
        let mut held = Vec::new();
        for _ in 0..max {
            held.push(storage.pool().acquire().await.unwrap());
        }
        for conn in &mut held {
            let level: i64 = sqlx::query_scalar("PRAGMA synchronous")
                .fetch_one(&mut **conn)
                .await
                .unwrap();
            assert_eq!(level, 2, "PRAGMA synchronous: 2 is FULL");
        }
        drop(held);
        // The access-control store has no database of its own: it is built
        // on this pool (`AppState::with_sync`, `run_serve`).
        storage.close().await;
    }
}
