//! Operations, with the real binary: `backup` while the server runs and a
//! tablet keeps writing, then a server on the restored file (documents,
//! keys, storage id and device tokens all there), and the same with
//! `pg_dump -Fc` / `pg_restore` on PostgreSQL; `/metrics` (counters
//! move when a tablet syncs and when a hostile message is refused, the text
//! format parses, only loopback or the token may read it); the node id in
//! every log line, as text and as JSON.
//!
//! Long file: independent tests of one area, each standing alone; split by
//! area already, a test is read one at a time.

use std::{
    collections::{BTreeMap, HashSet},
    path::Path,
    process::{Command, Stdio},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::Duration,
};

use automerge::{Automerge, ChangeHash, ROOT, ReadDoc as _, transaction::Transactable as _};
use futures_util::{SinkExt as _, StreamExt as _};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use yanzhen_sync::{
    DocumentId,
    attest::{Attestation, DistrictKeys},
};
use yanzhen_testkit::{
    process::{RealServer, cli_code, enrol_token},
    tablet::{Tablet, connect_ws},
};

const BIN: &str = env!("CARGO_BIN_EXE_yanzhen-server");

fn bin() -> &'static Path {
    Path::new(BIN)
}

/// One HTTP/1.1 request with extra headers (bounded by 30 s): status,
/// response headers (lower-cased names) and body.
async fn call(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> (u16, String, String) {
    tokio::time::timeout(Duration::from_secs(30), async {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let body = body.unwrap_or("");
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        req.push_str(body);
        s.write_all(req.as_bytes()).await.unwrap();
        let mut resp = Vec::new();
        s.read_to_end(&mut resp).await.unwrap();
        let resp = String::from_utf8(resp).unwrap();
        let (head, body) = resp.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        let mut body = body.to_owned();
        if head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
        {
            body = dechunk(&body);
        }
        (status, head.to_ascii_lowercase(), body)
    })
    .await
    .expect("HTTP request timed out")
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    loop {
        let (size, rest) = s.split_once("\r\n").unwrap();
        let n = usize::from_str_radix(size.trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
}

async fn json(
    addr: &str,
    method: &str,
    path: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> serde_json::Value {
    let auth = format!("Bearer {token}");
    let body = body.map(|b| b.to_string());
    let (status, _, resp) = call(
        addr,
        method,
        path,
        &[("Authorization", &auth)],
        body.as_deref(),
    )
    .await;
    assert_eq!(status, 200, "{method} {path}: {resp}");
    serde_json::from_str(&resp).unwrap_or_else(|e| panic!("{e}: {resp}"))
}

/// A document of its own with one value.
fn document(n: u8) -> (DocumentId, Automerge) {
    let id = DocumentId::from_bytes([0xb0 ^ n; 16]);
    let mut am = Automerge::new();
    let mut tx = am.transaction();
    tx.put(ROOT, "n", i64::from(n)).unwrap();
    tx.commit();
    (id, am)
}

/// Runs `yanzhen-server backup` with `args`: exit success, stdout, stderr.
fn backup(args: &[&std::ffi::OsStr]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .arg("backup")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// What was acknowledged and signed before the backup started.
struct Before {
    /// Documents written before the backup, with the heads the server
    /// acknowledged.
    acked: BTreeMap<DocumentId, Vec<ChangeHash>>,
    /// The document written during the backup, and the heads the server
    /// had acknowledged of it when the backup started.
    written: DocumentId,
    written_acked: Vec<ChangeHash>,
    keys: DistrictKeys,
    attested: Vec<Attestation>,
    storage_id: String,
    /// Tablet W, with changes newer than the backup (disconnected).
    writer: Tablet,
}

/// On the server at `addr`: tablet A stores documents (each acknowledged)
/// with the first device's `token`, an attestation is signed, and tablet W
/// (the second device) keeps writing one document while `take_backup`
/// runs (on a blocking thread).
async fn write_and_back_up(
    addr: &str,
    token: &str,
    writer_token: &str,
    take_backup: impl FnOnce(),
) -> Before {
    let mut a = Tablet::new("a", 1);
    a.connect(&format!("ws://{addr}/sync?token={token}")).await;
    let mut acked: BTreeMap<DocumentId, Vec<ChangeHash>> = BTreeMap::new();
    for n in 0..5u8 {
        let (id, am) = document(n);
        a.add(id, am).await;
        a.sync_to_server(id).await;
        a.change(id, |am| {
            let mut tx = am.transaction();
            tx.put(ROOT, "second", "edit").unwrap();
            tx.commit();
        })
        .await;
        a.sync_to_server(id).await;
        acked.insert(id, a.server_heads(&id));
    }
    let ids: Vec<String> = acked.keys().map(ToString::to_string).collect();
    let keys: DistrictKeys =
        serde_json::from_value(json(addr, "GET", "/api/me", token, None).await["keys"].clone())
            .unwrap();
    let attested: Vec<Attestation> = serde_json::from_value(
        json(
            addr,
            "POST",
            "/api/attest",
            token,
            Some(serde_json::json!({ "documents": ids })),
        )
        .await["attestations"]
            .clone(),
    )
    .unwrap();
    assert_eq!(attested.len(), acked.len());
    let bootstrap = json(addr, "GET", "/api/bootstrap", token, None).await;
    let storage_id = bootstrap["storageId"].as_str().unwrap().to_owned();

    // Tablet W keeps writing one document, before, during and after the
    // backup; what the server acknowledged is published after each step.
    let (w_id, w_am) = document(100);
    let mut w = Tablet::new("w", 2);
    w.connect(&format!("ws://{addr}/sync?token={writer_token}"))
        .await;
    w.add(w_id, w_am).await;
    w.sync_to_server(w_id).await;
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicU64::new(0));
    let w_acked = Arc::new(Mutex::new(w.server_heads(&w_id)));
    let writer = {
        let (stop, written, w_acked) = (stop.clone(), written.clone(), w_acked.clone());
        tokio::spawn(async move {
            let mut n = 0i64;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                w.change(w_id, |am| {
                    let mut tx = am.transaction();
                    tx.put(ROOT, "counter", n).unwrap();
                    tx.put(ROOT, format!("k{}", n % 50), "x".repeat(200))
                        .unwrap();
                    tx.commit();
                })
                .await;
                written.fetch_add(1, Ordering::SeqCst);
                let _ = w.step(Duration::from_millis(5)).await;
                *w_acked.lock().unwrap() = w.server_heads(&w_id);
            }
            w
        })
    };
    while written.load(Ordering::SeqCst) < 5 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let written_acked = w_acked.lock().unwrap().clone();
    assert!(!written_acked.is_empty());
    let written_before = written.load(Ordering::SeqCst);
    tokio::task::block_in_place(take_backup);
    let written_during = written.load(Ordering::SeqCst) - written_before;
    // A few changes surely newer than the backup.
    let after = written.load(Ordering::SeqCst);
    while written.load(Ordering::SeqCst) < after + 3 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    stop.store(true, Ordering::SeqCst);
    let mut w = writer.await.unwrap();
    eprintln!(
        "writer: {} changes, {written_during} while the backup ran",
        written.load(Ordering::SeqCst)
    );
    w.close().await;
    a.close().await;
    Before {
        writer: w,
        acked,
        written: w_id,
        written_acked,
        keys,
        attested,
        storage_id,
    }
}

/// On the server at `addr` over the restored backup: the same storage id
/// and keys (the old attestations verify, new ones verify with the old
/// key), both devices' tokens work, and every change acknowledged before
/// the backup started is there. Then tablet W comes back and the server
/// gets the changes it made after the backup.
async fn check_restored(addr: &str, token: &str, writer_token: &str, before: Before) {
    let bootstrap = json(addr, "GET", "/api/bootstrap", token, None).await;
    assert_eq!(bootstrap["storageId"], before.storage_id.as_str());
    let me = json(addr, "GET", "/api/me", token, None).await;
    let keys: DistrictKeys = serde_json::from_value(me["keys"].clone()).unwrap();
    assert_eq!(keys, before.keys);
    json(addr, "GET", "/api/me", writer_token, None).await;
    for att in &before.attested {
        att.verify(&keys.server_key).unwrap();
    }
    // A fresh tablet gets every document as acknowledged before the backup.
    let mut r = Tablet::new("r", 3);
    r.connect(&format!("ws://{addr}/sync?token={token}")).await;
    for (id, heads) in &before.acked {
        r.find(*id).await;
        let id = *id;
        r.pump_until("a document from the restored server", |t| {
            !t.heads(&id).is_empty() && t.server_has_our_heads(&id)
        })
        .await;
        assert_eq!(&r.heads(&id), heads, "{id}");
    }
    let w_id = before.written;
    r.find(w_id).await;
    r.pump_until("the written document", |t| {
        !t.heads(&w_id).is_empty() && t.server_has_our_heads(&w_id)
    })
    .await;
    let restored = r.node.document(&w_id).unwrap();
    for h in &before.written_acked {
        assert!(
            restored.get_change_by_hash(h).is_some(),
            "change {h} was acknowledged before the backup started but is not in it"
        );
    }
    let again: Vec<Attestation> = serde_json::from_value(
        json(
            addr,
            "POST",
            "/api/attest",
            token,
            Some(serde_json::json!({ "documents": [w_id.to_string()] })),
        )
        .await["attestations"]
            .clone(),
    )
    .unwrap();
    again[0].verify(&before.keys.server_key).unwrap();

    // W reconnects with what it wrote after the backup: the server, which
    // has the same storage id as before, still ends up with all of it.
    let mut w = before.writer;
    let newer = w.heads(&w_id);
    assert_ne!(r.heads(&w_id), newer, "the backup has W's last changes");
    w.connect(&format!("ws://{addr}/sync?token={writer_token}"))
        .await;
    w.sync_to_server(w_id).await;
    r.pump_until("the writer's changes after the backup", |t| {
        t.heads(&w_id) == newer
    })
    .await;
    w.close().await;
    r.close().await;
}

/// SQLite: `backup` while the server runs and a tablet keeps writing; a
/// server over a fresh data directory holding the backup file has
/// everything acknowledged before the backup started, the same keys and
/// storage id, and the enrolled devices.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_while_serving_restores_documents_keys_and_devices() {
    let data = tempfile::tempdir().unwrap();
    let (server, code, code2) = tokio::task::block_in_place(|| {
        let code = cli_code(bin(), data.path()).unwrap();
        let code2 = cli_code(bin(), data.path()).unwrap();
        let server = RealServer::start(bin(), data.path(), "127.0.0.1:0", &[]).unwrap();
        (server, code, code2)
    });
    let addr = server.addr.clone();
    let token = enrol_token(&addr, &code).await.unwrap();
    let writer_token = enrol_token(&addr, &code2).await.unwrap();

    let file = data.path().join("backups").join("yanzhen-backup.sqlite");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let args = [
        "--data".as_ref(),
        data.path().as_os_str(),
        "--to".as_ref(),
        file.as_os_str(),
    ];
    let before = write_and_back_up(&addr, &token, &writer_token, || {
        let (ok, out, err) = backup(&args);
        assert!(ok, "backup failed: {err}");
        assert_eq!(out.trim(), file.display().to_string());
    })
    .await;
    // Once more: an existing file is not replaced.
    let (ok, _, err) = tokio::task::block_in_place(|| backup(&args));
    assert!(!ok && err.contains("--force"), "{err}");
    let log = server.log_lines();
    assert!(log.iter().all(|l| !l.contains("ERROR")), "{log:#?}");
    drop(server);

    // Restore: the backup file as the database of a fresh data directory.
    let restored = tempfile::tempdir().unwrap();
    std::fs::copy(&file, restored.path().join("yanzhen.sqlite")).unwrap();
    let server = tokio::task::block_in_place(|| {
        RealServer::start(bin(), restored.path(), "127.0.0.1:0", &[]).unwrap()
    });
    check_restored(&server.addr, &token, &writer_token, before).await;
}

/// The binary over PostgreSQL `database` (run in `cwd`), killed on drop.
struct PgServer {
    child: std::process::Child,
    addr: String,
}

impl Drop for PgServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_pg(database: &str, cwd: &Path) -> PgServer {
    let (child, addr) = crate::binary::spawn_listening(
        Command::new(BIN)
            .args(["--listen", "127.0.0.1:0", "--database", database])
            .current_dir(cwd)
            .stdin(Stdio::null())
            .stderr(Stdio::inherit()),
    );
    PgServer { child, addr }
}

/// Runs a PostgreSQL client tool of the test cluster's installation.
fn pg_tool(tool: &str, args: &[&str]) {
    let bindir = yanzhen_pgtest::bindir().unwrap();
    let out = Command::new(bindir.join(tool))
        .args(args)
        .stdin(Stdio::null())
        .env_remove("PGPASSWORD")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// PostgreSQL: the README's `pg_dump -Fc` while the server runs and a
/// tablet keeps writing, `pg_restore` into a new database, and a server on
/// it: the same checks as on SQLite. `backup` itself refuses and points to
/// pg_dump.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pg_dump_while_serving_restores_documents_keys_and_devices() {
    let cluster = yanzhen_pgtest::shared();
    let pid = std::process::id();
    let (source_db, restored_db) = (format!("yz_dump_{pid}"), format!("yz_restored_{pid}"));
    let source = cluster.create_database(&source_db).unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let enrol = || {
        let out = Command::new(BIN)
            .args(["enrol", "--role", "admin", "--district-name", "测试区"])
            .args(["--database", &source])
            .current_dir(cwd.path())
            .stderr(Stdio::inherit())
            .output()
            .unwrap();
        assert!(out.status.success(), "enrol: {:?}", out.status);
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    };
    let (code, code2) = tokio::task::block_in_place(|| (enrol(), enrol()));
    let server = tokio::task::block_in_place(|| start_pg(&source, cwd.path()));
    let token = enrol_token(&server.addr, &code).await.unwrap();
    let writer_token = enrol_token(&server.addr, &code2).await.unwrap();

    let (ok, _, err) = tokio::task::block_in_place(|| {
        backup(&[
            "--database".as_ref(),
            source.as_ref(),
            "--to".as_ref(),
            cwd.path().join("x").as_os_str(),
        ])
    });
    assert!(!ok && err.contains("pg_dump"), "{err}");

    let dump = cwd.path().join("yanzhen.dump");
    let dump_str = dump.to_str().unwrap().to_owned();
    let port = cluster.port().to_string();
    let conn = [
        "-h",
        "127.0.0.1",
        "-p",
        port.as_str(),
        "-U",
        yanzhen_pgtest::SUPERUSER,
    ];
    let before = write_and_back_up(&server.addr, &token, &writer_token, || {
        let mut args = conn.to_vec();
        args.extend(["-Fc", "-f", &dump_str, &source_db]);
        pg_tool("pg_dump", &args);
    })
    .await;
    drop(server);

    let restored = cluster.create_database(&restored_db).unwrap();
    let mut args = conn.to_vec();
    args.extend(["--no-owner", "-d", &restored_db, &dump_str]);
    tokio::task::block_in_place(|| pg_tool("pg_restore", &args));
    let server = tokio::task::block_in_place(|| start_pg(&restored, cwd.path()));
    check_restored(&server.addr, &token, &writer_token, before).await;
}

/// A parsed exposition: `name{labels}` → value; checks the line format.
fn parse_metrics(text: &str) -> BTreeMap<String, f64> {
    let mut typed: HashSet<String> = HashSet::new();
    let mut samples = BTreeMap::new();
    let name_ok = |n: &str| {
        !n.is_empty()
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
            && !n.starts_with(|c: char| c.is_ascii_digit())
    };
    for line in text.lines() {
        assert!(!line.is_empty(), "empty line in\n{text}");
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let (name, help) = rest.split_once(' ').unwrap();
            assert!(name_ok(name) && !help.is_empty(), "{line}");
            continue;
        }
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap();
            assert!(name_ok(name), "{line}");
            assert!(
                ["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind),
                "{line}"
            );
            assert!(typed.insert(name.to_owned()), "TYPE twice: {line}");
            continue;
        }
        assert!(!line.starts_with('#'), "{line}");
        let (series, value) = line.rsplit_once(' ').unwrap();
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            v => v.parse().unwrap_or_else(|_| panic!("value in {line}")),
        };
        let name = series.split('{').next().unwrap();
        assert!(name_ok(name), "{line}");
        let labels = &series[name.len()..];
        if !labels.is_empty() {
            let inner = labels.strip_prefix('{').and_then(|l| l.strip_suffix('}'));
            let inner = inner.unwrap_or_else(|| panic!("labels in {line}"));
            // label="value" pairs; values here have no escaped quotes.
            for pair in inner.split("\",") {
                let (k, v) = pair.split_once("=\"").unwrap_or_else(|| panic!("{line}"));
                assert!(name_ok(k), "{line}");
                assert!(!v.trim_end_matches('"').contains('"'), "{line}");
            }
        }
        let base = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|s| name.strip_suffix(s).filter(|b| typed.contains(*b)))
            .unwrap_or(name);
        assert!(typed.contains(base), "sample before its TYPE: {line}");
        assert!(
            samples.insert(series.to_owned(), value).is_none(),
            "twice: {line}"
        );
    }
    samples
}

async fn metrics(addr: &str, headers: &[(&str, &str)]) -> BTreeMap<String, f64> {
    let (status, head, body) = call(addr, "GET", "/metrics", headers, None).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        head.contains("content-type: text/plain; version=0.0.4"),
        "{head}"
    );
    parse_metrics(&body)
}

fn get(m: &BTreeMap<String, f64>, series: &str) -> f64 {
    m.get(series).copied().unwrap_or(0.0)
}

/// `/metrics` on the binary: counters move when a tablet syncs and when a
/// hostile message is refused; the node id labels every sample and names
/// every log line; a forwarded request may not read it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_sync_and_refusals_and_name_the_node() {
    let data = tempfile::tempdir().unwrap();
    let (server, code) = tokio::task::block_in_place(|| {
        let code = cli_code(bin(), data.path()).unwrap();
        let server = RealServer::start(
            bin(),
            data.path(),
            "127.0.0.1:0",
            &["--node-id", "ops-node-7"],
        )
        .unwrap();
        (server, code)
    });
    let addr = server.addr.clone();
    let l = |name: &str| format!("{name}{{node=\"ops-node-7\"}}");
    let start = metrics(&addr, &[]).await;
    assert_eq!(get(&start, &l("yanzhen_sync_connections")), 0.0);
    assert_eq!(get(&start, &l("yanzhen_sync_messages_received_total")), 0.0);
    assert!(start.keys().all(|k| k.contains("node=\"ops-node-7\"")));

    let token = enrol_token(&addr, &code).await.unwrap();
    let url = format!("ws://{addr}/sync?token={token}");
    let mut t = Tablet::new("m", 4);
    t.connect(&url).await;
    let (id, am) = document(7);
    t.add(id, am).await;
    t.sync_to_server(id).await;
    let synced = metrics(&addr, &[]).await;
    assert_eq!(get(&synced, &l("yanzhen_sync_connections")), 1.0);
    assert_eq!(
        get(&synced, &l("yanzhen_sync_connections_opened_total")),
        1.0
    );
    assert!(
        get(&synced, &l("yanzhen_sync_messages_received_total")) >= 2.0,
        "{synced:?}"
    );
    assert!(get(&synced, &l("yanzhen_sync_received_bytes_total")) > 0.0);
    assert!(get(&synced, &l("yanzhen_sync_messages_sent_total")) >= 2.0);
    assert!(get(&synced, &l("yanzhen_sync_sent_bytes_total")) > 0.0);
    assert!(get(&synced, &l("yanzhen_documents_stored_total")) >= 1.0);
    assert!(get(&synced, &l("yanzhen_documents_in_memory")) >= 1.0);
    assert_eq!(
        get(
            &synced,
            "yanzhen_enrolments_total{node=\"ops-node-7\",result=\"ok\"}"
        ),
        1.0
    );
    let puts = |m: &BTreeMap<String, f64>| {
        ["put", "put_all"]
            .iter()
            .map(|op| {
                get(
                    m,
                    &format!(
                        "yanzhen_storage_operation_duration_seconds_count{{node=\"ops-node-7\",op=\"{op}\"}}"
                    ),
                )
            })
            .sum::<f64>()
    };
    assert!(puts(&synced) > puts(&start), "{synced:?}");
    t.close().await;

    // Hostile: garbage on a sync connection, and an unknown token.
    let mut ws = connect_ws(&url).await;
    ws.send(WsMessage::Binary(vec![0xff, 0x00, 0x13, 0x37].into()))
        .await
        .unwrap();
    // The server answers with an error and closes.
    while let Ok(Some(Ok(msg))) = tokio::time::timeout(Duration::from_secs(10), ws.next()).await {
        if matches!(msg, WsMessage::Close(_)) {
            break;
        }
    }
    let bad =
        tokio_tungstenite::connect_async(format!("ws://{addr}/sync?token=yz_not_a_token")).await;
    match bad {
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => assert_eq!(res.status(), 401),
        other => panic!("a bad token got {other:?}"),
    }
    let refused = metrics(&addr, &[]).await;
    let reason =
        |r: &str| format!("yanzhen_sync_refusals_total{{node=\"ops-node-7\",reason=\"{r}\"}}");
    assert_eq!(
        get(&refused, &reason("message.malformed")),
        1.0,
        "{refused:?}"
    );
    assert_eq!(
        get(&refused, &reason("access.token.unknown")),
        1.0,
        "{refused:?}"
    );
    // Closed connections leave the gauge (once their close handshakes end).
    drop(ws);
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let m = metrics(&addr, &[]).await;
        if get(&m, &l("yanzhen_sync_connections")) == 0.0 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{m:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Through a proxy on the same host (forwarding headers): refused.
    let (status, _, body) = call(
        &addr,
        "GET",
        "/metrics",
        &[("X-Forwarded-For", "192.0.2.9")],
        None,
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert!(!body.contains("yanzhen_"), "{body}");

    // Every log line names the node.
    let log = server.log_lines();
    assert!(!log.is_empty());
    for line in &log {
        assert!(line.contains(" node=ops-node-7 "), "{line}");
    }
    drop(server);
}

/// With `--metrics-token` only requests bearing it may read `/metrics`
/// (loopback too); `--log-format json` writes one JSON object per line,
/// each naming the node.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_token_and_json_logs() {
    let data = tempfile::tempdir().unwrap();
    let secret = "metrics-token-0123456789";
    let server = tokio::task::block_in_place(|| {
        RealServer::start(
            bin(),
            data.path(),
            "127.0.0.1:0",
            &[
                "--metrics-token",
                secret,
                "--log-format",
                "json",
                "--node-id",
                "json-node",
            ],
        )
        .unwrap()
    });
    let addr = server.addr.clone();
    let (status, _, body) = call(&addr, "GET", "/metrics", &[], None).await;
    assert_eq!(status, 403, "{body}");
    let wrong = "Bearer metrics-token-0123456780";
    let (status, _, _) = call(&addr, "GET", "/metrics", &[("Authorization", wrong)], None).await;
    assert_eq!(status, 403);
    let right = format!("Bearer {secret}");
    let m = metrics(&addr, &[("Authorization", &right)]).await;
    assert_eq!(get(&m, "yanzhen_sync_connections{node=\"json-node\"}"), 0.0);
    // A sample per storage operation and bucket, at least.
    assert!(m.len() > 100, "{}", m.len());

    let log = server.log_lines();
    assert!(log.iter().any(|l| l.contains("started")), "{log:#?}");
    for line in &log {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_eq!(v["node"], "json-node", "{line}");
        assert!(
            v["level"].is_string() && v["timestamp"].is_string(),
            "{line}"
        );
        // The token is never logged.
        assert!(!line.contains(secret), "{line}");
    }
    drop(server);
}
