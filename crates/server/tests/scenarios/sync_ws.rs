//! The `/sync` endpoint over real sockets: the server runs in-process
//! ([`yanzhen_server::serve`] on 127.0.0.1:0), native tablets and raw
//! WebSockets talk to it. Every wait is bounded by [`tablet::WAIT`].

use yanzhen_testkit::server;
use yanzhen_testkit::tablet;

use automerge::{Automerge, ROOT, ReadDoc, transaction::Transactable as _};
use futures_util::{SinkExt as _, StreamExt as _};
use server::{Server, test_settings as settings};
use tablet::{Tablet, WAIT, connect_ws};
use tokio_tungstenite::tungstenite::{Message as WsMessage, protocol::frame::coding::CloseCode};
use yanzhen_server::SyncSettings;
use yanzhen_sync::{DocumentId, Effect, Message, PeerId, PeerMetadata, StorageId};

fn doc_with(key: &str, value: &str) -> Automerge {
    let mut am = Automerge::new();
    let mut tx = am.transaction();
    tx.put(ROOT, key, value).unwrap();
    tx.commit();
    am
}

fn value(t: &Tablet, id: &DocumentId, key: &str) -> Option<String> {
    let doc = t.node.document(id)?;
    let (v, _) = doc.get(ROOT, key).ok()??;
    v.into_string().ok()
}

/// Reads frames until a binary one (decoded) or a close; `None` on close/eof.
async fn next_message(ws: &mut tablet::Ws) -> Option<Message> {
    loop {
        match tokio::time::timeout(WAIT, ws.next())
            .await
            .expect("timed out")
        {
            Some(Ok(WsMessage::Binary(b))) => return Some(Message::decode(&b).unwrap()),
            Some(Ok(WsMessage::Close(_))) | None | Some(Err(_)) => return None,
            Some(Ok(_)) => {}
        }
    }
}

/// Reads until the close frame; its code.
async fn close_code(ws: &mut tablet::Ws) -> Option<CloseCode> {
    loop {
        match tokio::time::timeout(WAIT, ws.next())
            .await
            .expect("timed out")
        {
            Some(Ok(WsMessage::Close(frame))) => return frame.map(|f| f.code),
            None | Some(Err(_)) => return None,
            Some(Ok(_)) => {}
        }
    }
}

async fn join(ws: &mut tablet::Ws, name: &str) {
    let join = Message::Join {
        sender_id: PeerId::new(name),
        peer_metadata: PeerMetadata::durable(StorageId::from_random([9; 16])),
        supported_protocol_versions: vec!["1".into()],
    };
    ws.send(WsMessage::Binary(join.encode().into()))
        .await
        .unwrap();
    assert!(matches!(next_message(ws).await, Some(Message::Peer { .. })));
}

#[tokio::test]
async fn handshake_announces_the_durable_storage_id() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), settings(), false).await;
    let mut t = Tablet::new("a", 1);
    t.connect(&server.url).await;
    let meta = t.server_metadata().expect("peer metadata");
    assert_eq!(
        meta.storage_id.as_ref().map(StorageId::as_str),
        Some(server.storage_id.as_str())
    );
    assert_eq!(meta.is_ephemeral, Some(false));
    server.stop().await;
}

#[tokio::test]
async fn documents_sync_between_tablets_and_survive_a_restart() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), settings(), false).await;
    let id = DocumentId::from_bytes([11; 16]);
    let mut a = Tablet::new("a", 1);
    a.connect(&server.url).await;
    a.add(id, doc_with("k", "v")).await;
    a.sync_to_server(id).await;

    let mut b = Tablet::new("b", 2);
    b.connect(&server.url).await;
    b.find(id).await;
    b.pump_until("b to get the document", |t| {
        value(t, &id, "k").as_deref() == Some("v")
    })
    .await;

    // A change on b reaches a through the server.
    b.change(id, |am| {
        let mut tx = am.transaction();
        tx.put(ROOT, "k2", "from b").unwrap();
        tx.commit();
    })
    .await;
    b.sync_to_server(id).await;
    a.pump_until("a to get b's change", |t| {
        value(t, &id, "k2").as_deref() == Some("from b")
    })
    .await;
    server.stop().await;

    // Saved before it was acknowledged: a fresh server has it.
    let server = Server::start(data.path(), settings(), false).await;
    let mut c = Tablet::new("c", 3);
    c.connect(&server.url).await;
    c.find(id).await;
    c.pump_until("c to load the document from the restarted server", |t| {
        value(t, &id, "k2").as_deref() == Some("from b")
    })
    .await;
    assert_eq!(c.heads(&id), a.heads(&id));
    server.stop().await;
}

#[tokio::test]
async fn unknown_documents_are_unavailable() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), settings(), false).await;
    let id = DocumentId::from_bytes([99; 16]);
    let mut t = Tablet::new("a", 1);
    t.connect(&server.url).await;
    t.find(id).await;
    t.pump_until("doc-unavailable", |t| {
        t.saw(|e| matches!(e, Effect::DocumentUnavailable { doc } if *doc == id))
    })
    .await;
    assert!(t.is_connected());
    server.stop().await;
}

#[tokio::test]
async fn bad_messages_get_an_error_and_close_only_their_connection() {
    let data = tempfile::tempdir().unwrap();
    let settings = SyncSettings {
        max_message_bytes: 64 * 1024,
        ..settings()
    };
    let server = Server::start(data.path(), settings, false).await;
    let id = DocumentId::from_bytes([12; 16]);
    let mut good = Tablet::new("good", 1);
    good.connect(&server.url).await;
    good.add(id, doc_with("k", "v")).await;
    good.sync_to_server(id).await;

    // Garbage before the handshake.
    let mut ws = connect_ws(&server.url).await;
    ws.send(WsMessage::Binary(vec![0xff, 0x00, 0x13].into()))
        .await
        .unwrap();
    assert!(matches!(
        next_message(&mut ws).await,
        Some(Message::Error { .. })
    ));
    assert_eq!(close_code(&mut ws).await, Some(CloseCode::Policy));

    // A text frame after the handshake.
    let mut ws = connect_ws(&server.url).await;
    join(&mut ws, "texter").await;
    ws.send(WsMessage::Text("hello".into())).await.unwrap();
    assert!(matches!(
        next_message(&mut ws).await,
        Some(Message::Error { .. })
    ));
    assert_eq!(close_code(&mut ws).await, Some(CloseCode::Policy));

    // Over the limit (but within the transport slack): the node refuses it.
    let mut ws = connect_ws(&server.url).await;
    join(&mut ws, "big").await;
    ws.send(WsMessage::Binary(vec![0u8; 64 * 1024 + 1].into()))
        .await
        .unwrap();
    match next_message(&mut ws).await {
        Some(Message::Error { message, .. }) => assert!(message.contains("limit"), "{message}"),
        other => panic!("expected an error, got {other:?}"),
    }
    assert_eq!(close_code(&mut ws).await, Some(CloseCode::Policy));

    // The good tablet still syncs.
    good.change(id, |am| {
        let mut tx = am.transaction();
        tx.put(ROOT, "after", "yes").unwrap();
        tx.commit();
    })
    .await;
    good.sync_to_server(id).await;
    assert!(good.is_connected());
    server.stop().await;
}

#[tokio::test]
async fn shutdown_closes_sockets_as_going_away() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), settings(), false).await;
    let mut ws = connect_ws(&server.url).await;
    join(&mut ws, "watcher").await;
    let stopping = tokio::spawn(server.stop());
    assert_eq!(close_code(&mut ws).await, Some(CloseCode::Away));
    drop(ws);
    tokio::time::timeout(WAIT, stopping).await.unwrap().unwrap();
}
