//! Keyed blob storage for the sync layer (automerge-repo chunks), behind the
//! [`Storage`] trait, on SQLite ([`SqliteStorage`], the default) or
//! PostgreSQL ([`PgStorage`]), chosen by a [`DatabaseTarget`]
//! (`--data DIR`, `--database sqlite://PATH`, `--database postgres://…`).
//!
//! Keys are `/`-joined automerge-repo storage-key paths such as
//! `docId/incremental/hash` or `docId/snapshot/hash`. [`Storage::list_prefix`]
//! matches plain string prefixes, so to list one document pass `"docId/"` with
//! the trailing slash (otherwise `doc1` would also match `doc10/...`).
//!
//! The database also holds a `meta` table with a stable server `storage_id`
//! (a random UUID generated on first open and kept), which the sync protocol
//! announces to peers, and the schema version; the schema is built by
//! versioned migrations, one list per backend with the same versions
//! ([`MIGRATIONS`] for SQLite, [`PG_MIGRATIONS`] for PostgreSQL; version 2
//! adds the access-control tables used by [`crate::auth`], version 3 the
//! city's districts ([`crate::city`]) and the district of each device and
//! code).
//!
//! Both backends run the same SQL where they can: `$1`-style parameters
//! (SQLite reads them by number too), `INSERT … ON CONFLICT`, `substr` and
//! `length`. [`Db`] is the database of either kind (a sqlx pool), shared by
//! the storage and the access-control tables; `with_db!` runs one piece of
//! code on whichever pool it holds.
//!
//! # Durability
//!
//! A write returns only once it is committed durably. SQLite: every
//! connection of the pool runs in WAL mode with `synchronous = FULL`
//! ([`SqliteStorage::open`]): a commit returns only after the WAL has been
//! fsynced, so a change the server acknowledged survives a power cut, not
//! only the process being killed (with `NORMAL` the last commits before a
//! power loss could be rolled back). PostgreSQL: every connection sets
//! `synchronous_commit = on` (the default, set anyway so a role or database
//! setting cannot turn it off): a commit returns once its WAL is flushed
//! ([`PgStorage::open`]). The access-control tables ([`crate::auth`]) live
//! in the same database and pool.
//!
//! Long file: the storage trait, the backend choice, both migration lists and
//! the shared SQL implementation macro belong together (one schema for two
//! databases).

mod postgres;
mod sqlite;

use std::{
    future::Future,
    path::PathBuf,
    pin::Pin,
    sync::Arc,
    time::{SystemTime, UNIX_EPOCH},
};

use sqlx::{PgPool, SqlitePool};

pub use self::{
    postgres::{PG_MAX_CONNECTIONS, PG_MIGRATIONS, PgStorage},
    sqlite::{MIGRATIONS, SQLITE_FILE_NAME, SqliteStorage},
};
use crate::{Error, Result};

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

/// `(key, value)` pairs returned by [`Storage::list_prefix`].
pub type Entries = Vec<(String, Vec<u8>)>;

/// Async keyed blob storage. Implemented by [`SqliteStorage`] and
/// [`PgStorage`].
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

    /// The keys (without values) that start with `prefix`, ordered by key.
    /// Defaults to [`Storage::list_prefix`].
    fn list_keys<'a>(&'a self, prefix: &'a str) -> BoxFuture<'a, Result<Vec<String>>> {
        Box::pin(async move {
            Ok(self
                .list_prefix(prefix)
                .await?
                .into_iter()
                .map(|(k, _)| k)
                .collect())
        })
    }

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

/// The server's database, of either kind: the pool shared by the storage
/// and the access-control tables ([`crate::AuthStore`]). Cheap to clone.
#[derive(Debug, Clone)]
pub enum Db {
    /// SQLite (WAL, `synchronous = FULL`).
    Sqlite(SqlitePool),
    /// PostgreSQL (`synchronous_commit = on`).
    Postgres(PgPool),
}

impl From<SqlitePool> for Db {
    fn from(pool: SqlitePool) -> Self {
        Db::Sqlite(pool)
    }
}

impl From<PgPool> for Db {
    fn from(pool: PgPool) -> Self {
        Db::Postgres(pool)
    }
}

impl Db {
    /// `"sqlite"` or `"postgres"` (for logs).
    pub fn kind(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// Close the pool.
    pub async fn close(&self) {
        with_db!(self, pool => pool.close().await)
    }
}

/// Runs `$body` with `$pool` bound to the pool of the [`Db`] `$db`
/// (`&SqlitePool` or `&PgPool`): the same code, compiled once per backend.
macro_rules! with_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::storage::Db::Sqlite($pool) => $body,
            $crate::storage::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_db;

/// Where the server keeps its data: `--data DIR` (SQLite at
/// `DIR/yanzhen.sqlite`, the default) or `--database URL`
/// (`sqlite://PATH` or `postgres://USER@HOST:PORT/DB`).
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseTarget {
    /// A SQLite database file (created, with its directory, if missing).
    Sqlite(PathBuf),
    /// A PostgreSQL URL (`postgres://` or `postgresql://`; the database
    /// must exist, the tables are made by the migrations).
    Postgres(String),
}

impl DatabaseTarget {
    /// SQLite in a data directory (`--data`): `dir/yanzhen.sqlite`.
    pub fn data_dir(dir: &std::path::Path) -> Self {
        DatabaseTarget::Sqlite(dir.join(SQLITE_FILE_NAME))
    }

    /// The target for logs: a PostgreSQL URL without its password.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseTarget::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseTarget::Postgres(url) => redact_url(url),
        }
    }
}

impl std::fmt::Debug for DatabaseTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl std::fmt::Display for DatabaseTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// `scheme://user:secret@host/…` → `scheme://user:***@host/…`.
fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

impl std::str::FromStr for DatabaseTarget {
    type Err = Error;

    /// `sqlite://PATH` (or `sqlite:PATH`; `sqlite:///abs/path` is absolute),
    /// `postgres://…` or `postgresql://…`.
    fn from_str(s: &str) -> Result<Self> {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            return Ok(DatabaseTarget::Postgres(s.to_owned()));
        }
        if let Some(rest) = s.strip_prefix("sqlite:") {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            if path.is_empty() {
                return Err(Error::DatabaseUrl(format!(
                    "{s:?}: no file (sqlite://PATH)"
                )));
            }
            return Ok(DatabaseTarget::Sqlite(PathBuf::from(path)));
        }
        Err(Error::DatabaseUrl(format!(
            "{:?}: use sqlite://PATH or postgres://USER@HOST:PORT/DB",
            redact_url(s)
        )))
    }
}

/// An opened database: the document storage and, on the same pool, the
/// [`Db`] for the access-control tables.
#[derive(Clone)]
pub struct Opened {
    /// Document storage.
    pub storage: Arc<dyn Storage>,
    /// The same database (for [`crate::AuthStore::new`]).
    pub db: Db,
}

/// Open (creating if needed, migrating) the database of `target`.
pub async fn open(target: &DatabaseTarget) -> Result<Opened> {
    Ok(match target {
        DatabaseTarget::Sqlite(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|source| Error::DataDir {
                    path: dir.to_owned(),
                    source,
                })?;
            }
            let s = SqliteStorage::open(path).await?;
            Opened {
                db: s.db(),
                storage: Arc::new(s),
            }
        }
        DatabaseTarget::Postgres(url) => {
            let s = PgStorage::open(url).await?;
            Opened {
                db: s.db(),
                storage: Arc::new(s),
            }
        }
    })
}

/// The schema version of a database [`migrate`]d by this build (the same
/// for both backends).
pub fn schema_version() -> u64 {
    debug_assert_eq!(MIGRATIONS.len(), PG_MIGRATIONS.len());
    MIGRATIONS.len() as u64
}

/// Brings the database to [`schema_version`]: runs every migration above the
/// stored `meta.schema_version` (absent: 0; SQLite databases made before
/// versioned migrations say `1`), each in its own transaction with the
/// version bump. A database newer than this build is refused.
pub async fn migrate(db: &Db) -> Result<()> {
    let (has_meta, migrations) = match db {
        Db::Sqlite(_) => (
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
            MIGRATIONS,
        ),
        Db::Postgres(_) => (
            "SELECT 1 FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name = 'meta'",
            PG_MIGRATIONS,
        ),
    };
    with_db!(db, pool => {
        let has_meta = sqlx::query(has_meta).fetch_optional(pool).await?.is_some();
        let mut current: u64 = if has_meta {
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
            for statement in migrations[current as usize] {
                sqlx::query(statement).execute(&mut *tx).await?;
            }
            current += 1;
            sqlx::query(
                "INSERT INTO meta (key, value) VALUES ('schema_version', $1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(current.to_string())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            tracing::info!(version = current, db = db.kind(), "database schema migrated");
        }
        Ok(())
    })
}

/// The stored `storage_id`, made (a fresh UUID) if there is none yet.
async fn load_storage_id(db: &Db) -> Result<String> {
    with_db!(db, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ('storage_id', $1)
             ON CONFLICT (key) DO NOTHING",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .execute(&mut *tx)
        .await?;
        let storage_id: String =
            sqlx::query_scalar("SELECT value FROM meta WHERE key = 'storage_id'")
                .fetch_one(&mut *tx)
                .await?;
        tx.commit().await?;
        Ok(storage_id)
    })
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

/// Upsert of one document chunk (both backends).
const PUT_SQL: &str = "INSERT INTO documents (key, value, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";

/// Upsert of one `meta` value (both backends).
const META_PUT_SQL: &str = "INSERT INTO meta (key, value) VALUES ($1, $2)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value";

/// The least key greater than every key that starts with `prefix`, in
/// byte order (SQLite's BINARY, PostgreSQL's COLLATE "C"), when it is
/// easy to name: `prefix` with its last character, an ASCII one below
/// DEL, raised by one ("doc1/" → "doc10"). `None` for an empty prefix or
/// one ending otherwise: the listing then scans on from `prefix` (still
/// correct, just not an index range). Our keys are ASCII (document ids,
/// chunk kinds, hex hashes).
pub(crate) fn prefix_end(prefix: &str) -> Option<String> {
    let last = prefix.chars().last()?;
    if !last.is_ascii() || last == '\u{7f}' {
        return None;
    }
    let mut end = prefix[..prefix.len() - 1].to_owned();
    end.push(char::from(last as u8 + 1));
    Some(end)
}

/// The query of a prefix listing (`$1` the prefix, `$2` its
/// [`prefix_end`] when `bounded`), selecting `columns` in key order. The
/// `substr` test is what decides; `key >= $1 AND key < $2` makes the scan
/// an index range (byte order on both backends). Without an upper bound
/// PostgreSQL read the whole table on every listing (the city bench).
pub(crate) fn prefix_listing(columns: &str, bounded: bool) -> String {
    let upper = if bounded { " AND key < $2" } else { "" };
    format!(
        "SELECT {columns} FROM documents
         WHERE key >= $1{upper} AND substr(key, 1, length($1)) = $1
         ORDER BY key"
    )
}

/// [`Storage`] for a struct with fields `pool` (a sqlx pool of either
/// kind) and `storage_id`: the same SQL on both backends.
macro_rules! impl_sql_storage {
    ($ty:ty) => {
        impl $crate::storage::Storage for $ty {
            fn storage_id(&self) -> &str {
                &self.storage_id
            }

            fn get<'a>(
                &'a self,
                key: &'a str,
            ) -> $crate::storage::BoxFuture<'a, $crate::Result<Option<Vec<u8>>>> {
                Box::pin(async move {
                    $crate::storage::check_key(key)?;
                    let value = sqlx::query_scalar("SELECT value FROM documents WHERE key = $1")
                        .bind(key)
                        .fetch_optional(&self.pool)
                        .await?;
                    Ok(value)
                })
            }

            fn put<'a>(
                &'a self,
                key: &'a str,
                value: &'a [u8],
            ) -> $crate::storage::BoxFuture<'a, $crate::Result<()>> {
                Box::pin(async move {
                    $crate::storage::check_key(key)?;
                    sqlx::query($crate::storage::PUT_SQL)
                        .bind(key)
                        .bind(value)
                        .bind($crate::storage::now_millis())
                        .execute(&self.pool)
                        .await?;
                    Ok(())
                })
            }

            fn delete<'a>(
                &'a self,
                key: &'a str,
            ) -> $crate::storage::BoxFuture<'a, $crate::Result<()>> {
                Box::pin(async move {
                    $crate::storage::check_key(key)?;
                    sqlx::query("DELETE FROM documents WHERE key = $1")
                        .bind(key)
                        .execute(&self.pool)
                        .await?;
                    Ok(())
                })
            }

            fn list_prefix<'a>(
                &'a self,
                prefix: &'a str,
            ) -> $crate::storage::BoxFuture<'a, $crate::Result<$crate::storage::Entries>> {
                Box::pin(async move {
                    // substr/length count characters consistently, and
                    // unlike LIKE there are no wildcards to escape; the
                    // bounds make the scan an index range (`prefix_listing`).
                    let end = $crate::storage::prefix_end(prefix);
                    let sql = $crate::storage::prefix_listing("key, value", end.is_some());
                    let mut query = sqlx::query_as(&sql).bind(prefix);
                    if let Some(end) = end {
                        query = query.bind(end);
                    }
                    let rows: Vec<(String, Vec<u8>)> = query.fetch_all(&self.pool).await?;
                    Ok(rows)
                })
            }

            fn list_keys<'a>(
                &'a self,
                prefix: &'a str,
            ) -> $crate::storage::BoxFuture<'a, $crate::Result<Vec<String>>> {
                Box::pin(async move {
                    let end = $crate::storage::prefix_end(prefix);
                    let sql = $crate::storage::prefix_listing("key", end.is_some());
                    let mut query = sqlx::query_scalar(&sql).bind(prefix);
                    if let Some(end) = end {
                        query = query.bind(end);
                    }
                    let keys: Vec<String> = query.fetch_all(&self.pool).await?;
                    Ok(keys)
                })
            }

            fn put_all<'a>(
                &'a self,
                entries: &'a [(String, Vec<u8>)],
            ) -> $crate::storage::BoxFuture<'a, $crate::Result<()>> {
                Box::pin(async move {
                    for (key, _) in entries {
                        $crate::storage::check_key(key)?;
                    }
                    let now = $crate::storage::now_millis();
                    let mut tx = self.pool.begin().await?;
                    for (key, value) in entries {
                        sqlx::query($crate::storage::PUT_SQL)
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

            fn meta_get<'a>(
                &'a self,
                key: &'a str,
            ) -> $crate::storage::BoxFuture<'a, $crate::Result<Option<String>>> {
                Box::pin(async move {
                    let value = sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
                        .bind(key)
                        .fetch_optional(&self.pool)
                        .await?;
                    Ok(value)
                })
            }

            fn meta_put<'a>(
                &'a self,
                key: &'a str,
                value: &'a str,
            ) -> $crate::storage::BoxFuture<'a, $crate::Result<()>> {
                Box::pin(async move {
                    sqlx::query($crate::storage::META_PUT_SQL)
                        .bind(key)
                        .bind(value)
                        .execute(&self.pool)
                        .await?;
                    Ok(())
                })
            }

            fn is_empty(&self) -> $crate::storage::BoxFuture<'_, $crate::Result<bool>> {
                Box::pin(async move {
                    let any = sqlx::query("SELECT 1 FROM documents LIMIT 1")
                        .fetch_optional(&self.pool)
                        .await?;
                    Ok(any.is_none())
                })
            }

            fn ping(&self) -> $crate::storage::BoxFuture<'_, $crate::Result<()>> {
                Box::pin(async move {
                    sqlx::query("SELECT 1").execute(&self.pool).await?;
                    Ok(())
                })
            }

            fn probe_write(&self) -> $crate::storage::BoxFuture<'_, $crate::Result<()>> {
                Box::pin(async move {
                    // One small row, rewritten in place: a real
                    // transaction, committed durably like a document write.
                    sqlx::query($crate::storage::META_PUT_SQL)
                        .bind($crate::storage::META_HEALTH_PROBE)
                        .bind($crate::storage::now_millis().to_string())
                        .execute(&self.pool)
                        .await?;
                    Ok(())
                })
            }

            fn close(&self) -> $crate::storage::BoxFuture<'_, ()> {
                Box::pin(self.pool.close())
            }
        }
    };
}
use impl_sql_storage;

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests;
