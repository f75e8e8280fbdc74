//! The server on PostgreSQL (`--database postgres://…`), against a real,
//! throw-away PostgreSQL ([`yanzhen_pgtest`]; without PostgreSQL installed
//! these tests fail): the binary enrols, serves sync and keeps documents
//! across a restart; `/healthz` sees a PostgreSQL refusing writes; a full
//! disk fails only the writes, as on SQLite (`fault_hostile.rs`); the
//! connection to PostgreSQL can be TLS with the server's certificate
//! verified.

use std::{
    path::Path,
    process::{Child, Command, Stdio},
    sync::Arc,
    time::Duration,
};

use automerge::{Automerge, ROOT, ReadDoc as _, transaction::Transactable as _};
use axum::{
    body::{Body, to_bytes},
    http::{Request, StatusCode},
};
use tower::ServiceExt as _;
use yanzhen_server::{AppState, Assets, AuthStore, PgStorage, Storage as _, SyncSettings, app};
use yanzhen_sync::DocumentId;
use yanzhen_testkit::tablet::Tablet;

const BIN: &str = env!("CARGO_BIN_EXE_yanzhen-server");

/// The binary over `database`, run in `cwd`, on a free port: the child and
/// its `host:port`.
fn start(database: &str, cwd: &Path, assets: &Path) -> (Child, String) {
    crate::binary::spawn_listening(
        Command::new(BIN)
            .args([
                "--listen",
                "127.0.0.1:0",
                "--database",
                database,
                "--assets",
            ])
            .arg(assets)
            .current_dir(cwd)
            .stderr(Stdio::inherit()),
    )
}

/// SIGTERM, and wait (≤ 10 s) for a clean exit.
fn stop(child: Child) {
    crate::binary::stop_within(child, Duration::from_secs(10));
}

/// One HTTP/1.1 request: status and body.
async fn http(addr: &str, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
    yanzhen_testkit::process::http(addr, method, path, body)
        .await
        .unwrap()
}

fn value(t: &Tablet, id: &DocumentId, key: &str) -> Option<String> {
    let doc = t.node.document(id)?;
    let (v, _) = doc.get(ROOT, key).ok()??;
    v.into_string().ok()
}

/// `enrol --database`, then the binary: a device enrols, a tablet stores a
/// document, the server stops and starts again, and a fresh tablet gets
/// the document from it. Nothing is written to the working directory (no
/// `./data`: `--database` replaces `--data`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_on_postgres_serves_sync_and_keeps_documents_across_a_restart() {
    let database = yanzhen_pgtest::database();
    let cwd = tempfile::tempdir().unwrap();
    let assets = tempfile::tempdir().unwrap();

    let out = Command::new(BIN)
        .args(["enrol", "--role", "admin", "--district-name", "测试区"])
        .args(["--database", &database])
        .current_dir(cwd.path())
        .stderr(Stdio::inherit())
        .output()
        .unwrap();
    assert!(out.status.success(), "enrol: {:?}", out.status);
    let code = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert_eq!(code.len(), 11, "{code:?}");

    let (server, addr) =
        tokio::task::block_in_place(|| start(&database, cwd.path(), assets.path()));
    let health = http(&addr, "GET", "/healthz", None).await;
    assert_eq!(health.0, 200, "{health:?}");
    assert!(health.1.contains(r#""db":"ok""#), "{health:?}");
    let (status, body) = http(
        &addr,
        "POST",
        "/api/enrol",
        Some(&serde_json::json!({ "code": code, "deviceName": "pg tablet" }).to_string()),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let token = serde_json::from_str::<serde_json::Value>(&body).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let bootstrap = http(&addr, "GET", "/api/bootstrap", None).await;
    let storage_id = serde_json::from_str::<serde_json::Value>(&bootstrap.1).unwrap()["storageId"]
        .as_str()
        .unwrap()
        .to_owned();

    let id = DocumentId::from_bytes([42; 16]);
    let mut a = Tablet::new("a", 1);
    a.connect(&format!("ws://{addr}/sync?token={token}")).await;
    let mut am = Automerge::new();
    let mut tx = am.transaction();
    tx.put(ROOT, "k", "stored in PostgreSQL").unwrap();
    tx.commit();
    a.add(id, am).await;
    a.sync_to_server(id).await;
    a.disconnect().await;
    tokio::task::block_in_place(|| stop(server));

    let (server, addr) =
        tokio::task::block_in_place(|| start(&database, cwd.path(), assets.path()));
    let again = http(&addr, "GET", "/api/bootstrap", None).await;
    assert!(again.1.contains(&storage_id), "same storage id: {again:?}");
    let mut b = Tablet::new("b", 2);
    b.connect(&format!("ws://{addr}/sync?token={token}")).await;
    b.find(id).await;
    b.pump_until("b to load the document from the restarted server", |t| {
        value(t, &id, "k").as_deref() == Some("stored in PostgreSQL")
    })
    .await;
    assert_eq!(b.heads(&id), a.heads(&id));
    b.disconnect().await;
    tokio::task::block_in_place(|| stop(server));

    // `devices list --database` sees the device enrolled over HTTP.
    let out = Command::new(BIN)
        .args(["devices", "list", "--database", &database])
        .current_dir(cwd.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let listed = String::from_utf8(out.stdout).unwrap();
    assert!(listed.contains("pg tablet"), "{listed}");
    assert_eq!(
        std::fs::read_dir(cwd.path()).unwrap().count(),
        0,
        "nothing written to the working directory"
    );
}

/// `--database` and `--data` together are refused, as is an unknown scheme.
#[test]
fn database_and_data_are_exclusive_and_urls_are_checked() {
    let out = Command::new(BIN)
        .args(["--data", "x", "--database", "sqlite://y.sqlite"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot be used with"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(BIN)
        .args(["--database", "mysql://u:secret@h/db"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("postgres://") && !err.contains("secret"),
        "{err}"
    );
}

/// `/healthz` writes, not only reads, on PostgreSQL too: a database that
/// answers `SELECT 1` but refuses writes (a trigger raising `disk_full`, as
/// a full disk does) is a 503 naming the error; once writes work, 200.
#[tokio::test]
async fn healthz_sees_postgres_refusing_writes() {
    let url = yanzhen_pgtest::database();
    let storage = Arc::new(PgStorage::open(&url).await.unwrap());
    let pool = storage.pool().clone();
    let assets = tempfile::tempdir().unwrap();
    let auth = AuthStore::new(storage.db());
    let state = AppState::with_parts(
        storage.clone(),
        auth,
        Assets::Dir(assets.path().to_owned()),
        SyncSettings::default(),
    );
    let app = app(state);
    let get = |app: axum::Router| async move {
        let res = app
            .oneshot(Request::get("/healthz").body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let body = to_bytes(res.into_body(), usize::MAX).await.unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap())
    };
    sqlx::query(
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           RAISE EXCEPTION 'could not extend file: No space left on device'
             USING ERRCODE = 'disk_full';
         END $$",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON meta
         FOR EACH ROW EXECUTE PROCEDURE refuse()",
    )
    .execute(&pool)
    .await
    .unwrap();
    // The first request of a fresh state makes the write probe.
    let (status, body) = get(app.clone()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("No space left on device"), "{body}");
    // A failed write probe is retried by the next request.
    let (status, _) = get(app.clone()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    sqlx::query("DROP TRIGGER refuse ON meta")
        .execute(&pool)
        .await
        .unwrap();
    let (status, body) = get(app.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        storage
            .meta_get(yanzhen_server::storage::META_HEALTH_PROBE)
            .await
            .unwrap()
            .is_some()
    );
    storage.close().await;
}

/// The document as the server has it stored in `storage`.
async fn stored(storage: &PgStorage, doc: &DocumentId) -> Option<Vec<automerge::ChangeHash>> {
    yanzhen_testkit::server::stored_in(storage, doc)
        .await
        .map(|am| am.get_heads())
}

/// A full disk on PostgreSQL (a trigger raising `disk_full` on the document
/// table), as `fault_hostile.rs` does on SQLite: the writer is told
/// `storage.write_failed` and keeps its change, nothing unsaved is stored,
/// `/healthz` says 503 (the hub's report); once writes work again the
/// writer reconnects, its change is stored and `/healthz` is 200.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_on_postgres_fails_only_the_writes() {
    let url = yanzhen_pgtest::database();
    let storage = Arc::new(PgStorage::open(&url).await.unwrap());
    let pool = storage.pool().clone();
    let auth = AuthStore::new(storage.db());
    let admin = yanzhen_testkit::server::enrol_test_admin(&auth, "admin").await;
    let assets = tempfile::tempdir().unwrap();
    let settings = SyncSettings {
        close_grace: Duration::from_millis(300),
        ..SyncSettings::default()
    };
    let state = AppState::with_parts(
        storage.clone(),
        auth,
        Assets::Dir(assets.path().to_owned()),
        settings,
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(yanzhen_server::serve(listener, state, async move {
        let _ = stop_rx.await;
    }));
    let sync_url = format!("ws://{addr}/sync?token={}", admin.token);
    let health = |addr: String| async move { http(&addr, "GET", "/healthz", None).await };

    let id = DocumentId::from_bytes([43; 16]);
    let mut writer = Tablet::new("writer", 1);
    writer.connect(&sync_url).await;
    let mut am = Automerge::new();
    let mut tx = am.transaction();
    tx.put(ROOT, "name", "东风村").unwrap();
    tx.commit();
    writer.add(id, am).await;
    writer.sync_to_server(id).await;
    let stored_heads = writer.heads(&id);
    assert_eq!(stored(&storage, &id).await, Some(stored_heads.clone()));

    for statement in [
        "CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           RAISE EXCEPTION 'could not extend file: No space left on device'
             USING ERRCODE = 'disk_full';
         END $$",
        "CREATE TRIGGER disk_full BEFORE INSERT OR UPDATE OR DELETE ON documents
         FOR EACH ROW EXECUTE PROCEDURE disk_full()",
    ] {
        sqlx::query(statement).execute(&pool).await.unwrap();
    }
    writer
        .change(id, |am| {
            let mut tx = am.transaction();
            tx.put(ROOT, "secretary", "王五").unwrap();
            tx.commit();
        })
        .await;
    writer
        .pump_until("the server to refuse the change", |t| t.closed.is_some())
        .await;
    assert!(
        writer.saw(|e| matches!(
            e,
            yanzhen_sync::Effect::RemoteError { message, .. }
                if message == yanzhen_server::sync::STORAGE_WRITE_FAILED
        )),
        "the writer is told why: {:?}",
        writer.closed
    );
    let unsaved = writer.heads(&id);
    assert_ne!(unsaved, stored_heads, "the writer keeps its change");
    let (status, body) = health(addr.clone()).await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("storage_fault"), "{body}");
    assert_eq!(stored(&storage, &id).await, Some(stored_heads.clone()));

    sqlx::query("DROP TRIGGER disk_full ON documents")
        .execute(&pool)
        .await
        .unwrap();
    writer.connect(&sync_url).await;
    writer.sync_to_server(id).await;
    assert_eq!(stored(&storage, &id).await, Some(unsaved));
    let (status, body) = health(addr.clone()).await;
    assert_eq!(status, 200, "{body}");
    let _ = stop_tx.send(());
    tokio::time::timeout(Duration::from_secs(30), server)
        .await
        .expect("server stops")
        .unwrap()
        .unwrap();
}

/// `--database postgres://…?sslmode=verify-full&sslrootcert=CA.pem`: the
/// server talks to a PostgreSQL that presents a certificate over TLS, the
/// session is encrypted (`pg_stat_ssl`), and a certificate from another
/// authority, or asking for TLS from a server without it, fails to
/// connect instead of falling back to plain text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_connection_can_be_verified_tls() {
    let pair =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .unwrap();
    let cluster = tokio::task::block_in_place(|| {
        yanzhen_pgtest::Cluster::start_tls(&pair.cert.pem(), &pair.signing_key.serialize_pem())
    })
    .unwrap();
    let url = cluster.create_database("tls").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, pair.cert.pem()).unwrap();
    let verified = format!("{url}?sslmode=verify-full&sslrootcert={}", ca.display());
    let storage = PgStorage::open(&verified).await.unwrap();
    storage.put("doc/snapshot/a", b"over tls").await.unwrap();
    assert_eq!(
        storage.get("doc/snapshot/a").await.unwrap().as_deref(),
        Some(&b"over tls"[..])
    );
    let ssl: bool = sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        .fetch_one(storage.pool())
        .await
        .unwrap();
    assert!(ssl, "the session is encrypted");
    storage.close().await;

    // Another authority's certificate: refused.
    let other = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let wrong = dir.path().join("other.pem");
    std::fs::write(&wrong, other.cert.pem()).unwrap();
    let forged = format!("{url}?sslmode=verify-full&sslrootcert={}", wrong.display());
    assert!(PgStorage::open(&forged).await.is_err());
    // TLS required from a server without it: refused, no plain fallback.
    let plain = format!("{}?sslmode=require", yanzhen_pgtest::database());
    assert!(PgStorage::open(&plain).await.is_err());
}
