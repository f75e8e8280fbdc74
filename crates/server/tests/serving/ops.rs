//! Operations, with the real binary: `backup` while the server runs and a
//! tablet keeps writing, then a server on the restored file (documents,
//! keys, storage id and device tokens all there).

use std::{
    collections::BTreeMap,
    path::Path,
    process::{Command, Stdio},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::Duration,
};

use automerge::{Automerge, ChangeHash, ROOT, ReadDoc as _, transaction::Transactable as _};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use yanzhen_sync::{
    DocumentId,
    attest::{Attestation, DistrictKeys},
};
use yanzhen_testkit::{
    process::{RealServer, cli_code, enrol_token},
    tablet::Tablet,
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

/// The backup, restored: documents acknowledged before the backup started
/// are all on a server started over the restored file, with the same
/// storage id and keys (an attestation signed before verifies), and the
/// devices enrolled before still get in — while a tablet kept writing
/// during the backup.
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
    let url = format!("ws://{addr}/sync?token={token}");

    // Tablet A stores documents; each acknowledged (the server's heads).
    let mut a = Tablet::new("a", 1);
    a.connect(&url).await;
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
    let before_keys: DistrictKeys =
        serde_json::from_value(json(&addr, "GET", "/api/me", &token, None).await["keys"].clone())
            .unwrap();
    let attested: Vec<Attestation> = serde_json::from_value(
        json(
            &addr,
            "POST",
            "/api/attest",
            &token,
            Some(serde_json::json!({ "documents": ids })),
        )
        .await["attestations"]
            .clone(),
    )
    .unwrap();
    assert_eq!(attested.len(), acked.len());
    let bootstrap = json(&addr, "GET", "/api/bootstrap", &token, None).await;
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

    // The backup, while W writes.
    let file = data.path().join("backups").join("yanzhen-backup.sqlite");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let w_acked_before_backup = w_acked.lock().unwrap().clone();
    assert!(!w_acked_before_backup.is_empty());
    let written_before = written.load(Ordering::SeqCst);
    let (ok, out, err) = tokio::task::block_in_place(|| {
        backup(&[
            "--data".as_ref(),
            data.path().as_os_str(),
            "--to".as_ref(),
            file.as_os_str(),
        ])
    });
    assert!(ok, "backup failed: {err}");
    assert_eq!(out.trim(), file.display().to_string());
    let written_during = written.load(Ordering::SeqCst) - written_before;
    // Once more: an existing file is not replaced.
    let (ok, _, err) = tokio::task::block_in_place(|| {
        backup(&[
            "--data".as_ref(),
            data.path().as_os_str(),
            "--to".as_ref(),
            file.as_os_str(),
        ])
    });
    assert!(!ok && err.contains("--force"), "{err}");
    stop.store(true, Ordering::SeqCst);
    let mut w = writer.await.unwrap();
    eprintln!(
        "writer: {} changes, {written_during} while the backup ran",
        written.load(Ordering::SeqCst)
    );
    assert!(
        server.log_lines().iter().all(|l| !l.contains("ERROR")),
        "{:#?}",
        server.log_lines()
    );
    w.close().await;
    a.close().await;
    drop(server);

    // Restore: the backup file as the database of a fresh data directory.
    let restored = tempfile::tempdir().unwrap();
    std::fs::copy(&file, restored.path().join("yanzhen.sqlite")).unwrap();
    let server = tokio::task::block_in_place(|| {
        RealServer::start(bin(), restored.path(), "127.0.0.1:0", &[]).unwrap()
    });
    let addr = server.addr.clone();
    let bootstrap = json(&addr, "GET", "/api/bootstrap", &token, None).await;
    assert_eq!(bootstrap["storageId"], storage_id.as_str());
    // Both devices' tokens work; the keys are the same.
    let me = json(&addr, "GET", "/api/me", &token, None).await;
    let after_keys: DistrictKeys = serde_json::from_value(me["keys"].clone()).unwrap();
    assert_eq!(after_keys, before_keys);
    json(&addr, "GET", "/api/me", &writer_token, None).await;
    for att in &attested {
        att.verify(&after_keys.server_key).unwrap();
    }
    // A fresh tablet gets every document as acknowledged before the backup.
    let mut r = Tablet::new("r", 3);
    r.connect(&format!("ws://{addr}/sync?token={token}")).await;
    for (id, heads) in &acked {
        r.find(*id).await;
        let id = *id;
        r.pump_until("a document from the restored server", |t| {
            !t.heads(&id).is_empty() && t.server_has_our_heads(&id)
        })
        .await;
        assert_eq!(&r.heads(&id), heads, "{id}");
    }
    r.find(w_id).await;
    r.pump_until("the written document", |t| {
        !t.heads(&w_id).is_empty() && t.server_has_our_heads(&w_id)
    })
    .await;
    let restored_w = r.node.document(&w_id).unwrap();
    for h in &w_acked_before_backup {
        assert!(
            restored_w.get_change_by_hash(h).is_some(),
            "change {h} was acknowledged before the backup started but is not in it"
        );
    }
    // New attestations from the restored server verify with the old key.
    let again: Vec<Attestation> = serde_json::from_value(
        json(
            &addr,
            "POST",
            "/api/attest",
            &token,
            Some(serde_json::json!({ "documents": [w_id.to_string()] })),
        )
        .await["attestations"]
            .clone(),
    )
    .unwrap();
    again[0].verify(&before_keys.server_key).unwrap();
    r.close().await;
}
