//! Storage tests: every behaviour on both backends (`on_both_backends!`),
//! plus each backend's durability settings.

use std::str::FromStr as _;

use super::testing::{Backend, TestDb, on_both_backends};
use super::*;

on_both_backends! {
    async fn put_get_list_delete_round_trip(backend) {
        let db = TestDb::new(backend);
        let opened = db.open().await;
        let s: &dyn Storage = &*opened.storage;

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
        // Every byte value survives (BLOB / BYTEA).
        let all: Vec<u8> = (0..=255).collect();
        s.put("bytes/x", &all).await.unwrap();
        assert_eq!(s.get("bytes/x").await.unwrap(), Some(all));
        s.ping().await.unwrap();
        s.probe_write().await.unwrap();
        assert!(s.meta_get(META_HEALTH_PROBE).await.unwrap().is_some());
        s.close().await;
        if let DatabaseTarget::Sqlite(path) = &db.target {
            assert!(path.is_file());
        }
    }

    /// Keys are listed in byte order (as automerge-repo's keys compare),
    /// whatever the database's collation (the test cluster's is ICU `en`,
    /// where `a/B` < `a/a`), and prefixes match exactly, case and all.
    async fn keys_are_listed_in_byte_order(backend) {
        let db = TestDb::new(backend);
        let s = db.open().await.storage;
        let keys = ["a/é", "a/a", "a/Z", "a/B", "a/_", "a-b/x", "a/10", "a/9", "A/x"];
        for k in keys {
            s.put(k, k.as_bytes()).await.unwrap();
        }
        let mut want: Vec<&str> = keys.iter().copied().filter(|k| k.starts_with("a/")).collect();
        want.sort_unstable();
        let listed: Vec<String> = s
            .list_prefix("a/")
            .await
            .unwrap()
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(listed, want);
        let all: Vec<String> = s.list_prefix("").await.unwrap().into_iter().map(|(k, _)| k).collect();
        let mut sorted = keys.to_vec();
        sorted.sort_unstable();
        assert_eq!(all, sorted);
        assert_eq!(s.list_prefix("A/").await.unwrap().len(), 1);
        assert_eq!(s.list_prefix("a/é").await.unwrap().len(), 1);
        s.close().await;
    }

    /// The listing's upper bound (an index range) keeps every key with the
    /// prefix and nothing else, next to the bound itself and where there
    /// is no bound (a prefix ending in DEL or a non-ASCII character).
    async fn prefix_listing_is_exact_at_its_bounds(backend) {
        let db = TestDb::new(backend);
        let s = db.open().await.storage;
        let keys = [
            "d/a", "d/a/1", "d/a~", "d/a\u{7f}", "d/b", "d/`", "d/ab", "d/é", "d/é/x", "d/ê",
            "d/\u{7f}", "d/\u{7f}x", "e",
        ];
        for k in keys {
            s.put(k, k.as_bytes()).await.unwrap();
        }
        for prefix in ["d/a", "d/", "d/é", "d/\u{7f}", "d", "d/a/", "z"] {
            let mut want: Vec<String> = keys
                .iter()
                .filter(|k| k.starts_with(prefix))
                .map(|k| k.to_string())
                .collect();
            want.sort_unstable();
            let pairs: Vec<String> = s
                .list_prefix(prefix)
                .await
                .unwrap()
                .into_iter()
                .map(|(k, _)| k)
                .collect();
            assert_eq!(pairs, want, "list_prefix({prefix:?})");
            assert_eq!(s.list_keys(prefix).await.unwrap(), want, "list_keys({prefix:?})");
        }
        s.close().await;
    }

    async fn storage_id_is_stable_across_restarts(backend) {
        let db = TestDb::new(backend);
        let first = db.open().await.storage;
        let id = first.storage_id().to_owned();
        uuid::Uuid::parse_str(&id).expect("storage_id is a UUID");
        first.put("k", b"v").await.unwrap();
        first.close().await;

        let second = db.open().await.storage;
        assert_eq!(second.storage_id(), id);
        assert_eq!(second.get("k").await.unwrap().as_deref(), Some(&b"v"[..]));
        second.close().await;

        let other = TestDb::new(backend);
        let third = other.open().await.storage;
        assert_ne!(third.storage_id(), id, "a fresh database gets a fresh id");
        third.close().await;
    }

    async fn put_all_meta_and_is_empty(backend) {
        let db = TestDb::new(backend);
        let s = db.open().await.storage;
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

    /// A batch the database refuses half-way (here a trigger, as a full
    /// disk would) leaves nothing behind, and the error reaches the caller.
    async fn a_refused_batch_writes_nothing(backend) {
        let db = TestDb::new(backend);
        let opened = db.open().await;
        let s = opened.storage;
        let statements: &[&str] = match backend {
            Backend::Sqlite => &["CREATE TRIGGER refuse BEFORE INSERT ON documents
                 WHEN NEW.key = 'a/2'
                 BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"],
            Backend::Postgres => &[
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN
                   IF NEW.key = 'a/2' THEN
                     RAISE EXCEPTION 'could not extend file: No space left on device'
                       USING ERRCODE = 'disk_full';
                   END IF;
                   RETURN NEW;
                 END $$",
                "CREATE TRIGGER refuse BEFORE INSERT ON documents
                 FOR EACH ROW EXECUTE PROCEDURE refuse()",
            ],
        };
        with_db!(&opened.db, pool => for statement in statements {
            sqlx::query(statement).execute(pool).await.unwrap();
        });
        let batch = vec![
            ("a/1".to_owned(), b"x".to_vec()),
            ("a/2".to_owned(), b"y".to_vec()),
        ];
        let err = s.put_all(&batch).await.unwrap_err();
        assert!(matches!(err, Error::Db(_)), "{err}");
        let text = err.to_string();
        assert!(text.contains("full") || text.contains("No space"), "{text}");
        assert!(s.is_empty().await.unwrap());
        assert!(s.put("a/2", b"y").await.is_err());
        s.put("a/1", b"x").await.unwrap();
        s.close().await;
    }

    async fn migrations_run_once_and_newer_databases_are_refused(backend) {
        let db = TestDb::new(backend);
        let s = db.open().await.storage;
        assert_eq!(
            s.meta_get("schema_version").await.unwrap().as_deref(),
            Some(schema_version().to_string().as_str())
        );
        s.put("k", b"v").await.unwrap();
        s.close().await;
        // Reopening changes nothing.
        let s = db.open().await.storage;
        assert_eq!(s.get("k").await.unwrap().as_deref(), Some(&b"v"[..]));
        // A newer database is refused.
        s.meta_put("schema_version", "99").await.unwrap();
        s.close().await;
        assert!(matches!(open(&db.target).await, Err(Error::Schema(_))));
    }

    /// A database made before versioned migrations (version 1, no
    /// access-control tables) gets them and keeps its data.
    async fn version_1_databases_are_upgraded(backend) {
        let db = TestDb::new(backend);
        let raw = db.raw().await;
        let first = match backend {
            Backend::Sqlite => MIGRATIONS[0],
            Backend::Postgres => PG_MIGRATIONS[0],
        };
        with_db!(&raw, pool => {
            for statement in first {
                sqlx::query(statement).execute(pool).await.unwrap();
            }
            sqlx::query("INSERT INTO meta VALUES ('schema_version', '1'), ('storage_id', 'old')")
                .execute(pool)
                .await
                .unwrap();
            sqlx::query("INSERT INTO documents VALUES ('d/snapshot/x', $1, 0)")
                .bind(vec![1u8])
                .execute(pool)
                .await
                .unwrap();
        });
        raw.close().await;
        let opened = db.open().await;
        let s = opened.storage;
        assert_eq!(s.storage_id(), "old");
        assert_eq!(
            s.get("d/snapshot/x").await.unwrap().as_deref(),
            Some(&[1u8][..])
        );
        let n: i64 = with_db!(&opened.db, pool => sqlx::query_scalar("SELECT count(*) FROM devices")
            .fetch_one(pool)
            .await
            .unwrap());
        assert_eq!(n, 0);
        s.close().await;
    }
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

#[test]
fn database_targets_parse_and_hide_passwords() {
    let t = |s: &str| DatabaseTarget::from_str(s);
    assert_eq!(
        t("sqlite:///var/lib/yz.sqlite").unwrap(),
        DatabaseTarget::Sqlite("/var/lib/yz.sqlite".into())
    );
    assert_eq!(
        t("sqlite://data/yz.sqlite").unwrap(),
        DatabaseTarget::Sqlite("data/yz.sqlite".into())
    );
    assert_eq!(
        t("sqlite:yz.sqlite").unwrap(),
        DatabaseTarget::Sqlite("yz.sqlite".into())
    );
    assert!(matches!(t("sqlite://"), Err(Error::DatabaseUrl(_))));
    let pg = t("postgres://yz:s3cret@db.example:5432/yanzhen").unwrap();
    assert!(matches!(pg, DatabaseTarget::Postgres(_)));
    assert_eq!(pg.to_string(), "postgres://yz:***@db.example:5432/yanzhen");
    assert!(!format!("{pg:?}").contains("s3cret"));
    assert_eq!(
        t("postgresql://yz@db/yanzhen").unwrap().to_string(),
        "postgresql://yz@db/yanzhen"
    );
    let bad = t("mysql://u:pw@h/db").unwrap_err().to_string();
    assert!(bad.contains("postgres://") && !bad.contains("pw"), "{bad}");
    assert_eq!(
        DatabaseTarget::data_dir(std::path::Path::new("d")),
        DatabaseTarget::Sqlite("d/yanzhen.sqlite".into())
    );
}

#[tokio::test]
async fn sqlite_opens_a_nested_data_dir_and_uses_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let storage = SqliteStorage::open_dir(&dir.path().join("nested/data"))
        .await
        .unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(storage.pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    storage.close().await;
    assert!(
        dir.path()
            .join("nested/data")
            .join(SQLITE_FILE_NAME)
            .is_file()
    );
    // `--database sqlite://PATH` creates the file's directory too.
    let target = DatabaseTarget::Sqlite(dir.path().join("other/dir/x.sqlite"));
    open(&target).await.unwrap().storage.close().await;
    assert!(dir.path().join("other/dir/x.sqlite").is_file());
}

/// Every connection of the pool (the documents' and the access-control
/// tables', which share it) commits with `synchronous = FULL` (2):
/// `NORMAL` (1) would lose acknowledged changes on a power cut.
#[tokio::test]
async fn every_sqlite_connection_is_synchronous_full() {
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

/// Every connection of the pool commits with `synchronous_commit = on`,
/// even where the role's own setting says `off`.
#[tokio::test]
async fn every_postgres_connection_commits_synchronously() {
    let db = TestDb::new(Backend::Postgres);
    let DatabaseTarget::Postgres(url) = &db.target else {
        unreachable!()
    };
    let raw = sqlx::PgPool::connect(url).await.unwrap();
    sqlx::query("ALTER ROLE CURRENT_USER SET synchronous_commit = off")
        .execute(&raw)
        .await
        .unwrap();
    raw.close().await;
    // The setting applies to new sessions: a plain one sees it…
    let plain = sqlx::PgPool::connect(url).await.unwrap();
    let level: String = sqlx::query_scalar("SHOW synchronous_commit")
        .fetch_one(&plain)
        .await
        .unwrap();
    assert_eq!(level, "off");
    plain.close().await;
    // …the server's do not.
    let storage = PgStorage::open(url).await.unwrap();
    let mut held = Vec::new();
    for _ in 0..PG_MAX_CONNECTIONS {
        held.push(storage.pool().acquire().await.unwrap());
    }
    for conn in &mut held {
        let level: String = sqlx::query_scalar("SHOW synchronous_commit")
            .fetch_one(&mut **conn)
            .await
            .unwrap();
        assert_eq!(level, "on");
    }
    drop(held);
    storage.close().await;
}

#[test]
fn a_prefix_ends_where_its_last_ascii_character_is_raised() {
    assert_eq!(prefix_end("doc1/").as_deref(), Some("doc10"));
    assert_eq!(prefix_end("a").as_deref(), Some("b"));
    assert_eq!(prefix_end("a~").as_deref(), Some("a\u{7f}"));
    assert_eq!(prefix_end(""), None);
    assert_eq!(prefix_end("a\u{7f}"), None);
    assert_eq!(prefix_end("区"), None);
}
