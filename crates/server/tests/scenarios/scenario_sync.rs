//! Sync scenarios against the real server in-process (`yanzhen_server::serve`
//! on 127.0.0.1:0 with a temporary data directory and the demo district):
//! native tablets (each a `SyncNode` in the client role over
//! tokio-tungstenite) edit unit documents through the model
//! (`UnitDocument::put` with `ChangeMeta`), go offline, come back, conflict,
//! resolve, and survive a server restart. Every wait is bounded.

use yanzhen_testkit::server;
use yanzhen_testkit::tablet;

use automerge::ScalarValue;
use futures_util::{SinkExt as _, StreamExt as _};
use server::{Server, test_settings};
use tablet::{Tablet, WAIT, connect_ws};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use yanzhen_model::entities::{Person, PersonStatus};
use yanzhen_model::store::{DistrictDocument, UnitDocument};
use yanzhen_model::{ChangeMeta, Id};
use yanzhen_sync::{DocumentId, Effect, Message, PeerId, PeerMetadata, StorageId};

/// The district document's id, from `/api/bootstrap`.
async fn district_id(server: &Server) -> DocumentId {
    let json = server.get_json("/api/bootstrap").await;
    assert_eq!(json["storageId"], server.storage_id.as_str());
    json["districtDocumentId"]
        .as_str()
        .unwrap_or_else(|| panic!("no district in {json}"))
        .parse()
        .unwrap()
}

/// A tablet connected to the server that has the district document and
/// the first unit document of its directory; returns the unit document id.
async fn tablet_with_unit(name: &str, seed: u8, server: &Server) -> (Tablet, DocumentId) {
    let district = district_id(server).await;
    // Each tablet is the office of the directory's first village: enrolled
    // as such, it reads the district document and writes its unit's.
    let village = server
        .directory()
        .await
        .units
        .values()
        .find(|u| u.doc.is_some())
        .map(|u| u.id.clone())
        .expect("a village in the directory");
    let device = server
        .enrol(yanzhen_server::Role::Village, Some(&village), name)
        .await;
    let mut t = Tablet::new(name, seed);
    // Its changes name it: the server refuses those that name another
    // device or role.
    t.device_id = device.device_id.clone();
    t.role = "village".into();
    t.connect(&device.url).await;
    t.find(district).await;
    t.pump_until("the district document", |t| !t.heads(&district).is_empty())
        .await;
    let data = DistrictDocument::from_automerge(t.node.document(&district).unwrap().clone())
        .unwrap()
        .data()
        .unwrap();
    let unit = data
        .unit_documents()
        .next()
        .and_then(|u| u.doc_id)
        .expect("a unit document in the directory");
    let unit = DocumentId::from_bytes(unit.0);
    t.find(unit).await;
    t.pump_until("the unit document", |t| !t.heads(&unit).is_empty())
        .await;
    (t, unit)
}

fn actor(t: &Tablet) -> [u8; 16] {
    let mut a = [0u8; 16];
    for (i, b) in t.name.bytes().take(16).enumerate() {
        a[i] = b;
    }
    a[15] = 0xa5;
    a
}

fn meta(t: &Tablet, time_ms: i64) -> ChangeMeta {
    ChangeMeta::new(&t.device_id, "测试员", &t.role, time_ms)
}

/// The unit document as the model sees it on a tablet.
fn unit(t: &Tablet, id: &DocumentId) -> UnitDocument {
    UnitDocument::from_automerge(t.node.document(id).expect("document").clone()).unwrap()
}

/// A model write on the tablet's copy (with the tablet's actor), synced out.
async fn write<R>(t: &mut Tablet, id: DocumentId, f: impl FnOnce(&mut UnitDocument) -> R) -> R {
    let actor = actor(t);
    t.change(id, move |am| {
        let mut doc = UnitDocument::from_automerge(std::mem::take(am)).unwrap();
        doc.set_actor(&actor);
        let r = f(&mut doc);
        *am = doc.into_automerge();
        r
    })
    .await
}

/// A person as a tablet sees it (`None` also while the document has not
/// arrived).
fn person(t: &Tablet, doc: &DocumentId, id: &Id) -> Option<Person> {
    let am = t.node.document(doc)?.clone();
    if am.get_heads().is_empty() {
        return None;
    }
    UnitDocument::from_automerge(am)
        .unwrap()
        .get::<Person>(id)
        .unwrap()
}

/// A demo server over `data` and two tablets of its first village (`a`
/// and `b`, as [`tablet_with_unit`]): the server, the tablets and the unit
/// document's id.
async fn two_tablets(data: &std::path::Path) -> (Server, Tablet, Tablet, DocumentId) {
    let server = Server::start(data, test_settings(), true).await;
    let (a, doc) = tablet_with_unit("a", 1, &server).await;
    let (b, _) = tablet_with_unit("b", 2, &server).await;
    (server, a, b, doc)
}

/// Both tablets go offline, each puts its version of a person (the first
/// at `time_ms`, the second a millisecond later), then both come back and
/// send their change to the server.
async fn put_offline_then_sync(
    (a, on_a): (&mut Tablet, &Person),
    (b, on_b): (&mut Tablet, &Person),
    doc: DocumentId,
    time_ms: i64,
) {
    a.disconnect().await;
    b.disconnect().await;
    let m = meta(a, time_ms);
    write(a, doc, |d| d.put(on_a, &m).unwrap()).await;
    let m = meta(b, time_ms + 1);
    write(b, doc, |d| d.put(on_b, &m).unwrap()).await;

    a.reconnect().await;
    b.reconnect().await;
    a.sync_to_server(doc).await;
    b.sync_to_server(doc).await;
}

/// Some active person of the unit.
fn someone(t: &Tablet, doc: &DocumentId) -> Person {
    unit(t, doc)
        .data()
        .unwrap()
        .people
        .into_values()
        .find(|p| p.status == PersonStatus::Active)
        .expect("an active person")
}

#[tokio::test]
async fn a_person_added_on_one_tablet_reaches_the_other() {
    let data = tempfile::tempdir().unwrap();
    let (server, mut a, mut b, doc) = two_tablets(data.path()).await;

    let mut new = someone(&a, &doc);
    new.id = Id::from_random_bytes([0x42; 16]);
    new.name = "新来的人".into();
    let m = meta(&a, 1_000);
    let written = write(&mut a, doc, |d| d.put(&new, &m).unwrap()).await;
    assert!(written.is_some());
    a.sync_to_server(doc).await;

    b.pump_until("the new person on b", |t| {
        person(t, &doc, &new.id).is_some_and(|p| p.name == "新来的人")
    })
    .await;
    let history = unit(&b, &doc).history::<Person>(&new.id).unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
    // The server's device id of tablet a, which the server checked.
    assert_eq!(history[0].device, a.device_id);
    assert_eq!(history[0].role, "village");
    server.stop().await;
}

#[tokio::test]
async fn offline_edits_of_different_fields_merge_everywhere() {
    let data = tempfile::tempdir().unwrap();
    let (server, mut a, mut b, doc) = two_tablets(data.path()).await;
    let p = someone(&a, &doc);

    let mut on_a = p.clone();
    on_a.phone = "13800000001".into();
    let mut on_b = p.clone();
    on_b.name = "改过的名字".into();
    put_offline_then_sync((&mut a, &on_a), (&mut b, &on_b), doc, 2_000).await;
    let merged = |t: &Tablet| {
        person(t, &doc, &p.id).is_some_and(|x| x.phone == "13800000001" && x.name == "改过的名字")
    };
    a.pump_until("both edits on a", merged).await;
    b.pump_until("both edits on b", merged).await;
    a.pump_until("a and b to converge", |t| t.heads(&doc) == b.heads(&doc))
        .await;

    // And on the server: a fresh tablet gets both from it.
    let mut c = Tablet::new("c", 3);
    c.connect(&server.url).await;
    c.find(doc).await;
    c.pump_until("both edits on c", merged).await;
    assert!(
        unit(&c, &doc)
            .conflicts::<Person>(&p.id)
            .unwrap()
            .is_empty()
    );
    server.stop().await;
}

#[tokio::test]
async fn a_conflict_shows_on_both_and_its_resolution_reaches_the_other() {
    let data = tempfile::tempdir().unwrap();
    let (server, mut a, mut b, doc) = two_tablets(data.path()).await;
    let p = someone(&a, &doc);

    let mut on_a = p.clone();
    on_a.phone = "13900000001".into();
    let mut on_b = p.clone();
    on_b.phone = "13900000002".into();
    put_offline_then_sync((&mut a, &on_a), (&mut b, &on_b), doc, 3_000).await;
    a.pump_until("a and b to converge", |t| t.heads(&doc) == b.heads(&doc))
        .await;
    b.pump_until("b and a to converge", |t| t.heads(&doc) == a.heads(&doc))
        .await;
    for t in [&a, &b] {
        let conflicts = unit(t, &doc).conflicts::<Person>(&p.id).unwrap();
        assert_eq!(conflicts.len(), 1, "{}: {conflicts:?}", t.name);
        assert_eq!(conflicts[0].field, "phone");
        assert_eq!(conflicts[0].values.len(), 2);
    }

    // b resolves in favour of a's number; a sees the resolution.
    let m = meta(&b, 4_000);
    write(&mut b, doc, |d| {
        d.resolve::<Person>(&p.id, "phone", ScalarValue::Str("13900000001".into()), &m)
            .unwrap()
    })
    .await;
    b.sync_to_server(doc).await;
    a.pump_until("the resolution on a", |t| {
        unit(t, &doc).conflicts::<Person>(&p.id).unwrap().is_empty()
            && person(t, &doc, &p.id).is_some_and(|x| x.phone == "13900000001")
    })
    .await;
    server.stop().await;
}

#[tokio::test]
async fn documents_survive_a_server_restart_and_tablets_converge() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), test_settings(), true).await;
    let storage_id = server.storage_id.clone();
    let (mut a, doc) = tablet_with_unit("a", 1, &server).await;
    let p = someone(&a, &doc);
    let mut edited = p.clone();
    edited.phone = "13700000001".into();
    let m = meta(&a, 5_000);
    write(&mut a, doc, |d| d.put(&edited, &m).unwrap()).await;
    a.sync_to_server(doc).await;
    server.stop().await;
    a.disconnect().await;

    // While the server is down, a keeps working.
    let mut later = edited.clone();
    later.name = "停机时改的".into();
    let m = meta(&a, 6_000);
    write(&mut a, doc, |d| d.put(&later, &m).unwrap()).await;

    let server = Server::start(data.path(), test_settings(), true).await;
    assert_eq!(server.storage_id, storage_id, "the storage id is stable");
    let (mut b, doc_b) = tablet_with_unit("b", 2, &server).await;
    assert_eq!(doc_b, doc);
    // The edit acknowledged before the stop was stored.
    assert_eq!(person(&b, &doc, &p.id).unwrap().phone, "13700000001");

    // a is still enrolled (same database); the server has a new port.
    let token = a.url.rsplit_once("?token=").unwrap().1.to_owned();
    a.connect(&format!("{}?token={token}", server.sync_base))
        .await;
    a.sync_to_server(doc).await;
    b.pump_until("the offline edit on b", |t| {
        person(t, &doc, &p.id).is_some_and(|x| x.name == "停机时改的")
    })
    .await;
    assert_eq!(a.heads(&doc), b.heads(&doc));
    server.stop().await;
}

#[tokio::test]
async fn bad_messages_close_only_their_connection() {
    let data = tempfile::tempdir().unwrap();
    let settings = yanzhen_server::SyncSettings {
        max_message_bytes: 256 * 1024,
        ..test_settings()
    };
    let server = Server::start(data.path(), settings, true).await;
    let (mut good, doc) = tablet_with_unit("good", 1, &server).await;
    let (mut other, _) = tablet_with_unit("other", 2, &server).await;

    for (what, bytes) in [
        // A CBOR map cut short (a well-formed map of an unknown type would be
        // ignored, as automerge-repo does).
        ("malformed", b"\xa2\x64type\x64sync\x68senderId".to_vec()),
        ("oversize", vec![0u8; 256 * 1024 + 10]),
    ] {
        let mut ws = connect_ws(&server.url).await;
        let join = Message::Join {
            sender_id: PeerId::new(format!("bad-{what}")),
            peer_metadata: PeerMetadata::durable(StorageId::from_random([5; 16])),
            supported_protocol_versions: vec!["1".into()],
        };
        ws.send(WsMessage::Binary(join.encode().into()))
            .await
            .unwrap();
        ws.send(WsMessage::Binary(bytes.into())).await.unwrap();
        let mut got_error = false;
        let closed = loop {
            match tokio::time::timeout(WAIT, ws.next()).await.expect(what) {
                Some(Ok(WsMessage::Binary(b))) => {
                    if let Ok(Message::Error { .. }) = Message::decode(&b) {
                        got_error = true;
                    }
                }
                Some(Ok(WsMessage::Close(_))) | None | Some(Err(_)) => break true,
                Some(Ok(_)) => {}
            }
        };
        assert!(got_error, "{what}: no error message");
        assert!(closed, "{what}: not closed");
        let (status, body) = server.get("/healthz").await;
        assert_eq!(status, 200, "{what}: {body}");
    }

    // The other tablets still sync.
    let mut p = someone(&good, &doc);
    p.phone = "13600000001".into();
    let m = meta(&good, 7_000);
    write(&mut good, doc, |d| d.put(&p, &m).unwrap()).await;
    good.sync_to_server(doc).await;
    other
        .pump_until("the edit after the bad messages", |t| {
            person(t, &doc, &p.id).is_some_and(|x| x.phone == "13600000001")
        })
        .await;
    assert!(good.is_connected() && other.is_connected());
    server.stop().await;
}

#[tokio::test]
async fn unknown_documents_are_unavailable() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), test_settings(), true).await;
    let mut t = Tablet::new("a", 1);
    t.connect(&server.url).await;
    let missing = DocumentId::from_bytes([0xee; 16]);
    t.find(missing).await;
    t.pump_until("doc-unavailable", |t| {
        t.saw(|e| matches!(e, Effect::DocumentUnavailable { doc } if *doc == missing))
    })
    .await;
    assert!(t.is_connected());
    server.stop().await;
}
