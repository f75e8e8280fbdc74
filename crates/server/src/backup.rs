//! `yanzhen-server backup --to FILE`: an online, consistent copy of the
//! SQLite database — documents, devices, enrolment codes and the `meta`
//! table with the server's keys and storage id — taken while the server
//! runs.
//!
//! The copy is made by `VACUUM INTO` on a connection of its own: SQLite
//! writes a transactionally consistent snapshot of the database (WAL
//! included) to a new file while the server keeps writing (a WAL reader
//! does not block writers). It goes to a temporary name beside the target,
//! is checked (`PRAGMA integrity_check`, same storage id and schema
//! version), fsynced, and only then linked to the target name — so a
//! half-written backup never carries the target's name, and an existing
//! file is never replaced unless `--force` is given. A plain file copy of
//! a WAL database is not a backup (it may miss the WAL or tear a page).
//! The file is readable by its owner only (mode 0600): it holds personal
//! data and the server's secret keys.
//!
//! The database is never created or migrated here: a backup taken by a
//! newer binary does not upgrade the schema under a running older server.
//!
//! PostgreSQL is backed up with PostgreSQL's own tools (`pg_dump -Fc`,
//! `pg_restore`; see the README); `backup` says so.

use std::{
    path::{Path, PathBuf},
    str::FromStr as _,
    time::Duration,
};

use sqlx::{
    Connection as _,
    sqlite::{SqliteConnectOptions, SqliteConnection},
};

use crate::{DatabaseTarget, Error, Result};

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    /// The backup file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// The storage id it holds (the server's).
    pub storage_id: String,
    /// Its schema version.
    pub schema_version: String,
}

/// The message for `backup` on PostgreSQL.
pub const POSTGRES_HINT: &str = "backup makes SQLite backups only; back a PostgreSQL database up \
with `pg_dump -Fc -f yanzhen.dump DBNAME` and restore it with `pg_restore -d DBNAME \
yanzhen.dump` (see the README, \"Backup and restore\")";

fn backup_error(msg: impl Into<String>) -> Error {
    Error::Backup(msg.into())
}

/// Backs up the database of `target` to `to` (see the module docs);
/// refuses to replace an existing `to` unless `overwrite`.
pub async fn backup(target: &DatabaseTarget, to: &Path, overwrite: bool) -> Result<BackupReport> {
    match target {
        DatabaseTarget::Sqlite(path) => backup_sqlite(path, to, overwrite).await,
        DatabaseTarget::Postgres(_) => Err(backup_error(POSTGRES_HINT)),
    }
}

/// Opens the existing SQLite database `path` without creating or migrating
/// it; `(storage_id, schema_version)` from its `meta` table.
async fn open_existing(path: &Path, read_only: bool) -> Result<(SqliteConnection, String, String)> {
    if !path.is_file() {
        return Err(backup_error(format!(
            "no database at {} (check --data / --database)",
            path.display()
        )));
    }
    let options = SqliteConnectOptions::from_str("sqlite:")?
        .filename(path)
        .create_if_missing(false)
        .read_only(read_only)
        // No journal mode is set: the file keeps its own (WAL for the
        // server's database).
        .busy_timeout(Duration::from_secs(30));
    let mut conn = SqliteConnection::connect_with(&options).await?;
    let meta = |key: &'static str| {
        sqlx::query_scalar::<_, String>("SELECT value FROM meta WHERE key = $1").bind(key)
    };
    let storage_id = meta("storage_id").fetch_optional(&mut conn).await;
    let version = meta("schema_version").fetch_optional(&mut conn).await;
    match (storage_id, version) {
        (Ok(Some(id)), Ok(Some(v))) => Ok((conn, id, v)),
        _ => {
            let _ = conn.close().await;
            Err(backup_error(format!(
                "{} is not a Yanzhen database (no storage id or schema version)",
                path.display()
            )))
        }
    }
}

/// The SQLite backup (see the module docs).
pub async fn backup_sqlite(db: &Path, to: &Path, overwrite: bool) -> Result<BackupReport> {
    if to.exists() && !overwrite {
        return Err(backup_error(format!(
            "{} exists; choose another file or pass --force to replace it",
            to.display()
        )));
    }
    let name = to
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| backup_error(format!("{}: not a file name", to.display())))?;
    let dir = match to.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(backup_error(format!("no directory {}", dir.display())));
    }
    let tmp = dir.join(format!(".{name}.partial-{}", std::process::id()));
    let tmp_str = tmp
        .to_str()
        .ok_or_else(|| backup_error(format!("{}: not UTF-8", tmp.display())))?
        .to_owned();
    // A leftover of an earlier attempt by a process with our pid.
    let _ = std::fs::remove_file(&tmp);

    let result = async {
        let (mut conn, storage_id, schema_version) = open_existing(db, false).await?;
        // Made empty first, readable by its owner only: SQLite writes into
        // an empty file and keeps its mode (the backup holds secrets).
        let mut new_file = std::fs::OpenOptions::new();
        new_file.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut new_file, 0o600);
        new_file.open(&tmp)?;
        let vacuumed = sqlx::query("VACUUM INTO $1")
            .bind(&tmp_str)
            .execute(&mut conn)
            .await;
        let _ = conn.close().await;
        vacuumed?;

        // The copy is checked before it gets the target's name.
        let (mut copy, copy_id, copy_version) = open_existing(&tmp, true).await?;
        let check: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&mut copy)
            .await?;
        let _ = copy.close().await;
        if check != ["ok"] {
            return Err(backup_error(format!(
                "the copy failed its integrity check: {}",
                check.join("; ")
            )));
        }
        if copy_id != storage_id || copy_version != schema_version {
            return Err(backup_error(
                "the copy's storage id or schema version differs",
            ));
        }
        std::fs::File::open(&tmp)?.sync_all()?;
        if overwrite {
            std::fs::rename(&tmp, to)?;
        } else {
            // A hard link fails if the target appeared meanwhile: no race
            // replaces a file we were told not to touch.
            std::fs::hard_link(&tmp, to).map_err(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    backup_error(format!("{} exists; not replaced", to.display()))
                } else {
                    Error::Io(e)
                }
            })?;
            std::fs::remove_file(&tmp)?;
        }
        // The new name is durable too.
        std::fs::File::open(&dir)?.sync_all()?;
        let bytes = std::fs::metadata(to)?.len();
        Ok(BackupReport {
            path: to.to_owned(),
            bytes,
            storage_id,
            schema_version,
        })
    }
    .await;
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SqliteStorage, Storage as _};

    #[tokio::test]
    async fn backup_copies_everything_and_never_replaces_silently() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("live.sqlite");
        let live = SqliteStorage::open(&db).await.unwrap();
        live.put("doc/snapshot/a", b"one").await.unwrap();
        live.meta_put("server_signing_key", "secret").await.unwrap();
        let to = dir.path().join("backup.sqlite");

        // While the live pool is open (WAL not checkpointed).
        let report = backup_sqlite(&db, &to, false).await.unwrap();
        assert_eq!(report.storage_id, live.storage_id());
        assert!(report.bytes > 0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&to).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        }
        live.put("doc/snapshot/b", b"two").await.unwrap();

        let again = backup_sqlite(&db, &to, false).await.unwrap_err();
        assert!(again.to_string().contains("--force"), "{again}");
        let copy = SqliteStorage::open(&to).await.unwrap();
        assert_eq!(copy.storage_id(), live.storage_id());
        assert_eq!(copy.get("doc/snapshot/a").await.unwrap().unwrap(), b"one");
        assert_eq!(copy.get("doc/snapshot/b").await.unwrap(), None);
        assert_eq!(
            copy.meta_get("server_signing_key")
                .await
                .unwrap()
                .as_deref(),
            Some("secret")
        );
        copy.close().await;

        backup_sqlite(&db, &to, true).await.unwrap();
        let copy = SqliteStorage::open(&to).await.unwrap();
        assert_eq!(copy.get("doc/snapshot/b").await.unwrap().unwrap(), b"two");
        copy.close().await;
        live.close().await;
        // No temporary file left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.contains("partial"))
            .collect();
        assert!(names.is_empty(), "{names:?}");
    }

    #[tokio::test]
    async fn backup_refuses_what_is_not_a_database_and_postgres() {
        let dir = tempfile::tempdir().unwrap();
        let missing = backup_sqlite(&dir.path().join("none"), &dir.path().join("b"), false)
            .await
            .unwrap_err();
        assert!(missing.to_string().contains("no database"), "{missing}");
        assert!(!dir.path().join("none").exists(), "nothing created");
        let pg = backup(
            &DatabaseTarget::Postgres("postgres://u@127.0.0.1:1/db".into()),
            &dir.path().join("b"),
            false,
        )
        .await
        .unwrap_err();
        assert!(pg.to_string().contains("pg_dump"), "{pg}");
    }
}
