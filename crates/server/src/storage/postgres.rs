//! [`PgStorage`]: the [`Storage`](super::Storage) on PostgreSQL
//! (`--database postgres://USER@HOST:PORT/DB`), and its schema
//! [`PG_MIGRATIONS`].
//!
//! Plain SQL that PostgreSQL-compatible databases (openGauss, KingbaseES)
//! accept too: `TEXT`, `BYTEA`, `BIGINT`, `BIGSERIAL`, `COLLATE "C"`,
//! `INSERT … ON CONFLICT`, `LOCK TABLE`, `information_schema`, no
//! extensions. Document keys are `COLLATE "C"` so that their order (and the
//! index range scan of [`Storage::list_prefix`](super::Storage::list_prefix))
//! is byte order, as in SQLite, whatever the database's locale.
//!
//! Every connection sets `synchronous_commit = on` when it is opened: a
//! commit returns only once its WAL is flushed to disk, even if the role or
//! the database was configured otherwise. A server running with
//! `fsync = off` is warned about at start (it cannot keep that promise).

use std::str::FromStr as _;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use super::{Db, impl_sql_storage, load_storage_id, migrate};
use crate::Result;

/// Connections in the pool: the sync hub writes through one at a time;
/// one listens for the other server nodes' notices (`sync::nodes`); the
/// rest serve HTTP handlers (enrolment, health, admin).
pub const PG_MAX_CONNECTIONS: u32 = 10;

/// How long a query waits for a connection. While the database is down a
/// waiting query retries with a backoff of up to a fifth of this, so it
/// also bounds how long after the database is back the hub (blocked in
/// such a wait) resumes: ≤ 1 s (sqlx's default, 30 s, meant ≤ 6 s).
pub const PG_ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The PostgreSQL schema migrations, version for version the same tables
/// as the SQLite [`MIGRATIONS`](super::MIGRATIONS) (see there). Never edit
/// a released migration; append one.
///
/// `enrol_attempts` has an `id` (SQLite uses its implicit `rowid`).
pub const PG_MIGRATIONS: &[&[&str]] = &[
    &[
        "CREATE TABLE IF NOT EXISTS meta (
            key   TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        )",
        "CREATE TABLE IF NOT EXISTS documents (
            key        TEXT COLLATE \"C\" PRIMARY KEY NOT NULL,
            value      BYTEA NOT NULL,
            updated_at BIGINT NOT NULL
        )",
    ],
    &[
        "CREATE TABLE devices (
            id           TEXT PRIMARY KEY NOT NULL,
            name         TEXT NOT NULL,
            role         TEXT NOT NULL,
            unit_id      TEXT,
            token_hash   BYTEA NOT NULL UNIQUE,
            created_at   BIGINT NOT NULL,
            last_seen_at BIGINT,
            revoked_at   BIGINT
        )",
        "CREATE TABLE enrolment_codes (
            code_hash  BYTEA PRIMARY KEY NOT NULL,
            role       TEXT NOT NULL,
            unit_id    TEXT,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            used_at    BIGINT,
            device_id  TEXT
        )",
        "CREATE TABLE enrol_attempts (
            id BIGSERIAL PRIMARY KEY,
            ip TEXT NOT NULL,
            at BIGINT NOT NULL,
            ok INTEGER NOT NULL
        )",
        "CREATE INDEX enrol_attempts_ip_at ON enrol_attempts (ip, at)",
        "CREATE INDEX enrol_attempts_at ON enrol_attempts (at)",
    ],
    &[
        "CREATE TABLE districts (
            id          TEXT PRIMARY KEY NOT NULL,
            name        TEXT NOT NULL,
            document_id TEXT NOT NULL UNIQUE,
            created_at  BIGINT NOT NULL
        )",
        "ALTER TABLE devices ADD COLUMN district_id TEXT",
        "ALTER TABLE enrolment_codes ADD COLUMN district_id TEXT",
        "CREATE INDEX devices_district ON devices (district_id)",
    ],
];

/// [`Storage`](super::Storage) in a PostgreSQL database, via a sqlx pool
/// whose every connection commits with `synchronous_commit = on`.
#[derive(Debug, Clone)]
pub struct PgStorage {
    pool: PgPool,
    storage_id: String,
}

impl PgStorage {
    /// Connect to `url` (`postgres://USER[:PASSWORD]@HOST:PORT/DB`; a
    /// password may also come from `PGPASSWORD` or `~/.pgpass`), set up the
    /// schema and load or generate the `storage_id`. The database must
    /// exist; the role needs to create tables in it (first start, upgrades).
    pub async fn open(url: &str) -> Result<Self> {
        let options = PgConnectOptions::from_str(url)?.application_name("yanzhen-server");
        let pool = PgPoolOptions::new()
            .max_connections(PG_MAX_CONNECTIONS)
            .acquire_timeout(PG_ACQUIRE_TIMEOUT)
            .after_connect(|conn, _meta| {
                Box::pin(async move {
                    // Durable commits whatever the role or database says
                    // (see the module docs).
                    sqlx::query("SET synchronous_commit = on")
                        .execute(&mut *conn)
                        .await?;
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        let fsync: Option<String> = sqlx::query_scalar("SHOW fsync")
            .fetch_optional(&pool)
            .await
            .ok()
            .flatten();
        if fsync.as_deref() == Some("off") {
            tracing::warn!(
                "PostgreSQL runs with fsync = off: acknowledged changes may be lost on a power cut"
            );
        }
        let db = Db::Postgres(pool.clone());
        migrate(&db).await?;
        let storage_id = load_storage_id(&db).await?;
        Ok(Self { pool, storage_id })
    }

    /// The underlying pool (shared with the access-control tables).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// The same pool as a [`Db`] (for [`crate::AuthStore::new`]).
    pub fn db(&self) -> Db {
        Db::Postgres(self.pool.clone())
    }
}

impl_sql_storage!(PgStorage);
