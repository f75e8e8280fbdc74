//! Abuse: malformed and hostile messages against a live server (in-process,
//! 127.0.0.1). Garbage bytes, CBOR declaring huge lengths, a WebSocket
//! frame declaring 2^62 bytes, messages over the size limit, valid CBOR
//! carrying invalid Automerge data, mutated real messages, a wrong sender,
//! and a loop of requests for unknown documents. Each hostile connection
//! gets a protocol `error` and a close (or, for unknown documents, a
//! `doc-unavailable` each and stays open); nothing else is closed: after
//! every attack `/healthz` answers 200 and an honest tablet, connected
//! throughout, still syncs a new change, and a fresh tablet still gets the
//! document.
//!
//! Long file: independent tests of one area, each standing alone; split by
//! area already, a test is read one at a time.

use yanzhen_testkit::server;
use yanzhen_testkit::tablet;
use yanzhen_testkit::{chaos, process};

use automerge::{Automerge, ROOT, transaction::Transactable as _};
use futures_util::{SinkExt as _, StreamExt as _};
use server::Server;
use tablet::{Tablet, WAIT, Ws, connect_ws};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio_tungstenite::tungstenite::{Message as WsMessage, protocol::frame::coding::CloseCode};
use yanzhen_server::SyncSettings;
use yanzhen_sync::bounds::craft;
use yanzhen_sync::{DocumentId, Message, PeerId, PeerMetadata, StorageId};

const LIMIT: usize = 64 * 1024;

fn doc_with(key: &str, value: &str) -> Automerge {
    let mut am = Automerge::new();
    let mut tx = am.transaction();
    tx.put(ROOT, key, value).unwrap();
    tx.commit();
    am
}

fn join_bytes(name: &str) -> Vec<u8> {
    Message::Join {
        sender_id: PeerId::new(name),
        peer_metadata: PeerMetadata::durable(StorageId::from_random([9; 16])),
        supported_protocol_versions: vec!["1".into()],
    }
    .encode()
}

/// Sends a join as `name`.
async fn send_join(ws: &mut Ws, name: &str) {
    ws.send(WsMessage::Binary(join_bytes(name).into()))
        .await
        .unwrap();
}

/// Waits for the server's answer to a join: its `peer` message.
async fn expect_peer(ws: &mut Ws) {
    let first = tokio::time::timeout(WAIT, ws.next()).await.unwrap();
    assert!(
        matches!(&first, Some(Ok(WsMessage::Binary(b))) if matches!(Message::decode(b), Ok(Message::Peer { .. }))),
        "{first:?}"
    );
}

/// How a hostile connection ended.
#[derive(Debug, PartialEq)]
enum End {
    /// An `error` message, then a close frame with this code.
    ErrorThenClose(String, Option<CloseCode>),
    /// Closed without an `error` first.
    Closed,
}

/// Reads until the connection ends (bounded).
async fn ending(ws: &mut tablet::Ws) -> End {
    let mut error = None;
    loop {
        let next = tokio::time::timeout(WAIT, ws.next())
            .await
            .expect("the server neither answered nor closed");
        match next {
            Some(Ok(WsMessage::Binary(b))) => {
                if let Ok(Message::Error { message, .. }) = Message::decode(&b) {
                    error = Some(message);
                }
            }
            Some(Ok(WsMessage::Close(frame))) => {
                return match error {
                    Some(e) => End::ErrorThenClose(e, frame.map(|f| f.code)),
                    None => End::Closed,
                };
            }
            None | Some(Err(_)) => {
                return match error {
                    Some(e) => End::ErrorThenClose(e, None),
                    None => End::Closed,
                };
            }
            Some(Ok(_)) => {}
        }
    }
}

/// Opens a connection, optionally joins, sends `bytes`, and returns how it
/// ended.
async fn attack(server: &Server, joined: bool, bytes: Vec<u8>) -> End {
    let mut ws = connect_ws(&server.url).await;
    if joined {
        send_join(&mut ws, "hostile").await;
        expect_peer(&mut ws).await;
    }
    // The server may close before it read everything: a failed send is fine.
    let _ = ws.send(WsMessage::Binary(bytes.into())).await;
    ending(&mut ws).await
}

fn refused(end: &End) -> bool {
    matches!(
        end,
        End::ErrorThenClose(_, Some(CloseCode::Policy | CloseCode::Size))
    )
}

/// The server is still fine: healthz, the honest tablet syncs a change,
/// a fresh tablet gets the document.
async fn still_healthy(server: &Server, honest: &mut Tablet, id: DocumentId, round: &str) {
    let (status, body) = server.get("/healthz").await;
    assert_eq!(status, 200, "{round}: {body}");
    honest_syncs_a_change(honest, id, round, "ok").await;
    fresh_tablet_gets(
        &server.url,
        &format!("fresh-{round}"),
        id,
        &honest.heads(&id),
    )
    .await;
}

/// The honest tablet, still connected after an attack, puts `key` =
/// `value` in `id` and the server gets it.
async fn honest_syncs_a_change(honest: &mut Tablet, id: DocumentId, key: &str, value: &str) {
    assert!(
        honest.is_connected(),
        "{key}: the honest tablet lost its link"
    );
    honest
        .change(id, |am| {
            let mut tx = am.transaction();
            tx.put(ROOT, key, value).unwrap();
            tx.commit();
        })
        .await;
    honest.sync_to_server(id).await;
}

/// A tablet that never had `id` connects, asks for it and gets `want`.
async fn fresh_tablet_gets(url: &str, name: &str, id: DocumentId, want: &[automerge::ChangeHash]) {
    let mut fresh = Tablet::new(name, 77);
    fresh.connect(url).await;
    fresh.find(id).await;
    fresh
        .pump_until("a fresh tablet to get the document", |t| {
            t.heads(&id) == want
        })
        .await;
}

fn huge_cbor() -> Vec<(&'static str, Vec<u8>)> {
    let max = [0xff; 8];
    let with = |head: u8| {
        let mut v = vec![head];
        v.extend_from_slice(&max);
        v.extend_from_slice(b"x");
        v
    };
    // A map whose "data" byte string claims 2^32 bytes.
    let mut lying_data = vec![0xa2];
    lying_data.extend_from_slice(&[0x64, b't', b'y', b'p', b'e', 0x64, b's', b'y', b'n', b'c']);
    lying_data.extend_from_slice(&[
        0x64, b'd', b'a', b't', b'a', 0x5a, 0xff, 0xff, 0xff, 0xff, 1, 2,
    ]);
    vec![
        ("map of 2^64-1 entries", with(0xbb)),
        ("array of 2^64-1 items", with(0x9b)),
        ("byte string of 2^64-1 bytes", with(0x5b)),
        ("text of 2^64-1 bytes", with(0x7b)),
        ("sync message whose data claims 4 GiB", lying_data),
        ("indefinite nesting", vec![0x9f; 10_000]),
        ("deep nesting", vec![0x81; 50_000]),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_messages_close_only_their_connection() {
    let data = tempfile::tempdir().unwrap();
    let settings = SyncSettings {
        max_message_bytes: LIMIT,
        ..server::test_settings()
    };
    let server = Server::start(data.path(), settings, false).await;
    let id = DocumentId::from_bytes([21; 16]);
    let mut honest = Tablet::new("honest", 1);
    honest.connect(&server.url).await;
    honest.add(id, doc_with("k", "v")).await;
    honest.sync_to_server(id).await;

    // Garbage, before and after the handshake.
    let mut rng = chaos::Rng::new(5);
    for i in 0..20 {
        let len = rng.range(1, 300) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        let end = attack(&server, i % 2 == 1, bytes.clone()).await;
        assert!(refused(&end), "garbage {bytes:?}: {end:?}");
    }
    still_healthy(&server, &mut honest, id, "garbage").await;

    // CBOR declaring huge lengths.
    for (what, bytes) in huge_cbor() {
        for joined in [false, true] {
            let end = attack(&server, joined, bytes.clone()).await;
            assert!(refused(&end), "{what} (joined: {joined}): {end:?}");
        }
    }
    still_healthy(&server, &mut honest, id, "huge-lengths").await;

    // Over the size limit: the node refuses it (within the transport's
    // slack), the WebSocket layer refuses it (beyond).
    let end = attack(&server, true, vec![0; LIMIT + 1]).await;
    assert!(
        matches!(&end, End::ErrorThenClose(m, Some(CloseCode::Policy)) if m.contains("limit")),
        "{end:?}"
    );
    let end = attack(
        &server,
        true,
        vec![0; LIMIT + yanzhen_server::sync::TRANSPORT_SLACK + 1],
    )
    .await;
    // The error always arrives; the close frame may be lost to a reset
    // while the client is still writing the rest of the message.
    assert!(
        matches!(&end, End::ErrorThenClose(m, Some(CloseCode::Size) | None) if m.contains("too long")),
        "{end:?}"
    );
    // A frame header declaring 2^62 bytes, written by hand.
    frame_declaring_huge_length(&server).await;
    still_healthy(&server, &mut honest, id, "size").await;

    // Valid CBOR, valid protocol message, invalid Automerge data.
    let sync_with = |data: Vec<u8>, doc: DocumentId| {
        Message::Sync {
            sender_id: PeerId::new("hostile"),
            target_id: server_peer(),
            document_id: doc,
            data,
        }
        .encode()
    };
    for data in [
        vec![],
        vec![0x42],
        vec![0x42, 0xff, 0xff, 0xff, 0xff, 0xff],
        (0..500).map(|i| (i * 7) as u8).collect(),
    ] {
        for doc in [id, DocumentId::from_bytes([22; 16])] {
            let end = attack(&server, true, sync_with(data.clone(), doc)).await;
            assert!(refused(&end), "automerge data {data:?}: {end:?}");
        }
    }
    // A real sync message with bytes flipped inside its changes.
    let real = real_sync_message(id, &honest);
    let mut accepted = 0;
    for i in 0..40 {
        let mut data = real.clone();
        let at = 8 + (i * 13) % (data.len() - 8);
        data[at] ^= 0x5a;
        match attack_lenient(&server, sync_with(data, id)).await {
            End::ErrorThenClose(..) => {}
            // Flipping a byte the decoder ignores (a bloom filter bit, …)
            // leaves a valid message: it is answered, not refused.
            End::Closed => accepted += 1,
        }
    }
    eprintln!("{accepted} of 40 mutated sync messages were still valid");
    // A message claiming another sender.
    let spoofed = Message::Request {
        sender_id: PeerId::new("somebody-else"),
        target_id: server_peer(),
        document_id: id,
        data: real.clone(),
    }
    .encode();
    let end = attack(&server, true, spoofed).await;
    assert!(refused(&end), "spoofed sender: {end:?}");
    still_healthy(&server, &mut honest, id, "invalid-automerge").await;

    // Requests for unknown documents in a loop: each is unavailable, the
    // connection stays open.
    let mut t = Tablet::new("prober", 3);
    t.connect(&server.url).await;
    let n = 300u32;
    for i in 0..n {
        let mut b = [0xd0; 16];
        b[..4].copy_from_slice(&i.to_le_bytes());
        t.find(DocumentId::from_bytes(b)).await;
    }
    t.pump_until("every unknown document to be unavailable", |t| {
        t.seen
            .iter()
            .filter(|e| matches!(e, yanzhen_sync::Effect::DocumentUnavailable { .. }))
            .count()
            == n as usize
    })
    .await;
    assert!(t.is_connected());
    still_healthy(&server, &mut honest, id, "unknown-documents").await;
    server.stop().await;
}

/// Like [`attack`] after a join, but a valid message may be answered
/// normally: a probe (a request for an unknown document) follows it, and
/// its `doc-unavailable` tells that the message was taken (`Closed`).
async fn attack_lenient(server: &Server, bytes: Vec<u8>) -> End {
    let mut ws = connect_ws(&server.url).await;
    send_join(&mut ws, "hostile").await;
    let _ = ws.send(WsMessage::Binary(bytes.into())).await;
    let probe_doc = DocumentId::from_bytes([0xee; 16]);
    let probe = {
        use automerge::sync::SyncDoc as _;
        let empty = Automerge::new()
            .generate_sync_message(&mut automerge::sync::State::new())
            .unwrap();
        Message::Request {
            sender_id: PeerId::new("hostile"),
            target_id: server_peer(),
            document_id: probe_doc,
            data: empty.encode(),
        }
        .encode()
    };
    let _ = ws.send(WsMessage::Binary(probe.into())).await;
    loop {
        let next = tokio::time::timeout(WAIT, ws.next())
            .await
            .expect("the server neither answered nor closed");
        match next {
            Some(Ok(WsMessage::Binary(b))) => match Message::decode(&b) {
                Ok(Message::Error { message, .. }) => return End::ErrorThenClose(message, None),
                Ok(Message::DocUnavailable { document_id, .. }) if document_id == probe_doc => {
                    return End::Closed;
                }
                _ => {}
            },
            Some(Ok(_)) => {}
            None | Some(Err(_)) => return End::Closed,
        }
    }
}

fn server_peer() -> PeerId {
    PeerId::new("server")
}

/// The automerge sync message a new peer would send for `id`, holding the
/// honest tablet's changes.
fn real_sync_message(id: DocumentId, honest: &Tablet) -> Vec<u8> {
    let am = honest.node.document(&id).unwrap().clone();
    let mut state = automerge::sync::State::new();
    use automerge::sync::SyncDoc as _;
    // Two rounds against an empty peer yield a message carrying changes.
    let mut empty = Automerge::new();
    let mut their = automerge::sync::State::new();
    let first = am.generate_sync_message(&mut state).unwrap();
    empty.receive_sync_message(&mut their, first).unwrap();
    let reply = empty.generate_sync_message(&mut their).unwrap();
    let mut am2 = am.clone();
    am2.receive_sync_message(&mut state, reply).unwrap();
    am2.generate_sync_message(&mut state).unwrap().encode()
}

async fn frame_declaring_huge_length(server: &Server) {
    let token = server.admin_token.clone();
    let mut s = tokio::net::TcpStream::connect(&server.addr).await.unwrap();
    let req = format!(
        "GET /sync?token={token} HTTP/1.1\r\nHost: {}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
        server.addr
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = tokio::time::timeout(WAIT, s.read(&mut byte))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(n, 1, "closed during the upgrade");
        head.push(byte[0]);
    }
    assert!(
        head.starts_with(b"HTTP/1.1 101"),
        "{}",
        String::from_utf8_lossy(&head)
    );
    // FIN + binary, masked, 64-bit length 2^62, mask, a few payload bytes.
    let mut frame = vec![0x82, 0xff];
    frame.extend_from_slice(&(1u64 << 62).to_be_bytes());
    frame.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
    s.write_all(&frame).await.unwrap();
    // The server answers (an error and a close frame) and closes: read to
    // the end, bounded; it must not wait for 2^62 bytes.
    let mut rest = Vec::new();
    let read = tokio::time::timeout(WAIT, s.read_to_end(&mut rest)).await;
    assert!(read.is_ok(), "the server waited for the declared payload");
    // A close frame from the server: 0x88, then its code 1009 (0x03f1).
    assert!(
        rest.windows(4)
            .any(|w| w[0] == 0x88 && w[2..] == [0x03, 0xf1]),
        "no close frame with code 1009 in {rest:?}"
    );
}

/// `writer` puts `key` = `value` at the root of `id`; the server refuses
/// the change with an `error` saying `why` and closes the connection.
async fn refused_change(
    writer: &mut Tablet,
    id: DocumentId,
    (key, value): (&str, &str),
    why: &str,
) {
    refused_with(writer, id, unsigned_put(key, value), why).await;
}

/// A change putting `key` = `value` with no change message (as a JS
/// automerge-repo client makes it).
fn unsigned_put<'a>(key: &'a str, value: &'a str) -> impl FnOnce(&mut Automerge) + 'a {
    move |am| {
        let mut tx = am.transaction();
        tx.put(ROOT, key, value).unwrap();
        tx.commit();
    }
}

/// A change putting `key` = `value` whose message names `device` in `role`.
fn signed_put<'a>(
    device: &'a str,
    role: &'a str,
    key: &'a str,
    value: &'a str,
) -> impl FnOnce(&mut Automerge) + 'a {
    move |am| {
        let mut tx = am.transaction();
        tx.put(ROOT, key, value).unwrap();
        tx.commit_with(tablet::signed(device, role));
    }
}

/// The writer makes `change` to `id`; the server refuses it: the writer is
/// told `why` and its connection closes.
async fn refused_with(
    writer: &mut Tablet,
    id: DocumentId,
    change: impl FnOnce(&mut Automerge),
    why: &str,
) {
    writer.change(id, change).await;
    writer
        .pump_until("the server to refuse the change", |t| t.closed.is_some())
        .await;
    assert!(
        writer.saw(
            |e| matches!(e, yanzhen_sync::Effect::RemoteError { message, .. } if message == why)
        ),
        "the writer is told {why}: {:?}",
        writer.closed
    );
}

/// A full disk (every write of the document table refused, as SQLite says
/// "database or disk is full"): the writer is told `storage.write_failed`,
/// its connection closes and it keeps its change; a reader stays connected
/// and a fresh tablet still reads the stored document; `/healthz` says 503;
/// once the disk has room again the writer reconnects, its change is
/// stored, and `/healthz` is 200 again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_fails_only_the_writes() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), server::test_settings(), false).await;
    let id = DocumentId::from_bytes([42; 16]);
    let mut writer = Tablet::new("writer", 1);
    writer.connect(&server.url).await;
    writer.add(id, doc_with("name", "东风村")).await;
    writer.sync_to_server(id).await;
    let mut reader = Tablet::new("reader", 2);
    reader.connect(&server.url).await;
    reader.find(id).await;
    let stored_heads = writer.heads(&id);
    reader
        .pump_until("the reader to have the document", |t| {
            t.heads(&id) == stored_heads
        })
        .await;

    server.refuse_document_writes(true).await;
    refused_change(
        &mut writer,
        id,
        ("secretary", "王五"),
        yanzhen_server::sync::STORAGE_WRITE_FAILED,
    )
    .await;
    let unsaved = writer.heads(&id);
    assert_ne!(unsaved, stored_heads, "the writer keeps its change");
    let (status, body) = server.get("/healthz").await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("storage_fault"), "{body}");
    // Nothing unsaved was acknowledged or passed on.
    assert_eq!(
        server.stored(&id).await.map(|d| d.get_heads()),
        Some(stored_heads.clone())
    );
    assert!(reader.is_connected(), "the reader keeps its connection");
    fresh_tablet_gets(&server.url, "fresh-reader", id, &stored_heads).await;

    server.refuse_document_writes(false).await;
    writer.connect(&server.url).await;
    writer.sync_to_server(id).await;
    assert_eq!(
        server.stored(&id).await.map(|d| d.get_heads()),
        Some(unsaved.clone())
    );
    reader
        .pump_until("the reader to get the change", |t| t.heads(&id) == unsaved)
        .await;
    let (status, body) = server.get("/healthz").await;
    assert_eq!(status, 200, "{body}");
    server.stop().await;
}

/// The server's resident memory now and at its peak (kB), from /proc.
fn rss_kb(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{name} in {status}"))
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// A `sync` message for `doc` whose automerge data carries `chunk`.
fn sync_carrying(doc: DocumentId, chunk: Vec<u8>) -> Vec<u8> {
    Message::Sync {
        sender_id: PeerId::new("hostile"),
        target_id: PeerId::new("server"),
        document_id: doc,
        data: craft::sync_data(&[chunk]),
    }
    .encode()
}

/// The attacks of the trust-boundary review against the real binary, each
/// on a connection of an enrolled device that may write the document:
/// a 2 MB message inflating to 2 GiB (measured before the fix: 40 MB →
/// 6.3 GB), a change declaring a billion ops in a few bytes, 100 ephemeral
/// messages with 1 MiB session ids and 20 joins with 4 MiB peer ids
/// (before: 45 → 293 MB, never freed). Each attacking connection gets an
/// `error` and a close; an honest tablet syncs after each attack; the
/// server's peak resident memory stays within 64 MiB of what it was before
/// the attacks, and `/healthz` answers 200 throughout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_server_stays_bounded_under_memory_attacks() {
    const BOUND_KB: u64 = 64 * 1024;
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_yanzhen-server"));
    let data = tempfile::tempdir().unwrap();
    let honest_code = process::cli_code(bin, data.path()).unwrap();
    let hostile_code = process::cli_code(bin, data.path()).unwrap();
    let server = process::RealServer::start(bin, data.path(), "127.0.0.1:0", &[]).unwrap();
    let pid = server.pid().unwrap();
    let addr = server.addr.clone();
    let honest_url = format!(
        "ws://{addr}/sync?token={}",
        process::enrol_token(&addr, &honest_code).await.unwrap()
    );
    let hostile_url = format!(
        "ws://{addr}/sync?token={}",
        process::enrol_token(&addr, &hostile_code).await.unwrap()
    );
    let id = DocumentId::from_bytes([5; 16]);
    let mut honest = Tablet::new("honest", 5);
    honest.connect(&honest_url).await;
    honest.add(id, doc_with("name", "东风村")).await;
    honest.sync_to_server(id).await;

    let mut round = 0;
    let mut honest_syncs = async |honest: &mut Tablet, what: &str| {
        round += 1;
        let (status, body) = process::http(&addr, "GET", "/healthz", None).await.unwrap();
        assert_eq!(status, 200, "after {what}: {body}");
        honest_syncs_a_change(honest, id, &format!("round {round}"), what).await;
    };
    let hostile = async |bytes: Vec<u8>, join_as: &str| -> End {
        let mut ws = connect_ws(&hostile_url).await;
        send_join(&mut ws, join_as).await;
        if join_as.len() < 1000 {
            expect_peer(&mut ws).await;
            let _ = ws.send(WsMessage::Binary(bytes.into())).await;
        }
        ending(&mut ws).await
    };
    let (before, _) = rss_kb(pid);

    // 1. The decompression bomb.
    let bomb = sync_carrying(id, craft::inflation_bomb(2 << 30));
    assert!(bomb.len() < 3 << 20, "{}", bomb.len());
    let end = hostile(bomb, "hostile").await;
    assert!(
        matches!(&end, End::ErrorThenClose(e, Some(CloseCode::Policy)) if e.contains("inflates to more than")),
        "{end:?}"
    );
    honest_syncs(&mut honest, "the bomb").await;

    // 2. A billion ops declared by one run-length encoded column.
    let end = hostile(
        sync_carrying(id, craft::run_length_bomb(1_000_000_000)),
        "hostile",
    )
    .await;
    assert!(
        matches!(&end, End::ErrorThenClose(e, Some(CloseCode::Policy)) if e.contains("values")),
        "{end:?}"
    );
    honest_syncs(&mut honest, "the run-length bomb").await;

    // 3. 100 ephemeral messages with 1 MiB session ids.
    for i in 0..100u32 {
        let m = Message::Ephemeral {
            sender_id: PeerId::new("hostile"),
            target_id: PeerId::new("server"),
            document_id: id,
            session_id: yanzhen_sync::SessionId::new(format!("{i}{}", "s".repeat(1 << 20))),
            count: 1,
            data: vec![1],
        };
        let end = hostile(m.encode(), "hostile").await;
        assert!(
            matches!(&end, End::ErrorThenClose(e, Some(CloseCode::Policy)) if e.contains("sessionId")),
            "{end:?}"
        );
    }
    honest_syncs(&mut honest, "the session ids").await;

    // 4. 20 joins with 4 MiB peer ids.
    for i in 0..20u32 {
        let end = hostile(Vec::new(), &format!("{i}{}", "p".repeat(4 << 20))).await;
        assert!(
            matches!(&end, End::ErrorThenClose(e, Some(CloseCode::Policy)) if e.contains("senderId")),
            "{end:?}"
        );
    }
    honest_syncs(&mut honest, "the peer ids").await;

    let (now, peak) = rss_kb(pid);
    eprintln!("server RSS: {before} kB before, {now} kB after, peak {peak} kB");
    assert!(
        peak <= before + BOUND_KB,
        "peak RSS {peak} kB exceeds {before} kB + {BOUND_KB} kB"
    );
    drop(server);
}

/// The schema check: a writer that may write the district document sends a
/// change that leaves it unreadable as the model's type (the unit directory
/// replaced by a text). It is told `schema.invalid` and closed; nothing of
/// the change is stored or reaches a reader, whose dashboards would have
/// lost the whole district; a valid change goes through afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_that_breaks_the_schema_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), server::test_settings(), true).await;
    let district = server.directory().await.district.expect("demo district");
    let mut writer = Tablet::new("careless-admin", 7);
    writer.connect(&server.url).await;
    writer.find(district).await;
    let stored = server.stored(&district).await.unwrap().get_heads();
    writer
        .pump_until("the district document", |t| t.heads(&district) == stored)
        .await;
    let mut reader = Tablet::new("reader", 8);
    reader.connect(&server.url).await;
    reader.find(district).await;
    reader
        .pump_until("the district document", |t| t.heads(&district) == stored)
        .await;

    // Signed honestly (else the authorship check refuses it first).
    let admin = server.admin_device_id.clone();
    refused_with(
        &mut writer,
        district,
        signed_put(&admin, "admin", "units", "nothing here"),
        yanzhen_server::sync::SCHEMA_INVALID,
    )
    .await;
    assert_eq!(server.stored(&district).await.unwrap().get_heads(), stored);
    assert_eq!(reader.heads(&district), stored);
    assert!(reader.is_connected());
    let dir = server.directory().await;
    assert!(!dir.units.is_empty(), "the directory is intact");

    // A valid change still goes (from the reader, who may write too).
    reader
        .change(
            district,
            signed_put(&admin, "admin", "name", "沙市区（演示）"),
        )
        .await;
    reader.sync_to_server(district).await;
    let (status, body) = server.get("/healthz").await;
    assert_eq!(status, 200, "{body}");
    server.stop().await;
}

/// A village of the demo district with a document, and its township.
async fn a_village(server: &Server) -> (String, DocumentId, String) {
    use yanzhen_model::entities::UnitKind;
    let dir = server.directory().await;
    let v = dir
        .units
        .values()
        .find(|u| matches!(u.kind, UnitKind::Village | UnitKind::Community) && u.doc.is_some())
        .expect("a village with a document");
    (
        v.id.clone(),
        v.doc.unwrap(),
        v.parent.clone().expect("a township"),
    )
}

/// A tablet on `url` that has `id` as the server stores it.
async fn tablet_with(server: &Server, url: &str, name: &str, seed: u8, id: DocumentId) -> Tablet {
    let stored = server.stored(&id).await.unwrap().get_heads();
    let mut t = Tablet::new(name, seed);
    t.connect(url).await;
    t.find(id).await;
    t.pump_until("the document", |t| t.heads(&id) == stored)
        .await;
    t
}

/// The change message of `hash` in `am`.
fn message_of(am: &Automerge, hash: &automerge::ChangeHash) -> yanzhen_model::store::ChangeMessage {
    let meta = am.get_change_meta_by_hash(hash).expect("the change");
    yanzhen_model::store::ChangeMessage::decode(meta.message.as_deref().unwrap_or_default())
        .expect("a model change message")
}

/// Authorship (issue 14): a change to a unit document must name the device
/// that sends it, in its role. A village tablet naming another device, one
/// claiming the admin role, and a township tablet relaying a change a
/// village tablet made are each told `authorship.refused` and closed;
/// nothing of theirs is stored or reaches a fresh tablet, and an honest
/// tablet connected throughout keeps syncing. An honest village change is
/// stored and its history names the village's server device id and role;
/// a JS-style change without a model message to another document is still
/// accepted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_signed_by_another_device_or_role_are_refused() {
    use yanzhen_server::policy::Role;
    use yanzhen_server::sync::AUTHORSHIP_REFUSED;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), server::test_settings(), true).await;
    let (unit, id, township_unit) = a_village(&server).await;
    let village = server.enrol(Role::Village, Some(&unit), "village").await;
    let township = server
        .enrol(Role::Township, Some(&township_unit), "township")
        .await;
    let admin = server.admin_device_id.clone();
    let mut honest = tablet_with(&server, &server.url, "honest-admin", 1, id).await;
    let stored = server.stored(&id).await.unwrap().get_heads();

    let after_refusal = async |honest: &mut Tablet, round: &str| {
        assert_eq!(
            server.stored(&id).await.unwrap().get_heads(),
            stored,
            "{round}: nothing stored"
        );
        fresh_tablet_gets(&server.url, &format!("fresh-{round}"), id, &stored).await;
        assert!(honest.is_connected(), "{round}: the honest tablet stays");
    };

    // (a) A village tablet names another device.
    let mut forger = tablet_with(&server, &village.url, "forger", 2, id).await;
    refused_with(
        &mut forger,
        id,
        signed_put(&township.device_id, "village", "unit_id", "forged"),
        AUTHORSHIP_REFUSED,
    )
    .await;
    after_refusal(&mut honest, "another-device").await;

    // (b) A village tablet claims the admin role.
    let mut climber = tablet_with(&server, &village.url, "climber", 3, id).await;
    refused_with(
        &mut climber,
        id,
        signed_put(&village.device_id, "admin", "unit_id", "forged"),
        AUTHORSHIP_REFUSED,
    )
    .await;
    after_refusal(&mut honest, "higher-role").await;

    // (c) The village's own change, made offline and carried by the
    // township tablet (which may write the document): the maker is not
    // the sender.
    let mut offline = server.stored(&id).await.unwrap();
    signed_put(&village.device_id, "village", "note", "made by the village")(&mut offline);
    let carried = offline.get_changes(&stored);
    assert_eq!(carried.len(), 1);
    let mut relay = tablet_with(&server, &township.url, "relay", 4, id).await;
    refused_with(
        &mut relay,
        id,
        move |am: &mut Automerge| am.apply_changes(carried).unwrap(),
        AUTHORSHIP_REFUSED,
    )
    .await;
    after_refusal(&mut honest, "relayed").await;

    // The honest (admin) tablet, connected throughout, still syncs.
    honest
        .change(id, signed_put(&admin, "admin", "note", "admin"))
        .await;
    honest.sync_to_server(id).await;

    // (e) An honest village change is accepted; the history names the
    // village's server device id and role.
    let mut own = tablet_with(&server, &village.url, "own", 5, id).await;
    own.change(
        id,
        signed_put(&village.device_id, "village", "note", "village"),
    )
    .await;
    own.sync_to_server(id).await;
    let heads = own.heads(&id);
    let am = server.stored(&id).await.unwrap();
    assert_eq!(am.get_heads(), heads);
    let m = message_of(&am, &heads[0]);
    assert_eq!(
        (m.d.as_str(), m.r.as_str()),
        (village.device_id.as_str(), "village")
    );
    honest
        .pump_until("the honest tablet to get it", |t| t.heads(&id) == heads)
        .await;

    // A JS-style change (no model message) to a document that is not the
    // model's is still accepted.
    let other = DocumentId::from_bytes([31; 16]);
    honest.add(other, doc_with("from", "a JS client")).await;
    honest.sync_to_server(other).await;
    let (status, body) = server.get("/healthz").await;
    assert_eq!(status, 200, "{body}");
    server.stop().await;
}

/// A schema migration is the one change that names no device: the server
/// accepts it only if migrating the change's dependencies makes exactly it.
/// A forged "migration" that changes something else is refused; the
/// genuine migration of a v2 unit document is accepted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_migration_the_server_reproduces_is_accepted() {
    use yanzhen_model::store::{ChangeMessage, ChangeOp, UnitScope};
    use yanzhen_server::policy::Role;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), server::test_settings(), true).await;
    let (unit, id, _) = a_village(&server).await;
    let village = server.enrol(Role::Village, Some(&unit), "village").await;
    let admin = server.admin_device_id.clone();
    // The admin turns the unit document back into a v2 one (no
    // `nominations`), as a tablet of the previous release left it.
    let mut old = tablet_with(&server, &server.url, "admin", 1, id).await;
    old.change(id, |am| {
        let mut tx = am.transaction();
        tx.put(ROOT, "schema_version", 2u64).unwrap();
        tx.delete(ROOT, "nominations").unwrap();
        tx.commit_with(tablet::signed(&admin, "admin"));
    })
    .await;
    old.sync_to_server(id).await;
    let v2 = server.stored(&id).await.unwrap().get_heads();

    // A forged migration: the migration's message, other content.
    let mut forger = tablet_with(&server, &village.url, "forger", 2, id).await;
    let forged = ChangeMessage::migration(2, 3);
    refused_with(
        &mut forger,
        id,
        move |am: &mut Automerge| {
            let mut tx = am.transaction();
            tx.put(ROOT, "schema_version", 3u64).unwrap();
            tx.put_object(ROOT, "nominations", automerge::ObjType::Map)
                .unwrap();
            tx.put(ROOT, "unit_id", "taken over").unwrap();
            tx.commit_with(forged.commit_options(0));
        },
        yanzhen_server::sync::AUTHORSHIP_REFUSED,
    )
    .await;
    assert_eq!(server.stored(&id).await.unwrap().get_heads(), v2);

    // The genuine migration, made by the village tablet, is accepted.
    let mut migrating = tablet_with(&server, &village.url, "migrating", 3, id).await;
    migrating
        .change(id, |am| {
            yanzhen_model::migrate::migrate::<UnitScope>(am).unwrap();
        })
        .await;
    migrating.sync_to_server(id).await;
    let heads = migrating.heads(&id);
    assert_ne!(heads, v2);
    let am = server.stored(&id).await.unwrap();
    assert_eq!(am.get_heads(), heads);
    assert_eq!(message_of(&am, &heads[0]).op, ChangeOp::Migrate);
    assert_eq!(yanzhen_model::migrate::schema_version(&am).unwrap(), 3);
    assert!(old.is_connected());
    server.stop().await;
}
