//! Interoperability with the real JS automerge-repo (npm): a native client
//! driven by [`SyncNode`] over a blocking WebSocket (tungstenite) talks to
//! the reference JS sync server
//! (`crates/server/tests/interop/sync-server.mjs`), and a JS client
//! (`crates/server/tests/interop/client.mjs`) sees and answers its changes.
//!
//! Needs `node` on the PATH (`cargo xtask test` checks for it) and fails
//! without it: a skipped interop test would prove nothing. Runs `npm ci` in
//! `crates/server/tests/interop` first if `node_modules` is missing, and
//! fails if that fails. Every wait is bounded; child processes are killed on drop.

#![cfg(not(target_arch = "wasm32"))]

use std::io::{BufRead, BufReader, ErrorKind, Read};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc, Value};
use tungstenite::{Message as WsMessage, WebSocket};
use yanzhen_sync::{
    Config, ConnectionId, DocumentId, Effect, Event, PeerId, PeerMetadata, StorageId, SyncNode,
};

const WAIT: Duration = Duration::from_secs(30);

/// Kills and reaps the child when dropped.
struct ChildGuard(Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn interop_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/tests/interop")
}

fn node_present() -> bool {
    Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn ensure_node_modules(dir: &Path) {
    if dir.join("node_modules/@automerge/automerge-repo").exists() {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .status()
        .expect("running npm ci in crates/server/tests/interop");
    assert!(
        status.success(),
        "npm ci in crates/server/tests/interop failed: {status}"
    );
}

/// Starts the JS sync server on a free port (it binds port 0 and prints the
/// port it got).
fn start_js_server(dir: &Path, storage: &Path) -> (ChildGuard, u16) {
    let mut child = Command::new("node")
        .arg("sync-server.mjs")
        .arg("0")
        .arg(storage)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("starting node sync-server.mjs");
    let stdout = child.stdout.take().expect("piped stdout");
    let guard = ChildGuard(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(WAIT)
        .expect("the JS sync server did not print its port in time");
    let port = line
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("the JS sync server printed {line:?}, not a port"));
    (guard, port)
}

/// A native client: a [`SyncNode`] driven over one blocking WebSocket.
struct Native {
    node: SyncNode,
    ws: WebSocket<TcpStream>,
    conn: ConnectionId,
    start: Instant,
    seen: Vec<Effect>,
}

impl Native {
    fn connect(port: u16) -> Self {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("tcp connect");
        stream
            .set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap();
        stream.set_write_timeout(Some(WAIT)).unwrap();
        let (ws, _) = tungstenite::client(format!("ws://127.0.0.1:{port}"), stream)
            .expect("websocket handshake");
        let config = Config::client(
            PeerId::new(format!("yanzhen-native-{}", std::process::id())),
            PeerMetadata::durable(StorageId::from_random([7; 16])),
        );
        let mut me = Self {
            node: SyncNode::new(config),
            ws,
            conn: ConnectionId(1),
            start: Instant::now(),
            seen: Vec::new(),
        };
        let fx = me.node.handle(
            me.now(),
            Event::Connected {
                conn: me.conn,
                initiator: true,
            },
        );
        me.apply(fx);
        me
    }

    fn now(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }

    fn apply(&mut self, fx: Vec<Effect>) {
        for e in fx {
            match e {
                Effect::Send { bytes, .. } => self
                    .ws
                    .send(WsMessage::Binary(bytes.into()))
                    .expect("websocket send"),
                Effect::Close { reason, .. } => panic!("our node closed the connection: {reason}"),
                other => self.seen.push(other),
            }
        }
    }

    /// Reads and handles messages until `done` holds; panics after `WAIT`.
    fn pump_until(&mut self, what: &str, mut done: impl FnMut(&mut Self) -> bool) {
        eprintln!("[{} ms] waiting for {what}", self.now());
        let deadline = Instant::now() + WAIT;
        while !done(self) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; saw {:?}",
                self.seen
            );
            self.pump_once();
        }
    }

    fn pump_once(&mut self) {
        match self.ws.read() {
            Ok(WsMessage::Binary(bytes)) => {
                let fx = self.node.handle(
                    self.now(),
                    Event::Received {
                        conn: self.conn,
                        bytes: bytes.to_vec(),
                    },
                );
                self.apply(fx);
            }
            Ok(WsMessage::Close(frame)) => panic!("the server closed the websocket: {frame:?}"),
            Ok(_) => {}
            Err(tungstenite::Error::Io(e))
                if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) => panic!("websocket read: {e}"),
        }
    }

    /// A string at the root: a scalar string (as Rust writes) or a text
    /// object (as JS automerge 3 writes `d.key = "…"`).
    fn get(&self, doc: DocumentId, key: &str) -> Option<String> {
        let am = self.node.document(&doc)?;
        match am.get(ROOT, key).ok().flatten()? {
            (Value::Object(ObjType::Text), obj) => am.text(&obj).ok(),
            (v, _) => v.into_string().ok(),
        }
    }

    fn server_has_our_heads(&self, doc: DocumentId) -> bool {
        let ours = self.node.document(&doc).unwrap().get_heads();
        self.node.peer_heads(&doc, self.conn) == Some(&ours[..])
    }
}

/// Runs `client.mjs` while pumping the native client, so it can answer;
/// returns the client's JSON output.
/// A JS client on `ws_url` finds document `id` and expects `expect`
/// (`key=value`) in it, then does what `more` says ([`run_js_client`]).
fn js_finds(
    dir: &Path,
    native: &mut Native,
    ws_url: &str,
    id: DocumentId,
    expect: &str,
    more: &[&str],
) -> serde_json::Value {
    let mut args = vec![
        ws_url.to_owned(),
        "--find".into(),
        id.to_url(),
        "--expect".into(),
        expect.to_owned(),
    ];
    args.extend(more.iter().map(|a| (*a).to_owned()));
    run_js_client(dir, native, &args)
}

fn run_js_client(dir: &Path, native: &mut Native, args: &[String]) -> serde_json::Value {
    let mut child = ChildGuard(
        Command::new("node")
            .arg("client.mjs")
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starting node client.mjs"),
    );
    let mut stdout = child.0.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut out = String::new();
        let _ = stdout.read_to_string(&mut out);
        let _ = tx.send(out);
    });
    let mut status = None;
    native.pump_until("client.mjs to finish", |_| {
        status = child.0.try_wait().expect("waiting for client.mjs");
        status.is_some()
    });
    let out = rx.recv_timeout(WAIT).expect("client.mjs output");
    let status = status.unwrap();
    assert!(
        status.success(),
        "client.mjs {args:?} failed ({status}): {out}"
    );
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("client.mjs printed {out:?}: {e}"))
}

#[test]
fn native_client_interoperates_with_js_automerge_repo() {
    assert!(
        node_present(),
        "node is not installed: the JS interop test needs Node.js"
    );
    let dir = interop_dir();
    ensure_node_modules(&dir);
    let storage = std::env::temp_dir().join(format!("yanzhen-interop-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&storage);
    std::fs::create_dir_all(&storage).unwrap();
    let (_server, port) = start_js_server(&dir, &storage);
    let ws_url = format!("ws://127.0.0.1:{port}");

    // Handshake: the JS server answers with its durable storage id.
    let mut native = Native::connect(port);
    native.pump_until("the peer message", |n| {
        n.seen
            .iter()
            .any(|e| matches!(e, Effect::PeerConnected { .. }))
    });
    let server_meta = native.seen.iter().find_map(|e| match e {
        Effect::PeerConnected { metadata, .. } => Some(metadata.clone()),
        _ => None,
    });
    assert!(server_meta.unwrap().storage_id.is_some());

    // Create a document natively and sync it up.
    let mut id_bytes = [0u8; 16];
    id_bytes[..4].copy_from_slice(&std::process::id().to_be_bytes());
    id_bytes[4..12]
        .copy_from_slice(&(native.start.elapsed().as_nanos() as u64 ^ 0x5a5a).to_be_bytes());
    let id = DocumentId::from_bytes(id_bytes);
    let mut am = Automerge::new();
    let mut tx = am.transaction();
    tx.put(ROOT, "title", "from rust").unwrap();
    tx.commit();
    let fx = native.node.add_document(id, am).unwrap();
    native.apply(fx);
    native.pump_until("the JS server to have our heads", |n| {
        n.server_has_our_heads(id)
    });

    // A JS client finds it, sees our change, changes it; we receive that.
    native.seen.clear();
    let out = js_finds(
        &dir,
        &mut native,
        &ws_url,
        id,
        "title=from rust",
        &["--set", "title=from js"],
    );
    assert_eq!(out["documentId"], id.to_string());
    assert_eq!(out["doc"]["title"], "from js");
    native.pump_until("the JS change", |n| {
        n.get(id, "title").as_deref() == Some("from js")
    });
    assert!(
        native
            .seen
            .iter()
            .any(|e| matches!(e, Effect::DocumentChanged { doc, .. } if *doc == id))
    );

    // And back again: our next change reaches a fresh JS client.
    let (_, fx) = native
        .node
        .change(id, |am| {
            let mut tx = am.transaction();
            tx.put(ROOT, "reply", "from rust again").unwrap();
            tx.commit();
        })
        .unwrap();
    native.apply(fx);
    native.pump_until("the JS server to have our heads", |n| {
        n.server_has_our_heads(id)
    });
    let out = js_finds(&dir, &mut native, &ws_url, id, "reply=from rust again", &[]);
    assert_eq!(out["doc"]["title"], "from js");

    // A document nobody has: the JS server answers doc-unavailable.
    let unknown = DocumentId::from_bytes([0xee; 16]);
    let fx = native.node.find(unknown);
    native.apply(fx);
    native.pump_until("doc-unavailable", |n| {
        n.seen
            .contains(&Effect::DocumentUnavailable { doc: unknown })
    });

    let _ = std::fs::remove_dir_all(&storage);
}
