//! Unit tests of the hub: slow peers, close ordering, failed saves,
//! in-flight budgets and the authorship check, on a [`Hub`] driven
//! directly (no sockets).

use std::sync::Arc;

use tokio::sync::{mpsc, watch};
use yanzhen_sync::{ConnectionId, DocumentId, Effect, Event, Message, StorageOp, SyncNode};

use super::connection::{Kill, Outgoing, inflight_kib, kib};
use super::hub::{ConnHandle, Hub};
use super::*;
use crate::health::Health;
use crate::policy::{Directory, Grant, ServerPolicy};
use crate::storage::{BoxFuture, Entries, Storage};

/// A storage whose writes fail.
struct Broken;

impl Storage for Broken {
    fn storage_id(&self) -> &str {
        "00000000-0000-4000-8000-000000000000"
    }
    fn get<'a>(&'a self, _: &'a str) -> BoxFuture<'a, crate::Result<Option<Vec<u8>>>> {
        Box::pin(async { Ok(None) })
    }
    fn put<'a>(&'a self, key: &'a str, _: &'a [u8]) -> BoxFuture<'a, crate::Result<()>> {
        Box::pin(async move { Err(crate::Error::InvalidKey(key.to_owned())) })
    }
    fn delete<'a>(&'a self, _: &'a str) -> BoxFuture<'a, crate::Result<()>> {
        Box::pin(async { Ok(()) })
    }
    fn list_prefix<'a>(&'a self, _: &'a str) -> BoxFuture<'a, crate::Result<Entries>> {
        Box::pin(async { Ok(Vec::new()) })
    }
    fn put_all<'a>(&'a self, _: &'a [(String, Vec<u8>)]) -> BoxFuture<'a, crate::Result<()>> {
        Box::pin(async { Ok(()) })
    }
    fn meta_get<'a>(&'a self, _: &'a str) -> BoxFuture<'a, crate::Result<Option<String>>> {
        Box::pin(async { Ok(None) })
    }
    fn meta_put<'a>(&'a self, _: &'a str, _: &'a str) -> BoxFuture<'a, crate::Result<()>> {
        Box::pin(async { Ok(()) })
    }
    fn is_empty(&self) -> BoxFuture<'_, crate::Result<bool>> {
        Box::pin(async { Ok(true) })
    }
    fn ping(&self) -> BoxFuture<'_, crate::Result<()>> {
        Box::pin(async { Ok(()) })
    }
    fn close(&self) -> BoxFuture<'_, ()> {
        Box::pin(async {})
    }
}

/// The test hubs' one district's document (not stored).
const TEST_DISTRICT_DOC: DocumentId = DocumentId::from_bytes([0xd1; 16]);

/// A city of one district, `d1`, with `directory`.
fn test_city(directory: Directory) -> crate::policy::City {
    crate::policy::City::new([crate::policy::CityDistrict {
        id: "d1".into(),
        name: "测试区".into(),
        directory,
    }])
}

fn hub(storage: Arc<dyn Storage>) -> Hub {
    Hub::new(
        storage,
        SyncSettings::default(),
        ServerPolicy::new(test_city(Directory::new(Some(TEST_DISTRICT_DOC), []))),
        Health::new(),
        crate::metrics::Metrics::new("test"),
    )
}

fn attach(
    hub: &mut Hub,
    conn: ConnectionId,
    queue: usize,
) -> (mpsc::Receiver<Outgoing>, watch::Receiver<Kill>) {
    let (out, out_rx) = mpsc::channel(queue);
    let (kill, kill_rx) = watch::channel(None);
    let grant = Grant {
        device_id: format!("device-{conn}"),
        role: crate::policy::Role::Admin,
        unit: None,
        district: Some("d1".into()),
    };
    hub.conns.insert(
        conn,
        ConnHandle {
            out,
            kill,
            grant,
            queued: Arc::default(),
        },
    );
    (out_rx, kill_rx)
}

#[test]
fn the_server_config_is_durable_and_saves_at_once() {
    let c = node_config("abc", &SyncSettings::default());
    assert_eq!(c.metadata, PeerMetadata::durable(StorageId::new("abc")));
    assert_eq!(c.save_debounce_ms, 0);
    assert!(c.storage);
    assert_eq!(c.max_message_bytes, 8 * 1024 * 1024);
}

#[tokio::test]
async fn a_peer_that_cannot_keep_up_is_dropped_without_blocking() {
    let mut hub = hub(Arc::new(Broken));
    let slow = ConnectionId(1);
    let fast = ConnectionId(2);
    let (_slow_rx, kill_rx) = attach(&mut hub, slow, 1);
    let (mut fast_rx, _fast_kill) = attach(&mut hub, fast, 8);
    let sends = |conn| Effect::Send {
        conn,
        bytes: vec![1],
    };
    let gone = hub.dispatch(vec![sends(slow), sends(fast), sends(slow), sends(fast)]);
    assert_eq!(gone, vec![slow]);
    assert!(!hub.conns.contains_key(&slow));
    assert_eq!(
        kill_rx.borrow().as_ref().map(|k| k.0),
        Some(close_code::TRY_AGAIN_LATER)
    );
    assert!(matches!(fast_rx.try_recv(), Ok(Outgoing::Binary(_))));
    assert!(matches!(fast_rx.try_recv(), Ok(Outgoing::Binary(_))));
}

#[tokio::test]
async fn close_effects_queue_behind_the_error_message() {
    let mut hub = hub(Arc::new(Broken));
    let conn = ConnectionId(1);
    let (mut rx, kill_rx) = attach(&mut hub, conn, 8);
    hub.dispatch(vec![
        Effect::Send {
            conn,
            bytes: vec![7],
        },
        Effect::Close {
            conn,
            reason: "malformed".into(),
        },
    ]);
    assert!(matches!(rx.try_recv(), Ok(Outgoing::Binary(b)) if b == [7]));
    assert!(matches!(
        rx.try_recv(),
        Ok(Outgoing::Close {
            code: close_code::POLICY,
            ..
        })
    ));
    assert!(kill_rx.borrow().is_none());
    assert!(hub.conns.is_empty());
}

fn sync_about(doc: DocumentId) -> Vec<u8> {
    Message::Sync {
        sender_id: PeerId::new("server"),
        target_id: PeerId::new("tablet"),
        document_id: doc,
        data: vec![0x42, 0, 0, 0, 0],
    }
    .encode()
}

#[tokio::test]
async fn a_failed_save_stops_only_that_documents_messages_and_its_writer() {
    let mut hub = hub(Arc::new(Broken));
    let (failing, other) = (
        DocumentId::from_bytes([1; 16]),
        DocumentId::from_bytes([2; 16]),
    );
    let (writer, reader) = (ConnectionId(1), ConnectionId(2));
    let (mut writer_rx, writer_kill) = attach(&mut hub, writer, 8);
    let (mut reader_rx, reader_kill) = attach(&mut hub, reader, 8);
    // This batch: the writer sent changes to `failing`.
    hub.batch_docs.push((writer, failing));
    hub.execute(vec![
        Effect::Send {
            conn: reader,
            bytes: sync_about(failing),
        },
        Effect::Send {
            conn: reader,
            bytes: sync_about(other),
        },
        Effect::Storage(StorageOp::Put {
            key: vec![failing.to_string(), "incremental".into(), "h".into()],
            data: vec![1],
        }),
    ])
    .await;
    // Nothing about the unsaved document leaves; the other document's
    // message does.
    let got = reader_rx.try_recv();
    assert!(
        matches!(&got, Ok(Outgoing::Binary(b)) if Message::peek_document_id(b) == Some(other)),
        "{got:?}"
    );
    assert!(reader_rx.try_recv().is_err());
    assert!(reader_kill.borrow().is_none(), "the reader stays");
    assert!(hub.conns.contains_key(&reader));
    // The writer is told and closed (1011); it keeps its changes.
    let told = writer_rx.try_recv();
    assert!(
        matches!(&told, Ok(Outgoing::Binary(b)) if matches!(Message::decode(b), Ok(Message::Error { message, .. }) if message == STORAGE_WRITE_FAILED)),
        "{told:?}"
    );
    assert!(matches!(
        writer_rx.try_recv(),
        Ok(Outgoing::Close {
            code: close_code::INTERNAL,
            ..
        })
    ));
    assert!(writer_kill.borrow().is_none());
    assert!(!hub.conns.contains_key(&writer));
    // The fault is reported until a write succeeds.
    assert!(hub.health.storage_fault().is_some());
}

#[tokio::test]
async fn a_peer_with_too_many_queued_bytes_is_dropped() {
    let mut hub = hub(Arc::new(Broken));
    hub.settings.max_queued_bytes = 1000;
    let conn = ConnectionId(1);
    let (_rx, kill_rx) = attach(&mut hub, conn, 1024);
    let send = |n| Effect::Send {
        conn,
        bytes: vec![0; n],
    };
    assert!(hub.dispatch(vec![send(600)]).is_empty());
    assert_eq!(hub.dispatch(vec![send(600)]), vec![conn]);
    assert_eq!(
        kill_rx.borrow().as_ref().map(|k| k.0),
        Some(close_code::TRY_AGAIN_LATER)
    );
}

#[test]
fn in_flight_budgets_always_fit_the_largest_message() {
    let mut settings = SyncSettings {
        max_inflight_bytes: 1,
        ..SyncSettings::default()
    };
    let (all, conn) = inflight_kib(&settings);
    let largest = kib(settings.max_message_bytes + TRANSPORT_SLACK);
    assert!(conn >= largest && all >= conn);
    settings.max_inflight_bytes = 1 << 30;
    assert_eq!(inflight_kib(&settings).0, 1 << 20);
}

/// Runs the sync between `client` (its connection to the hub is
/// `ConnectionId(1)`) and the hub's node, the hub side on `conn` as the
/// hub's batch does (join binding, senders, loads answered empty, the
/// authorship check). Returns the hub's effects other than its messages
/// to the client.
fn exchange(
    hub: &mut Hub,
    client: &mut SyncNode,
    conn: ConnectionId,
    fx: Vec<Effect>,
) -> Vec<Effect> {
    let sends = |fx: Vec<Effect>| -> Vec<Vec<u8>> {
        fx.into_iter()
            .filter_map(|e| match e {
                Effect::Send { bytes, .. } => Some(bytes),
                _ => None,
            })
            .collect()
    };
    let mut to_hub = sends(fx);
    let mut seen = Vec::new();
    for _ in 0..20 {
        let mut to_client = Vec::new();
        for bytes in std::mem::take(&mut to_hub) {
            if !hub.joined.contains_key(&conn) {
                assert!(hub.bind_join(conn, &bytes).is_none());
            }
            if let Some(h) = hub.conns.get(&conn) {
                let sender = (h.grant.device_id.clone(), h.grant.role);
                hub.batch_senders.entry(conn).or_insert(sender);
            }
            let mut fx = Vec::new();
            for e in hub.node.handle(1, Event::Received { conn, bytes }) {
                match e {
                    Effect::LoadDocument { doc } => fx.extend(hub.node.handle(
                        1,
                        Event::DocumentLoaded {
                            doc,
                            chunks: Vec::new(),
                        },
                    )),
                    other => fx.push(other),
                }
            }
            for e in hub.refuse_unauthored(fx) {
                match e {
                    Effect::Send { conn: c, bytes } if c == conn => to_client.push(bytes),
                    other => seen.push(other),
                }
            }
        }
        if to_client.is_empty() {
            break;
        }
        for bytes in to_client {
            let fx = client.handle(
                1,
                Event::Received {
                    conn: ConnectionId(1),
                    bytes,
                },
            );
            to_hub.extend(sends(fx));
        }
    }
    seen
}

/// The hub with `doc` as a unit document, a tablet connected as an
/// admin device on `conn` and a client node on the other end, which
/// offers a new unit document whose genesis names `device` and `role`.
fn offer_unit(device: Option<&str>, role: &str) -> (Vec<Effect>, mpsc::Receiver<Outgoing>, Hub) {
    use crate::policy::UnitEntry;
    use yanzhen_model::entities::UnitKind;
    let doc = DocumentId::from_bytes([7; 16]);
    let mut hub = hub(Arc::new(Broken));
    hub.policy.set_city(test_city(Directory::new(
        Some(TEST_DISTRICT_DOC),
        [UnitEntry {
            id: "u1".into(),
            name: "东风村".into(),
            kind: UnitKind::Village,
            parent: None,
            doc: Some(doc),
        }],
    )));
    let conn = ConnectionId(1);
    let (rx, _kill) = attach(&mut hub, conn, 64);
    hub.node.handle(
        1,
        Event::Connected {
            conn,
            initiator: false,
        },
    );
    let own = hub.conns[&conn].grant.device_id.clone();
    let meta = yanzhen_model::ChangeMeta::new(device.unwrap_or(&own), "东风村", role, 1);
    let am = yanzhen_model::UnitDocument::new_unit(
        &yanzhen_model::Id::from_random_bytes([8; 16]),
        &[9; 16],
        &meta,
    )
    .unwrap()
    .into_automerge();
    let mut client = SyncNode::new(Config::client(
        PeerId::new("tablet"),
        PeerMetadata::durable(StorageId::new("tablet-storage")),
    ));
    let fx = client.handle(
        1,
        Event::Connected {
            conn: ConnectionId(1),
            initiator: true,
        },
    );
    let mut seen = exchange(&mut hub, &mut client, conn, fx);
    let fx = client.add_document(doc, am).unwrap();
    seen.extend(exchange(&mut hub, &mut client, conn, fx));
    (seen, rx, hub)
}

fn told(rx: &mut mpsc::Receiver<Outgoing>) -> Vec<String> {
    let mut out = Vec::new();
    while let Ok(o) = rx.try_recv() {
        if let Outgoing::Binary(b) = o
            && let Ok(Message::Error { message, .. }) = Message::decode(&b)
        {
            out.push(message);
        }
    }
    out
}

#[tokio::test]
async fn a_change_naming_the_sending_device_and_role_is_kept() {
    let (seen, mut rx, hub) = offer_unit(None, "admin");
    let doc = DocumentId::from_bytes([7; 16]);
    assert!(told(&mut rx).is_empty());
    assert!(hub.conns.contains_key(&ConnectionId(1)));
    assert!(seen.iter().any(|e| matches!(e, Effect::Storage(_))));
    assert!(
        seen.iter()
            .any(|e| matches!(e, Effect::DocumentChanged { doc: d, .. } if *d == doc))
    );
    assert!(!hub.node.document(&doc).unwrap().get_heads().is_empty());
}

#[tokio::test]
async fn a_change_naming_another_device_or_role_is_refused_before_it_is_stored() {
    for (device, role) in [(Some("someone-else"), "admin"), (None, "village")] {
        let (seen, mut rx, hub) = offer_unit(device, role);
        let doc = DocumentId::from_bytes([7; 16]);
        assert_eq!(
            told(&mut rx),
            vec![AUTHORSHIP_REFUSED.to_owned()],
            "{device:?} {role}"
        );
        assert!(!hub.conns.contains_key(&ConnectionId(1)));
        assert!(
            !seen
                .iter()
                .any(|e| matches!(e, Effect::Storage(_) | Effect::DocumentChanged { .. })),
            "nothing stored: {seen:?}"
        );
        // Reloaded from storage: what it applied is gone.
        assert!(
            seen.iter()
                .any(|e| matches!(e, Effect::LoadDocument { doc: d } if *d == doc))
        );
        assert_eq!(
            hub.node.status(&doc),
            Some(yanzhen_sync::DocStatus::Loading)
        );
    }
}
