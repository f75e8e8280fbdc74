//! Several server nodes on one PostgreSQL database: two real
//! `yanzhen-server` processes (`--database postgres://…`, `--node-id a|b`)
//! on one throw-away PostgreSQL ([`yanzhen_pgtest`]), tablets split across
//! them. An edit at a tablet of node A reaches a tablet of node B (and
//! back), timed; a device revoked through node A's admin API is
//! disconnected from node B; a storm of tablets split over both nodes,
//! each document written at both, converges with every change counted on
//! every replica and on each node's copy; one enrolment code enrols once
//! and the enrolment rate limit counts both nodes' failures together; a
//! change stored without a notice is found once the node's listening
//! connection, cut, is made again, and by the periodic check without. Concurrent compaction on one database
//! is tested in `yanzhen_server::sync::nodes`.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use automerge::{Automerge, ROOT, ReadDoc as _, transaction::Transactable as _};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use yanzhen_server::PgStorage;
use yanzhen_sync::{DocumentId, Effect};
use yanzhen_testkit::{
    chaos,
    process::{RealServer, cli_code_on_database},
    tablet::Tablet,
};

const BIN: &str = env!("CARGO_BIN_EXE_yanzhen-server");

/// Two nodes on a fresh database, and the URL of that database.
fn two_nodes(extra: &[&str]) -> (RealServer, RealServer, String) {
    let url = yanzhen_pgtest::database();
    let start = |id: &str| {
        let mut args = vec!["--node-id", id];
        args.extend_from_slice(extra);
        RealServer::start_on_database(Path::new(BIN), &url, "127.0.0.1:0", &args).unwrap()
    };
    let a = start("a");
    let b = start("b");
    (a, b, url)
}

/// A fresh admin device: its enrolment answer (token, device id).
async fn admin_device(url: &str, node: &RealServer, name: &str) -> (String, String) {
    let code = tokio::task::block_in_place(|| cli_code_on_database(Path::new(BIN), url)).unwrap();
    let body = serde_json::json!({ "code": code, "deviceName": name }).to_string();
    let (status, resp) = request(&node.addr, "POST", "/api/enrol", None, Some(&body)).await;
    assert_eq!(status, 200, "{resp}");
    let v: serde_json::Value = serde_json::from_str(&resp).unwrap();
    (
        v["token"].as_str().unwrap().to_owned(),
        v["deviceId"].as_str().unwrap().to_owned(),
    )
}

/// One HTTP/1.1 request (with a bearer token): status and body.
async fn request(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> (u16, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let body = body.unwrap_or("");
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut resp = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), s.read_to_end(&mut resp))
        .await
        .unwrap()
        .unwrap();
    let resp = String::from_utf8_lossy(&resp).into_owned();
    let status = resp.split(' ').nth(1).unwrap().parse().unwrap();
    let body = resp.split_once("\r\n\r\n").unwrap().1;
    // Chunked or not: the JSON object.
    let json = match (body.find('{'), body.rfind('}')) {
        (Some(a), Some(b)) if a <= b => body[a..=b].to_owned(),
        _ => body.to_owned(),
    };
    (status, json)
}

fn value(t: &Tablet, id: &DocumentId) -> Option<String> {
    let (v, _) = t.node.document(id)?.get(ROOT, "v").ok()??;
    v.into_string().ok()
}

/// A tablet of node A edits, a tablet of node B sees it (and the other
/// way round), each time within a few seconds; the delays are printed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_at_one_node_reaches_the_tablets_of_the_other() {
    let (a, b, url) = two_nodes(&[]);
    let (token, _) = admin_device(&url, &a, "admin").await;
    let doc = DocumentId::from_bytes([0x4E; 16]);
    let mut am = Automerge::new();
    let mut tx = am.transaction();
    tx.put(ROOT, "v", "start").unwrap();
    tx.commit();

    let mut ta = Tablet::new("at-a", 1);
    ta.connect(&format!("ws://{}/sync?token={token}", a.addr))
        .await;
    ta.add(doc, am).await;
    ta.pump_until("node A has the document", |t| t.server_has_our_heads(&doc))
        .await;
    let mut tb = Tablet::new("at-b", 2);
    tb.connect(&format!("ws://{}/sync?token={token}", b.addr))
        .await;
    tb.find(doc).await;
    tb.pump_until("node B's copy", |t| {
        value(t, &doc).as_deref() == Some("start")
    })
    .await;

    // Node B holds the document in memory now: what A stores reaches it
    // only through the change notices.
    let mut delays = Vec::new();
    for i in 0..5 {
        let (from, to) = if i % 2 == 0 {
            (&mut ta, &mut tb)
        } else {
            (&mut tb, &mut ta)
        };
        let v = format!("edit {i}");
        let set = v.clone();
        from.change(doc, move |d| {
            let mut tx = d.transaction();
            tx.put(ROOT, "v", set).unwrap();
            tx.commit();
        })
        .await;
        let t0 = Instant::now();
        to.pump_until("the other node's edit", |t| {
            value(t, &doc).as_deref() == Some(v.as_str())
        })
        .await;
        delays.push(t0.elapsed());
        // The writer's own link answered too (keeps its socket drained).
        from.pump_until("its node's acknowledgement", |t| {
            t.server_has_our_heads(&doc)
        })
        .await;
    }
    eprintln!("cross-node delays: {delays:?}");
    for d in &delays {
        assert!(*d < Duration::from_secs(5), "{delays:?}");
    }
    assert_eq!(ta.heads(&doc), tb.heads(&doc));
    // Both run as nodes sharing changes (under the periodic check's
    // 15 s: the notices carried them).
    let log = b.log_lines().join("\n");
    assert!(
        log.contains("sharing changes with the other nodes"),
        "{log}"
    );
}

/// A device revoked through node A's admin API is disconnected from node
/// B within seconds (B is told through PostgreSQL and checks the database).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_revoked_at_one_node_is_disconnected_from_the_other() {
    let (a, b, url) = two_nodes(&[]);
    let (admin, _) = admin_device(&url, &a, "admin").await;
    let (token, device_id) = admin_device(&url, &a, "to revoke").await;
    let mut t = Tablet::new("revoked-at-b", 3);
    t.connect(&format!("ws://{}/sync?token={token}", b.addr))
        .await;
    let (status, body) = request(
        &a.addr,
        "POST",
        &format!("/api/admin/devices/{device_id}/revoke"),
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let t0 = Instant::now();
    t.pump_until("the revocation at node B", |t| !t.is_connected())
        .await;
    let took = t0.elapsed();
    eprintln!("revoked at A, disconnected from B after {took:?}");
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert!(
        t.saw(
            |e| matches!(e, Effect::RemoteError { message, .. } if message == "access.token.revoked")
        ),
        "{:?}",
        t.seen
    );
    assert_eq!(t.closed.as_deref(), Some("access.token.revoked"));
    drop(b);
}

/// 8 tablets, 4 per unit document, half at each node: each tablet
/// converges only with its document's changes from the other node's
/// tablets. Every replica is counted, and each node's copy through a
/// fresh peer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_storm_split_over_two_nodes_converges_on_both() {
    let (a, b, url) = two_nodes(&["--max-connections-per-device", "0"]);
    let (token, _) = admin_device(&url, &a, "admin").await;
    let url_a = format!("ws://{}/sync?token={token}", a.addr);
    let url_b = format!("ws://{}/sync?token={token}", b.addr);
    let deadline = Instant::now() + Duration::from_secs(45);
    let w = chaos::workload(8, 4, 3, 3).unwrap();
    chaos::seed(&url_a, &w, deadline).await.unwrap();
    let w = Arc::new(w);
    let t0 = Instant::now();
    let report = chaos::run_tablets_on(
        vec![url_a.clone(), url_b.clone()],
        w.clone(),
        deadline,
        Duration::from_secs(3),
        Arc::new(chaos::Progress::default()),
    )
    .await
    .unwrap();
    eprintln!("{report:?} in {:?}", t0.elapsed());
    assert_eq!(report.times_s.len(), 8);
    let on_a = chaos::verify_server(&url_a, &w, deadline).await.unwrap();
    let on_b = chaos::verify_server(&url_b, &w, deadline).await.unwrap();
    // 2 documents: 1 genesis + 5 people each, plus every tablet's 6.
    assert_eq!(on_a, 2 * 6 + w.made_count());
    assert_eq!(on_b, on_a);
}

/// Enrolment is atomic across nodes: one code tried at both nodes at once
/// enrols one device; the per-client rate limit counts the failures of
/// both nodes together (PostgreSQL: `LOCK TABLE` around the reservation).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrolment_and_its_rate_limit_hold_across_nodes() {
    let (a, b, url) = two_nodes(&[]);
    let code = tokio::task::block_in_place(|| cli_code_on_database(Path::new(BIN), &url)).unwrap();
    let attempt = |addr: String, code: String| async move {
        let body = serde_json::json!({ "code": code, "deviceName": "race" }).to_string();
        request(&addr, "POST", "/api/enrol", None, Some(&body))
            .await
            .0
    };
    // 5 attempts (the limit is 5 failures per client): 3 at A, 2 at B.
    let tries: Vec<_> = (0..5)
        .map(|i| {
            let addr = if i % 2 == 0 { &a.addr } else { &b.addr };
            tokio::spawn(attempt(addr.clone(), code.clone()))
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tries {
        statuses.push(t.await.unwrap());
    }
    statuses.sort_unstable();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || (400..429).contains(s)),
        "{statuses:?}"
    );
    // 4 failures counted: of 8 more at once, at both nodes, one more is
    // answered and the rest are refused as over the limit.
    let tries: Vec<_> = (0..8)
        .map(|i| {
            let addr = if i % 2 == 0 { &a.addr } else { &b.addr };
            tokio::spawn(attempt(addr.clone(), "ZZZZ-ZZZZ-ZZZZ".to_owned()))
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tries {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        7,
        "{statuses:?}"
    );
}

/// One node (B) on a fresh database, a tablet at it syncing a document,
/// and a change to that document stored by "another node" that died before
/// its notice (so no notice was sent).
async fn node_with_an_unannounced_change() -> (RealServer, Tablet, DocumentId, PgStorage) {
    use yanzhen_server::{Storage as _, storage::join_key};
    use yanzhen_sync::storage::{ChunkKind, chunk_prefix, key_hash};

    let url = yanzhen_pgtest::database();
    let b = RealServer::start_on_database(Path::new(BIN), &url, "127.0.0.1:0", &["--node-id", "b"])
        .unwrap();
    let (token, _) = admin_device(&url, &b, "admin").await;
    let doc = DocumentId::from_bytes([0x1D; 16]);
    let mut am = Automerge::new();
    let mut tx = am.transaction();
    tx.put(ROOT, "v", "start").unwrap();
    tx.commit();
    let mut t = Tablet::new("at-b", 4);
    t.connect(&format!("ws://{}/sync?token={token}", b.addr))
        .await;
    t.add(doc, am.clone()).await;
    t.pump_until("node B has the document", |t| t.server_has_our_heads(&doc))
        .await;
    let heads = am.get_heads();
    let mut other = am.fork();
    let mut tx = other.transaction();
    tx.put(ROOT, "v", "unannounced").unwrap();
    tx.commit();
    let data = other.save_after(&heads);
    let mut key = chunk_prefix(&doc, ChunkKind::Incremental);
    key.push(key_hash(&data));
    let db = PgStorage::open(&url).await.unwrap();
    db.put(&join_key(&key).unwrap(), &data).await.unwrap();
    (b, t, doc, db)
}

/// A change stored without a notice (a node killed between its commit and
/// its `NOTIFY`) reaches the tablets of a node once that node's listening
/// connection is lost and made again: after a reconnection it checks every
/// document it holds against storage (well before its periodic check).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_listener_reconnects_and_finds_what_it_missed() {
    let (b, mut t, doc, db) = node_with_an_unannounced_change().await;
    // Node B's listening connection is cut (only this test's role's).
    let t0 = Instant::now();
    let cut: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE usename = current_user AND pid <> pg_backend_pid() AND query LIKE 'LISTEN%'",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    assert_eq!(cut, [true], "one listening connection (node B's)");
    t.pump_until("the change stored without a notice", |t| {
        value(t, &doc).as_deref() == Some("unannounced")
    })
    .await;
    let took = t0.elapsed();
    eprintln!("found after the listener was cut: {took:?}");
    assert!(
        took.as_secs() < yanzhen_server::sync::RESYNC_TICKS - 5,
        "{took:?}: the periodic check, not the reconnection"
    );
    let log = b.log_lines().join("\n");
    assert!(log.contains("listening connection"), "{log}");
}

/// Without any notice and with the listener intact, the periodic check
/// (every [`RESYNC_TICKS`](yanzhen_server::sync::RESYNC_TICKS) ticks: the
/// documents stored to lately) finds the change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_periodic_check_finds_a_change_stored_without_a_notice() {
    let (_b, mut t, doc, _db) = node_with_an_unannounced_change().await;
    let t0 = Instant::now();
    t.pump_until("the change stored without a notice", |t| {
        value(t, &doc).as_deref() == Some("unannounced")
    })
    .await;
    let took = t0.elapsed();
    eprintln!("found by the periodic check after {took:?}");
    assert!(
        took.as_secs() <= yanzhen_server::sync::RESYNC_TICKS + 3,
        "{took:?}"
    );
}

/// A district created through node A's city API is served by node B at
/// once: its first admin enrols at B, B lists its district document as
/// writable, and a tablet at B gets that document (nothing about the
/// district lives in one node's memory only).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_district_created_at_one_node_works_at_the_other() {
    let (a, b, url) = two_nodes(&[]);
    let out = tokio::task::block_in_place(|| {
        std::process::Command::new(BIN)
            .args(["enrol", "--role", "city_admin", "--database", &url])
            .stderr(std::process::Stdio::null())
            .output()
            .unwrap()
    });
    assert!(out.status.success());
    let code = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let enrol = |code: &str, name: &str| {
        serde_json::json!({ "code": code, "deviceName": name }).to_string()
    };
    let (status, resp) = request(
        &a.addr,
        "POST",
        "/api/enrol",
        None,
        Some(&enrol(&code, "市")),
    )
    .await;
    assert_eq!(status, 200, "{resp}");
    let city: serde_json::Value = serde_json::from_str(&resp).unwrap();
    let body = r#"{"districtId":"xinqu","name":"新区"}"#;
    let (status, resp) = request(
        &a.addr,
        "POST",
        "/api/districts",
        city["token"].as_str(),
        Some(body),
    )
    .await;
    assert_eq!(status, 201, "{resp}");
    let created: serde_json::Value = serde_json::from_str(&resp).unwrap();
    let (status, resp) = request(
        &b.addr,
        "POST",
        "/api/enrol",
        None,
        Some(&enrol(created["code"].as_str().unwrap(), "新区管理员")),
    )
    .await;
    assert_eq!(status, 200, "{resp}");
    let admin: serde_json::Value = serde_json::from_str(&resp).unwrap();
    let doc = created["district"]["districtDocumentId"].as_str().unwrap();
    assert_eq!(admin["districtDocumentId"], doc);
    assert_eq!(admin["documents"][0]["access"], "write", "{admin}");
    let doc: DocumentId = doc.parse().unwrap();
    let mut t = Tablet::new("xinqu-b", 9);
    t.connect(&format!(
        "ws://{}/sync?token={}",
        b.addr,
        admin["token"].as_str().unwrap()
    ))
    .await;
    t.find(doc).await;
    t.pump_until("the new district's document from node B", |t| {
        !t.heads(&doc).is_empty()
    })
    .await;
    drop((a, b));
}
