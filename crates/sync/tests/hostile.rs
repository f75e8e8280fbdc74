//! A server-role node against hostile peers, driven event by event: every
//! attack is answered with an `error` and a close of that connection only,
//! nothing it sent is kept, and what the node holds per peer stays bounded
//! and is freed when the peer goes.

use automerge::sync::SyncDoc;
use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT};
use yanzhen_sync::bounds::craft;
use yanzhen_sync::{
    Config, ConnectionId, DocumentId, Effect, Event, Message, PeerId, PeerMetadata, SessionId,
    StorageId, SyncNode,
};

fn server() -> SyncNode {
    let mut config = Config::server(
        PeerId::new("server"),
        PeerMetadata::durable(StorageId::new("s")),
    );
    config.storage = false;
    SyncNode::new(config)
}

fn doc() -> DocumentId {
    DocumentId::from_bytes([9; 16])
}

/// Connects `conn` and joins as `peer`.
fn join(node: &mut SyncNode, conn: u64, peer: &str) -> Vec<Effect> {
    let conn = ConnectionId(conn);
    let mut fx = node.handle(
        1,
        Event::Connected {
            conn,
            initiator: false,
        },
    );
    let join = Message::Join {
        sender_id: PeerId::new(peer),
        peer_metadata: PeerMetadata::ephemeral(),
        supported_protocol_versions: vec!["1".into()],
    };
    fx.extend(node.handle(
        1,
        Event::Received {
            conn,
            bytes: join.encode(),
        },
    ));
    fx
}

fn send(node: &mut SyncNode, now: u64, conn: u64, m: &Message) -> Vec<Effect> {
    node.handle(
        now,
        Event::Received {
            conn: ConnectionId(conn),
            bytes: m.encode(),
        },
    )
}

fn closed(fx: &[Effect], conn: u64) -> Option<String> {
    fx.iter().find_map(|e| match e {
        Effect::Close { conn: c, reason } if *c == ConnectionId(conn) => Some(reason.clone()),
        _ => None,
    })
}

fn sends_to(fx: &[Effect], conn: u64) -> Vec<Message> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Send { conn: c, bytes } if *c == ConnectionId(conn) => {
                Some(Message::decode(bytes).unwrap())
            }
            _ => None,
        })
        .collect()
}

/// An honest first sync message from a tablet with one change.
fn honest_sync(peer: &str) -> Message {
    let mut am = Automerge::new();
    let mut tx = am.transaction();
    tx.put(ROOT, "name", "东风村").unwrap();
    tx.commit();
    let m = am
        .generate_sync_message(&mut automerge::sync::State::new())
        .unwrap();
    Message::Sync {
        sender_id: PeerId::new(peer),
        target_id: PeerId::new("server"),
        document_id: doc(),
        data: m.encode(),
    }
}

/// A sync message (v1) carrying one "compressed change" chunk that inflates
/// to `zeros` bytes.
fn bomb(peer: &str, zeros: usize) -> Message {
    Message::Sync {
        sender_id: PeerId::new(peer),
        target_id: PeerId::new("server"),
        document_id: doc(),
        data: craft::sync_data(&[craft::inflation_bomb(zeros)]),
    }
}

#[test]
fn a_decompression_bomb_closes_only_its_connection_and_is_not_kept() {
    let mut node = server();
    join(&mut node, 1, "village-a");
    join(&mut node, 2, "village-b");
    // 1 GiB of zeros in about 1 MiB: refused while inflating, before
    // Automerge sees it.
    let fx = send(&mut node, 2, 1, &bomb("village-a", 1 << 30));
    let reason = closed(&fx, 1).expect("the attacker's connection is closed");
    assert!(reason.contains("inflates to more than"), "{reason}");
    assert!(
        sends_to(&fx, 1)
            .iter()
            .any(|m| matches!(m, Message::Error { .. })),
        "the attacker is told why"
    );
    assert!(node.document(&doc()).is_none(), "nothing of it is kept");
    // The other tablet syncs as before.
    let fx = send(&mut node, 3, 2, &honest_sync("village-b"));
    assert!(closed(&fx, 2).is_none());
    assert!(
        sends_to(&fx, 2)
            .iter()
            .any(|m| matches!(m, Message::Sync { .. })),
        "the honest tablet gets its answer"
    );
}

#[test]
fn a_forged_ephemeral_sender_is_refused_by_a_server() {
    let mut node = server();
    join(&mut node, 1, "village-a");
    let forged = Message::Ephemeral {
        sender_id: PeerId::new("district-admin"),
        target_id: PeerId::new("server"),
        document_id: doc(),
        session_id: SessionId::new("s1"),
        count: 1,
        data: vec![1],
    };
    let fx = send(&mut node, 2, 1, &forged);
    let reason = closed(&fx, 1).expect("closed");
    assert!(reason.contains("is not the peer"), "{reason}");
}

#[test]
fn ephemeral_messages_are_rate_limited_size_limited_and_forgotten_with_the_peer() {
    let mut node = server();
    join(&mut node, 1, "a");
    join(&mut node, 2, "b");
    // Both sync the document so that a relays to b.
    send(&mut node, 2, 1, &honest_sync("a"));
    send(&mut node, 2, 2, &honest_sync("b"));
    let eph = |session: String, count: u64, data: Vec<u8>| Message::Ephemeral {
        sender_id: PeerId::new("a"),
        target_id: PeerId::new("server"),
        document_id: doc(),
        session_id: SessionId::new(session),
        count,
        data,
    };
    // Burst: the first 600 are relayed, the rest in the same instant are
    // dropped (one error says so; the connection stays).
    let mut relayed = 0;
    let mut errors = 0;
    for i in 0..1000u64 {
        let fx = send(&mut node, 10, 1, &eph(format!("s{i}"), 1, vec![1]));
        assert!(closed(&fx, 1).is_none());
        relayed += sends_to(&fx, 2).len();
        errors += sends_to(&fx, 1)
            .iter()
            .filter(|m| matches!(m, Message::Error { .. }))
            .count();
    }
    assert_eq!(relayed, 600);
    assert_eq!(errors, 1);
    // A fresh session per message is remembered only up to a bound.
    let held = node.held();
    assert_eq!(held.ephemeral_gates, 1);
    assert!(held.ephemeral_sessions <= 64, "{held:?}");
    // A minute later the allowance is back.
    let fx = send(&mut node, 60_010, 1, &eph("later".into(), 1, vec![1]));
    assert_eq!(sends_to(&fx, 2).len(), 1);
    // Too big: refused with an error and a close.
    let fx = send(
        &mut node,
        60_011,
        1,
        &eph("big".into(), 1, vec![0; 65 * 1024]),
    );
    assert!(closed(&fx, 1).is_some());
    // Gone with the peer.
    let held = node.held();
    assert_eq!(held.ephemeral_gates, 0, "{held:?}");
    assert_eq!(held.ephemeral_sessions, 0, "{held:?}");
}

#[test]
fn retained_sync_states_are_bounded_in_bytes() {
    let mut config = Config::server(
        PeerId::new("server"),
        PeerMetadata::durable(StorageId::new("s")),
    );
    config.storage = false;
    config.max_retained_bytes = 4 * 1024;
    let mut node = SyncNode::new(config);
    // Peers come, sync and go, each with a new id: their sync states are
    // retained for a quick resync, but never more than the byte limit.
    for i in 0..2_000u64 {
        let peer = format!("peer-{i:0>200}");
        join(&mut node, i + 1, &peer);
        send(&mut node, 2, i + 1, &honest_sync(&peer));
        node.handle(
            3,
            Event::Disconnected {
                conn: ConnectionId(i + 1),
            },
        );
    }
    let held = node.held();
    assert!(held.retained_bytes <= 4 * 1024, "{held:?}");
    assert!(held.retained_states > 0, "{held:?}");
    assert_eq!(held.connections, 0);
}

#[test]
fn oversized_ids_are_refused_at_the_door() {
    let mut node = server();
    let fx = join(&mut node, 1, &"x".repeat(4 << 20));
    assert!(closed(&fx, 1).is_some());
    assert_eq!(node.held().connections, 0);
}
