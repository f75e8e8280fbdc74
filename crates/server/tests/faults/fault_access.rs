//! Access attempts against the real server in-process (demo district),
//! beyond `crates/server/tests/scenarios/scenario_access.rs` (the role matrix, missing, forged and
//! revoked tokens, code guessing):
//!
//! * every refusal is **logged**: the server's own log lines (captured from
//!   its `tracing` output) name the reason and, once the device is known,
//!   the device;
//! * **nothing leaks**: a device refused a document receives no byte of it
//!   (no sync message for it, none of its people's names anywhere in what
//!   it received);
//! * **connections per device** are limited: one more than
//!   `max_connections_per_device` gets 429 `access.token.too_many_connections`
//!   before any upgrade, other devices are unaffected, and a closed
//!   connection frees its slot.
//!
//! A token stops working when its device is revoked, or when the device
//! has not contacted the server for the token idle limit (180 days by
//! default: `access.token.expired`; enrolment codes expire too).

use yanzhen_testkit::chaos;
use yanzhen_testkit::server;
use yanzhen_testkit::tablet::{Tablet, ws_status};

use std::io::Write as _;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use server::Server;
use yanzhen_server::{Role, SyncSettings};
use yanzhen_sync::{DocumentId, Message};

/// Everything the server logged in this test binary (tests run in
/// parallel, so each looks for its own device ids).
fn logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let writer = buf.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::INFO)
            .with_ansi(false)
            .with_writer(move || LogWriter(writer.clone()))
            .init();
        buf
    })
    .clone()
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn log_lines() -> Vec<String> {
    let buf = logs();
    let text = String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();
    text.lines().map(str::to_owned).collect()
}

/// Waits (bounded) for a log line holding every one of `parts`.
async fn logged(parts: &[&str]) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(l) = log_lines()
            .into_iter()
            .find(|l| parts.iter().all(|p| l.contains(p)))
        {
            return l;
        }
        if Instant::now() > deadline {
            let _ = std::io::stderr().write_all(log_lines().join("\n").as_bytes());
            panic!("no log line with {parts:?}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Makes a device look unseen (and enrolled) `days` ago, in the server's
/// own database.
async fn backdate(data: &std::path::Path, device_id: &str, days: i64) {
    let pool = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        data.join("yanzhen.sqlite").display()
    ))
    .await
    .unwrap();
    let then = yanzhen_server::auth::now_ms() - days * 24 * 60 * 60 * 1000;
    sqlx::query("UPDATE devices SET last_seen_at = ?1, created_at = ?1 WHERE id = ?2")
        .bind(then)
        .bind(device_id)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_refusal_is_logged_and_a_refused_peer_gets_no_document_bytes() {
    logs();
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), server::test_settings(), true).await;
    let ((own_unit, own), (_, other)) = server.two_villages().await;
    let village = server
        .enrol(Role::Village, Some(&own_unit), "village")
        .await;

    // Tokens refused before the upgrade: missing, forged, revoked.
    assert_eq!(ws_status(&server.sync_base).await.0, 401);
    logged(&["sync connection refused", "access.token.missing"]).await;
    assert_eq!(
        ws_status(&format!("{}?token=yz_forged", server.sync_base))
            .await
            .0,
        401
    );
    logged(&["sync connection refused", "access.token.unknown"]).await;
    let gone = server.enrol(Role::Viewer, None, "to revoke").await;
    assert!(server.auth.revoke(&gone.device_id).await.unwrap());
    assert_eq!(ws_status(&gone.url).await.0, 401);
    logged(&["sync connection refused", "access.token.revoked"]).await;
    // A device not seen for longer than the idle limit: expired, on the
    // WebSocket and on the API alike; a device in use is not.
    let idle = server.enrol(Role::Viewer, None, "idle").await;
    backdate(data.path(), &idle.device_id, 181).await;
    let (status, body) = ws_status(&idle.url).await;
    assert_eq!(status, 401);
    assert!(body.contains("access.token.expired"), "{body}");
    logged(&["sync connection refused", "access.token.expired"]).await;
    let (status, _) = server.call("GET", "/api/me", Some(&idle.token), None).await;
    assert_eq!(status, 401);
    logged(&["api request refused", "access.token.expired"]).await;
    let recent = server.enrol(Role::Viewer, None, "recent").await;
    backdate(data.path(), &recent.device_id, 179).await;
    assert_eq!(
        server
            .call("GET", "/api/me", Some(&recent.token), None)
            .await
            .0,
        200
    );
    // The HTTP API: a forged token, and an admin endpoint for a village.
    assert_eq!(
        server
            .call("GET", "/api/me", Some("yz_forged"), None)
            .await
            .0,
        401
    );
    logged(&["api request refused", "access.token.unknown"]).await;
    assert_eq!(
        server
            .call("GET", "/api/admin/devices", Some(&village.token), None)
            .await
            .0,
        403
    );
    logged(&["admin endpoint refused", &village.device_id]).await;
    // A wrong enrolment code.
    let (status, _) = server
        .call(
            "POST",
            "/api/enrol",
            None,
            Some(serde_json::json!({"code": "22222-33333", "deviceName": "x"})),
        )
        .await;
    assert_eq!(status, 400);
    logged(&["enrolment failed", "access.code.invalid"]).await;

    // Reading another township's village: refused, logged, nothing leaked.
    let mut p = Tablet::chaos("village-snoop", 1);
    p.record = true;
    let mut rng = chaos::Rng::new(1);
    let deadline = Instant::now() + Duration::from_secs(30);
    p.sync_until(
        &village.url,
        deadline,
        Duration::from_secs(10),
        &mut rng,
        |p| p.node.peer_of(p.conn).is_some(),
    )
    .await
    .unwrap();
    p.find(other).await;
    p.find(own).await;
    p.sync_until(
        &village.url,
        deadline,
        Duration::from_secs(10),
        &mut rng,
        |p| !p.heads(&own).is_empty() && p.errors.iter().any(|e| e.contains(&other.to_string())),
    )
    .await
    .unwrap();
    let line = logged(&[
        "sync refusal sent",
        &village.device_id,
        "may not read",
        &other.to_string(),
    ])
    .await;
    assert!(line.contains("access denied"), "{line}");
    assert!(p.heads(&other).is_empty());
    let names = people_names(&server, other).await;
    assert!(names.len() >= 3, "{names:?}");
    for raw in &p.raw {
        if let Ok(Message::Sync { document_id, .. } | Message::Request { document_id, .. }) =
            Message::decode(raw)
        {
            assert_ne!(
                document_id, other,
                "a sync message for the refused document"
            );
        }
        for name in &names {
            assert!(
                !raw.windows(name.len()).any(|w| w == name.as_bytes()),
                "{name} reached a refused peer"
            );
        }
    }
    // The own document did arrive, so the check above can fail.
    let own_names = people_names(&server, own).await;
    let own_doc = p.node.document(&own).unwrap();
    let data = yanzhen_model::store::UnitDocument::from_automerge(own_doc.clone())
        .unwrap()
        .data()
        .unwrap();
    assert_eq!(data.people.len(), own_names.len());

    // Creating a document it may not even read (its own version, offered
    // as new): refused and logged, not stored.
    let mut w = Tablet::chaos("village-writer", 2);
    let mut am = automerge::AutoCommit::new();
    use automerge::transaction::Transactable as _;
    am.put(automerge::ROOT, "village-was-here", 1).unwrap();
    w.try_add(other, am.document().clone()).await.unwrap();
    w.sync_until(
        &village.url,
        deadline,
        Duration::from_secs(10),
        &mut rng,
        |p| p.errors.iter().any(|e| e.contains("access denied")),
    )
    .await
    .unwrap();
    let stored = server.stored(&other).await.unwrap();
    use automerge::ReadDoc as _;
    assert!(
        stored
            .get(automerge::ROOT, "village-was-here")
            .unwrap()
            .is_none()
    );
    let n = log_lines()
        .iter()
        .filter(|l| l.contains("sync refusal sent") && l.contains(&village.device_id))
        .count();
    assert!(n >= 2, "both refusals of the village logged, found {n}");
    server.stop().await;
}

/// The people's names of a unit document as the server stores it.
async fn people_names(server: &Server, doc: DocumentId) -> Vec<String> {
    let am = server.stored(&doc).await.unwrap();
    let data = yanzhen_model::store::UnitDocument::from_automerge(am)
        .unwrap()
        .data()
        .unwrap();
    data.people.values().map(|p| p.name.clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_per_device_are_limited() {
    logs();
    let data = tempfile::tempdir().unwrap();
    let settings = SyncSettings {
        max_connections_per_device: 3,
        ..server::test_settings()
    };
    let server = Server::start(data.path(), settings, true).await;
    let ((own_unit, _), _) = server.two_villages().await;
    let village = server.enrol(Role::Village, Some(&own_unit), "busy").await;
    let other = server.enrol(Role::Viewer, None, "other").await;
    let mut open = Vec::new();
    for _ in 0..3 {
        let (ws, _) = tokio_tungstenite::connect_async(&village.url)
            .await
            .unwrap();
        open.push(ws);
    }
    let (status, body) = ws_status(&village.url).await;
    assert_eq!(status, 429, "{body}");
    assert!(body.contains("access.token.too_many_connections"), "{body}");
    logged(&[
        "sync connection refused",
        "access.token.too_many_connections",
        &village.device_id,
    ])
    .await;
    // Another device is not affected.
    assert_eq!(ws_status(&other.url).await.0, 101);
    // A closed connection frees its slot (bounded polling: the server
    // notices the close asynchronously).
    let mut ws = open.pop().unwrap();
    ws.close(None).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match ws_status(&village.url).await.0 {
            101 => break,
            429 if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(50)).await,
            s => panic!("status {s}"),
        }
    }
    // An abrupt drop (no close frame) frees it too.
    drop(open);
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut again = Vec::new();
    while again.len() < 3 {
        let (ws_, _) = match tokio_tungstenite::connect_async(&village.url).await {
            Ok(x) => x,
            Err(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
            Err(e) => panic!("{e}"),
        };
        again.push(ws_);
    }
    server.stop().await;
}
