//! Fuzz target: the server's message handler without IO. A
//! `yanzhen_sync::SyncNode` configured as `yanzhen-server` configures it
//! (server role, storage, no save debounce, 8 MiB limit), holding one
//! document, with three peer connections; the input is a sequence of
//! frames `[op][len u16 LE][bytes]` fed as `Event::Received` on connection
//! `op & 3` (`op & 0x80`: that connection drops and reconnects first;
//! `op & 0x40`: a tick; `op & 0x20`: a batch opens, or the open one closes,
//! as the hub batches what it drains at once). Storage effects go to an in-memory map and loads
//! are answered from it, as the hub does. Access alternates by document:
//! read-write, read-only, none (the shape of the server's policy). The node
//! must never panic, and after every event it must still answer a fresh
//! peer's `join`.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use yanzhen_sync::{
    Access, Config, ConnectionId, DocumentId, Effect, Event, Message, PeerId, PeerMetadata,
    StorageId, StorageOp, SyncNode,
};

type Store = BTreeMap<Vec<String>, Vec<u8>>;

fn policy(_: &PeerId, _: &PeerMetadata, doc: &DocumentId) -> Access {
    match doc.as_bytes()[0] % 3 {
        0 => Access::ReadWrite,
        1 => Access::Read,
        _ => Access::None,
    }
}

/// Carries out effects like the hub: storage first, loads answered.
fn run(node: &mut SyncNode, store: &mut Store, fx: Vec<Effect>) {
    let mut queue: std::collections::VecDeque<Effect> = fx.into();
    let mut guard = 0;
    while let Some(e) = queue.pop_front() {
        guard += 1;
        assert!(guard < 100_000, "effects never end");
        match e {
            Effect::Storage(StorageOp::Put { key, data }) => {
                store.insert(key, data);
            }
            Effect::Storage(StorageOp::Delete { key }) => {
                store.remove(&key);
            }
            Effect::LoadDocument { doc } => {
                let prefix = doc.to_string();
                let chunks = store
                    .iter()
                    .filter(|(k, _)| k.first() == Some(&prefix))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                queue.extend(node.handle(0, Event::DocumentLoaded { doc, chunks }));
            }
            _ => {}
        }
    }
}

fn join(name: &str) -> Vec<u8> {
    Message::Join {
        sender_id: PeerId::new(name),
        peer_metadata: PeerMetadata::durable(StorageId::from_random([7; 16])),
        supported_protocol_versions: vec!["1".into()],
    }
    .encode()
}

fuzz_target!(|data: &[u8]| {
    let mut config = Config::server(
        PeerId::new("yanzhen-server-fuzz"),
        PeerMetadata::durable(StorageId::new("00000000-0000-4000-8000-000000000000")),
    );
    config.save_debounce_ms = 0;
    config.max_message_bytes = 8 * 1024 * 1024;
    let mut node = SyncNode::with_policy(config, Box::new(policy));
    let mut store = Store::new();
    // A document the server holds (id bytes [0; 16]: read-write).
    let mut am = automerge::AutoCommit::new();
    use automerge::transaction::Transactable as _;
    am.put(automerge::ROOT, "k", "v").unwrap();
    let fx = node
        .add_document(DocumentId::from_bytes([0; 16]), am.document().clone())
        .unwrap();
    run(&mut node, &mut store, fx);
    let mut conns = [1u64, 2, 3];
    for c in conns {
        let fx = node.handle(
            0,
            Event::Connected {
                conn: ConnectionId(c),
                initiator: false,
            },
        );
        run(&mut node, &mut store, fx);
    }
    let mut next = 4u64;
    let mut now = 0u64;
    let mut batch = false;
    let mut rest = data;
    while rest.len() >= 3 {
        let op = rest[0];
        let len = usize::from(u16::from_le_bytes([rest[1], rest[2]])).min(rest.len() - 3);
        let bytes = rest[3..3 + len].to_vec();
        rest = &rest[3 + len..];
        let i = usize::from(op & 3) % 3;
        now += 10;
        if op & 0x80 != 0 {
            let fx = node.handle(
                now,
                Event::Disconnected {
                    conn: ConnectionId(conns[i]),
                },
            );
            run(&mut node, &mut store, fx);
            conns[i] = next;
            next += 1;
            let fx = node.handle(
                now,
                Event::Connected {
                    conn: ConnectionId(conns[i]),
                    initiator: false,
                },
            );
            run(&mut node, &mut store, fx);
        }
        if op & 0x40 != 0 {
            let fx = node.handle(now, Event::Tick);
            run(&mut node, &mut store, fx);
        }
        if op & 0x20 != 0 {
            if batch {
                let fx = node.end_batch();
                run(&mut node, &mut store, fx);
            } else {
                node.begin_batch();
            }
            batch = !batch;
        }
        let fx = node.handle(
            now,
            Event::Received {
                conn: ConnectionId(conns[i]),
                bytes,
            },
        );
        run(&mut node, &mut store, fx);
    }
    if batch {
        let fx = node.end_batch();
        run(&mut node, &mut store, fx);
    }
    // Still serving: a fresh peer's join is answered with `peer`.
    let fresh = ConnectionId(next);
    let fx = node.handle(
        now,
        Event::Connected {
            conn: fresh,
            initiator: false,
        },
    );
    run(&mut node, &mut store, fx);
    let fx = node.handle(
        now,
        Event::Received {
            conn: fresh,
            bytes: join("fresh"),
        },
    );
    let answered = fx.iter().any(|e| {
        matches!(e, Effect::Send { conn, bytes } if *conn == fresh
        && matches!(Message::decode(bytes), Ok(Message::Peer { .. })))
    });
    assert!(answered, "the node still answers a join");
});
