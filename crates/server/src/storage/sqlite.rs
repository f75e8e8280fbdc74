//! [`SqliteStorage`]: the [`Storage`](super::Storage) in one SQLite file
//! (WAL mode, `synchronous = FULL`), and its schema [`MIGRATIONS`]. The
//! default backend: `--data DIR` (or `--database sqlite://PATH`), nothing to
//! set up.

use std::{path::Path, str::FromStr as _, time::Duration};

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use super::{Db, impl_sql_storage, load_storage_id, migrate};
use crate::{Error, Result};

/// File name of the SQLite database inside the data directory.
pub const SQLITE_FILE_NAME: &str = "yanzhen.sqlite";

/// The SQLite schema migrations, in order: migration `i` (0-based) takes
/// the database from `schema_version` `i` to `i + 1` and runs in one
/// transaction with the version update. Never edit a released migration;
/// append one (and its PostgreSQL twin in
/// [`PG_MIGRATIONS`](super::PG_MIGRATIONS)).
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
    &[
        "CREATE TABLE districts (
            id          TEXT PRIMARY KEY NOT NULL,
            name        TEXT NOT NULL,
            document_id TEXT NOT NULL UNIQUE,
            created_at  INTEGER NOT NULL
        ) STRICT",
        "ALTER TABLE devices ADD COLUMN district_id TEXT",
        "ALTER TABLE enrolment_codes ADD COLUMN district_id TEXT",
        "CREATE INDEX devices_district ON devices (district_id)",
    ],
];

/// [`Storage`](super::Storage) in one SQLite file (WAL mode,
/// `synchronous = FULL`), via a sqlx pool.
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
        let db = Db::Sqlite(pool.clone());
        migrate(&db).await?;
        let storage_id = load_storage_id(&db).await?;
        Ok(Self { pool, storage_id })
    }

    /// The underlying pool (shared with the access-control tables).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// The same pool as a [`Db`] (for [`crate::AuthStore::new`]).
    pub fn db(&self) -> Db {
        Db::Sqlite(self.pool.clone())
    }
}

impl_sql_storage!(SqliteStorage);
