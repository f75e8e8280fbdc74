//! Client–server–client runs of the state machine over an in-memory network:
//! convergence, fan-out, reconnect with resync, storage and reload, malformed
//! and oversize input, access refusal, server nodes merging what another
//! stored.
//!
//! Long file: independent tests of one area, each standing alone; split by
//! area already, a test is read one at a time.

use std::collections::{BTreeMap, VecDeque};

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT, ReadDoc};
use yanzhen_sync::{
    Access, Config, ConnectionId, DocStatus, DocumentId, Effect, Event, Message, PeerId,
    PeerMetadata, StorageId, StorageKey, StorageOp, SyncNode,
};

const SERVER: usize = 0;

/// Nodes, their stores, the links between them and a message queue.
struct Sim {
    nodes: Vec<SyncNode>,
    stores: Vec<BTreeMap<StorageKey, Vec<u8>>>,
    links: BTreeMap<(usize, ConnectionId), (usize, ConnectionId)>,
    queue: VecDeque<(usize, Event)>,
    /// App-facing effects, per node.
    seen: Vec<Vec<Effect>>,
    now: u64,
    next_conn: u64,
    /// The server handles everything queued for it at once, between
    /// `begin_batch` and `end_batch` (as the server's hub does).
    batch_server: bool,
    /// Messages each node sent.
    sent: Vec<usize>,
}

impl Sim {
    fn new(nodes: Vec<SyncNode>) -> Self {
        let n = nodes.len();
        Self {
            nodes,
            stores: vec![BTreeMap::new(); n],
            links: BTreeMap::new(),
            queue: VecDeque::new(),
            seen: vec![Vec::new(); n],
            now: 1_000,
            next_conn: 1,
            batch_server: false,
            sent: vec![0; n],
        }
    }

    fn batched(nodes: Vec<SyncNode>) -> Self {
        Self {
            batch_server: true,
            ..Self::new(nodes)
        }
    }

    fn conn(&mut self) -> ConnectionId {
        self.next_conn += 1;
        ConnectionId(self.next_conn)
    }

    /// Opens a connection from `client` to `server`; returns the client's
    /// connection id.
    fn connect(&mut self, client: usize, server: usize) -> ConnectionId {
        let c = self.link(client, server);
        self.run();
        c
    }

    /// Queues a new connection from `client` to `server` without running.
    fn link(&mut self, client: usize, server: usize) -> ConnectionId {
        let (c, s) = (self.conn(), self.conn());
        self.links.insert((client, c), (server, s));
        self.links.insert((server, s), (client, c));
        self.queue.push_back((
            server,
            Event::Connected {
                conn: s,
                initiator: false,
            },
        ));
        self.queue.push_back((
            client,
            Event::Connected {
                conn: c,
                initiator: true,
            },
        ));
        c
    }

    fn disconnect(&mut self, node: usize, conn: ConnectionId) {
        if let Some((other, oc)) = self.links.remove(&(node, conn)) {
            self.links.remove(&(other, oc));
            self.queue
                .push_back((other, Event::Disconnected { conn: oc }));
        }
        self.queue.push_back((node, Event::Disconnected { conn }));
        self.run();
    }

    fn apply(&mut self, node: usize, fx: Vec<Effect>) {
        for e in fx {
            match e {
                Effect::Send { conn, bytes } => {
                    self.sent[node] += 1;
                    if let Some((other, oc)) = self.links.get(&(node, conn)) {
                        self.queue
                            .push_back((*other, Event::Received { conn: *oc, bytes }));
                    }
                }
                Effect::Close { conn, .. } => {
                    if let Some((other, oc)) = self.links.remove(&(node, conn)) {
                        self.links.remove(&(other, oc));
                        self.queue
                            .push_back((other, Event::Disconnected { conn: oc }));
                    }
                    self.seen[node].push(Effect::Close {
                        conn,
                        reason: String::new(),
                    });
                }
                Effect::Storage(StorageOp::Put { key, data }) => {
                    self.stores[node].insert(key, data);
                }
                Effect::Storage(StorageOp::Delete { key }) => {
                    self.stores[node].remove(&key);
                }
                Effect::LoadDocument { doc } => {
                    let chunks = self.stores[node]
                        .iter()
                        .filter(|(k, _)| k[0] == doc.to_string())
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    self.queue
                        .push_back((node, Event::DocumentLoaded { doc, chunks }));
                }
                other => self.seen[node].push(other),
            }
        }
    }

    fn run(&mut self) {
        let mut steps = 0;
        while let Some((node, ev)) = self.queue.pop_front() {
            steps += 1;
            assert!(steps < 10_000, "no quiescence");
            self.now += 1;
            if node == SERVER && self.batch_server {
                // Everything queued for the server now is one batch.
                let (mine, rest): (VecDeque<_>, VecDeque<_>) = std::mem::take(&mut self.queue)
                    .into_iter()
                    .partition(|(n, _)| *n == SERVER);
                self.queue = rest;
                self.nodes[SERVER].begin_batch();
                for (_, ev) in std::iter::once((SERVER, ev)).chain(mine) {
                    let fx = self.nodes[SERVER].handle(self.now, ev);
                    self.apply(SERVER, fx);
                }
                let fx = self.nodes[SERVER].end_batch();
                self.apply(SERVER, fx);
                continue;
            }
            let fx = self.nodes[node].handle(self.now, ev);
            self.apply(node, fx);
        }
        // Let debounced saves happen.
        self.now += 10_000;
        for n in 0..self.nodes.len() {
            let fx = self.nodes[n].handle(self.now, Event::Tick);
            self.apply(n, fx);
        }
        if !self.queue.is_empty() {
            self.run();
        }
    }

    fn local(&mut self, node: usize, fx: Vec<Effect>) {
        self.apply(node, fx);
        self.run();
    }

    /// Sets `key` = `value` in a document at `node`.
    fn put(&mut self, node: usize, doc: DocumentId, key: &str, value: &str) {
        self.put_queued(node, doc, key, value);
        self.run();
    }

    /// Sets `key` = `value` at `node` and queues what it sends, without
    /// running (so that several nodes' changes cross).
    fn put_queued(&mut self, node: usize, doc: DocumentId, key: &str, value: &str) {
        let (_, fx) = self.nodes[node]
            .change(doc, |am| {
                let mut tx = am.transaction();
                tx.put(ROOT, key, value).unwrap();
                tx.commit();
            })
            .unwrap();
        self.apply(node, fx);
    }

    fn get(&self, node: usize, doc: DocumentId, key: &str) -> Option<String> {
        let am = self.nodes[node].document(&doc)?;
        am.get(ROOT, key)
            .unwrap()
            .map(|(v, _)| v.into_string().unwrap_or_default())
    }

    fn heads(&self, node: usize, doc: DocumentId) -> Vec<automerge::ChangeHash> {
        self.nodes[node].document(&doc).unwrap().get_heads()
    }

    fn take_seen(&mut self, node: usize) -> Vec<Effect> {
        std::mem::take(&mut self.seen[node])
    }
}

fn server_node() -> SyncNode {
    SyncNode::new(Config::server(
        PeerId::new("server"),
        PeerMetadata::durable(StorageId::new("server-storage")),
    ))
}

fn client_node(name: &str) -> SyncNode {
    SyncNode::new(Config::client(
        PeerId::new(name),
        PeerMetadata::durable(StorageId::new(format!("{name}-storage"))),
    ))
}

fn doc_id(n: u8) -> DocumentId {
    DocumentId::from_bytes([n; 16])
}

fn new_doc(key: &str, value: &str) -> Automerge {
    let mut am = Automerge::new();
    let mut tx = am.transaction();
    tx.put(ROOT, key, value).unwrap();
    tx.commit();
    am
}

/// client A, server, client B, both clients connected; A has document 1.
fn three() -> (Sim, ConnectionId, ConnectionId, DocumentId) {
    three_in(Sim::new)
}

/// [`three`] in a simulation made by `sim` (plain or batched).
fn three_in(sim: fn(Vec<SyncNode>) -> Sim) -> (Sim, ConnectionId, ConnectionId, DocumentId) {
    let mut sim = sim(vec![server_node(), client_node("a"), client_node("b")]);
    let ca = sim.connect(1, SERVER);
    let cb = sim.connect(2, SERVER);
    let id = doc_id(1);
    let fx = sim.nodes[1]
        .add_document(id, new_doc("title", "from a"))
        .unwrap();
    sim.local(1, fx);
    (sim, ca, cb, id)
}

#[test]
fn handshake_carries_metadata() {
    let mut sim = Sim::new(vec![server_node(), client_node("a")]);
    sim.connect(1, SERVER);
    let client_saw = sim.take_seen(1);
    assert!(client_saw.iter().any(|e| matches!(e,
        Effect::PeerConnected { peer_id, metadata, .. }
            if peer_id.as_str() == "server"
            && metadata.storage_id.as_ref().map(|s| s.as_str()) == Some("server-storage")
            && metadata.is_ephemeral == Some(false))));
    let server_saw = sim.take_seen(SERVER);
    assert!(server_saw.iter().any(|e| matches!(e,
        Effect::PeerConnected { peer_id, metadata, .. }
            if peer_id.as_str() == "a" && metadata.storage_id.is_some())));
}

#[test]
fn client_server_client_converge() {
    let (mut sim, _, _, id) = three();
    assert_eq!(sim.get(SERVER, id, "title").as_deref(), Some("from a"));
    // B asks for the document and gets it.
    let fx = sim.nodes[2].find(id);
    sim.local(2, fx);
    assert_eq!(sim.nodes[2].status(&id), Some(DocStatus::Ready));
    assert_eq!(sim.get(2, id, "title").as_deref(), Some("from a"));
    assert!(
        sim.take_seen(2)
            .iter()
            .any(|e| matches!(e, Effect::DocumentChanged { doc, .. } if *doc == id))
    );
    // B changes it; A receives it.
    sim.put(2, id, "title", "from b");
    assert_eq!(sim.get(1, id, "title").as_deref(), Some("from b"));
    assert_eq!(sim.heads(1, id), sim.heads(2, id));
    assert_eq!(sim.heads(SERVER, id), sim.heads(2, id));
    // Concurrent edits on both sides converge.
    sim.put(1, id, "x", "1");
    sim.put(2, id, "y", "2");
    assert_eq!(sim.heads(1, id), sim.heads(2, id));
    assert_eq!(sim.get(1, id, "y").as_deref(), Some("2"));
}

#[test]
fn server_fans_out_to_every_other_syncing_peer() {
    let mut sim = Sim::new(vec![
        server_node(),
        client_node("a"),
        client_node("b"),
        client_node("c"),
    ]);
    for n in 1..=3 {
        sim.connect(n, SERVER);
    }
    let id = doc_id(2);
    let fx = sim.nodes[1].add_document(id, new_doc("v", "0")).unwrap();
    sim.local(1, fx);
    for n in [2, 3] {
        let fx = sim.nodes[n].find(id);
        sim.local(n, fx);
    }
    for round in 1..5 {
        let writer = 1 + round % 3;
        sim.put(writer, id, "v", &round.to_string());
        for n in 1..=3 {
            assert_eq!(sim.get(n, id, "v"), Some(round.to_string()), "node {n}");
        }
    }
    // A document nobody else asked for is not pushed to other peers.
    let other = doc_id(3);
    let fx = sim.nodes[1].add_document(other, new_doc("k", "v")).unwrap();
    sim.local(1, fx);
    assert!(sim.nodes[2].document(&other).is_none());
    assert!(sim.nodes[SERVER].document(&other).is_some());
}

/// Four tablets share a document; each changes it offline, then all send at
/// once. Returns the simulation and the messages the server sent for that.
fn storm(batch_server: bool) -> (Sim, DocumentId, usize) {
    let nodes = vec![
        server_node(),
        client_node("a"),
        client_node("b"),
        client_node("c"),
        client_node("d"),
    ];
    let mut sim = if batch_server {
        Sim::batched(nodes)
    } else {
        Sim::new(nodes)
    };
    for n in 1..=4 {
        sim.connect(n, SERVER);
    }
    let id = doc_id(4);
    let fx = sim.nodes[1].add_document(id, new_doc("v", "0")).unwrap();
    sim.local(1, fx);
    for n in 2..=4 {
        let fx = sim.nodes[n].find(id);
        sim.local(n, fx);
    }
    let before = sim.sent[SERVER];
    // Every tablet's change goes out before the server reads any of them.
    for n in 1..=4 {
        sim.put_queued(n, id, &format!("from {n}"), "x");
    }
    sim.run();
    let sent = sim.sent[SERVER] - before;
    (sim, id, sent)
}

#[test]
fn a_batched_server_converges_with_fewer_messages() {
    let (plain, _, plain_sent) = storm(false);
    let (batched, id, batched_sent) = storm(true);
    for sim in [&plain, &batched] {
        for n in 0..=4 {
            assert_eq!(sim.heads(n, id), sim.heads(1, id), "node {n}");
            for m in 1..=4 {
                assert_eq!(
                    sim.get(n, id, &format!("from {m}")).as_deref(),
                    Some("x"),
                    "node {n} has tablet {m}'s change"
                );
            }
        }
    }
    assert!(
        batched_sent < plain_sent,
        "batched {batched_sent} messages, one at a time {plain_sent}"
    );
    // Saved once for the batch: the store reloads to the same heads.
    let mut sim = batched;
    let heads = sim.heads(SERVER, id);
    let store = sim.stores[SERVER].clone();
    sim.nodes[SERVER] = server_node();
    sim.stores[SERVER] = store;
    sim.links.clear();
    let c = sim.connect(2, SERVER);
    let fx = sim.nodes[2].find(id);
    sim.local(2, fx);
    assert_eq!(
        sim.nodes[SERVER].document(&id).map(|d| d.get_heads()),
        Some(heads)
    );
    sim.disconnect(2, c);
}

#[test]
fn a_batched_server_stores_reloads_and_resyncs() {
    let (mut sim, ca, cb, id) = three_in(Sim::batched);
    let fx = sim.nodes[2].find(id);
    sim.local(2, fx);
    assert_eq!(sim.get(2, id, "title").as_deref(), Some("from a"));
    sim.disconnect(1, ca);
    sim.put(1, id, "offline", "a");
    sim.put(2, id, "online", "b");
    sim.connect(1, SERVER);
    for n in [SERVER, 1, 2] {
        assert_eq!(sim.get(n, id, "offline").as_deref(), Some("a"), "node {n}");
        assert_eq!(sim.get(n, id, "online").as_deref(), Some("b"), "node {n}");
    }
    // Unknown documents are still unavailable, at once.
    let missing = doc_id(6);
    let fx = sim.nodes[2].find(missing);
    sim.local(2, fx);
    assert_eq!(sim.nodes[2].status(&missing), Some(DocStatus::Unavailable));
    sim.disconnect(2, cb);
}

#[test]
fn unknown_document_is_unavailable() {
    let mut sim = Sim::new(vec![server_node(), client_node("a")]);
    sim.connect(1, SERVER);
    let id = doc_id(9);
    let fx = sim.nodes[1].find(id);
    sim.local(1, fx);
    assert_eq!(sim.nodes[1].status(&id), Some(DocStatus::Unavailable));
    assert!(
        sim.take_seen(1)
            .contains(&Effect::DocumentUnavailable { doc: id })
    );
    // The server did not keep a document for it, nor store anything.
    assert!(sim.nodes[SERVER].document(&id).is_none());
    assert!(sim.stores[SERVER].is_empty());
}

#[test]
fn reconnect_resyncs_both_ways() {
    let (mut sim, ca, _, id) = three();
    let fx = sim.nodes[2].find(id);
    sim.local(2, fx);
    sim.disconnect(1, ca);
    // Offline edit on A, online edit on B.
    sim.put(1, id, "offline", "a");
    sim.put(2, id, "online", "b");
    assert_eq!(sim.get(SERVER, id, "offline"), None);
    assert_eq!(sim.get(1, id, "online"), None);
    sim.connect(1, SERVER);
    for n in [SERVER, 1, 2] {
        assert_eq!(sim.get(n, id, "offline").as_deref(), Some("a"), "node {n}");
        assert_eq!(sim.get(n, id, "online").as_deref(), Some("b"), "node {n}");
    }
    assert_eq!(sim.heads(1, id), sim.heads(2, id));
}

#[test]
fn server_stores_and_reloads_documents() {
    let (mut sim, ca, cb, id) = three();
    sim.put(1, id, "more", "data");
    let keys: Vec<&StorageKey> = sim.stores[SERVER].keys().collect();
    assert!(!keys.is_empty());
    assert!(keys.iter().all(|k| k[0] == id.to_string()
        && (k[1] == "snapshot" || k[1] == "incremental")
        && k.len() == 3));
    let heads = sim.heads(SERVER, id);
    // Restart the server with the same store.
    sim.disconnect(1, ca);
    sim.disconnect(2, cb);
    let store = sim.stores[SERVER].clone();
    sim.nodes[SERVER] = server_node();
    sim.stores[SERVER] = store;
    sim.connect(2, SERVER);
    let fx = sim.nodes[2].find(id);
    sim.local(2, fx);
    assert_eq!(sim.heads(2, id), heads);
    assert_eq!(sim.get(2, id, "more").as_deref(), Some("data"));
}

fn sent_errors(fx: &[Effect]) -> Vec<String> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Send { bytes, .. } => match Message::decode(bytes).unwrap() {
                Message::Error { message, .. } => Some(message),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

#[test]
fn malformed_input_gets_error_and_close() {
    let mut node = server_node();
    let conn = ConnectionId(1);
    node.handle(
        0,
        Event::Connected {
            conn,
            initiator: false,
        },
    );
    let fx = node.handle(
        1,
        Event::Received {
            conn,
            bytes: vec![0xff, 0x00, 0x13],
        },
    );
    assert_eq!(sent_errors(&fx).len(), 1, "{fx:?}");
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Close { conn: c, .. } if *c == conn))
    );

    // Valid CBOR, but a sync message before join.
    let conn = ConnectionId(2);
    let m = Message::Sync {
        sender_id: "x".into(),
        target_id: "server".into(),
        document_id: doc_id(1),
        data: vec![0x42],
    };
    let fx = node.handle(
        2,
        Event::Received {
            conn,
            bytes: m.encode(),
        },
    );
    assert!(sent_errors(&fx)[0].contains("expected a join"));

    // After a join: garbage inside the automerge sync data.
    let conn = ConnectionId(3);
    let join = Message::Join {
        sender_id: "x".into(),
        peer_metadata: PeerMetadata::default(),
        supported_protocol_versions: vec!["1".into()],
    };
    node.handle(
        3,
        Event::Received {
            conn,
            bytes: join.encode(),
        },
    );
    let m = Message::Sync {
        sender_id: "x".into(),
        target_id: "server".into(),
        document_id: doc_id(1),
        data: vec![0x42, 0xff, 0xff, 0xff],
    };
    let fx = node.handle(
        4,
        Event::Received {
            conn,
            bytes: m.encode(),
        },
    );
    assert!(
        sent_errors(&fx)[0].contains("invalid sync message"),
        "{fx:?}"
    );
    assert!(fx.iter().any(|e| matches!(e, Effect::Close { .. })));

    // A wrong senderId after join.
    let conn = ConnectionId(4);
    node.handle(
        5,
        Event::Received {
            conn,
            bytes: join.encode(),
        },
    );
    let m = Message::DocUnavailable {
        sender_id: "impostor".into(),
        target_id: "server".into(),
        document_id: doc_id(1),
    };
    let fx = node.handle(
        6,
        Event::Received {
            conn,
            bytes: m.encode(),
        },
    );
    assert!(sent_errors(&fx)[0].contains("impostor"));

    // Unsupported protocol version.
    let conn = ConnectionId(5);
    let join2 = Message::Join {
        sender_id: "y".into(),
        peer_metadata: PeerMetadata::default(),
        supported_protocol_versions: vec!["2".into()],
    };
    let fx = node.handle(
        7,
        Event::Received {
            conn,
            bytes: join2.encode(),
        },
    );
    assert_eq!(sent_errors(&fx), vec!["unsupported protocol version"]);
}

#[test]
fn newer_message_types_are_ignored() {
    let (mut sim, _, _, id) = three();
    let before = sim.heads(SERVER, id);
    for m in [
        Message::RemoteSubscriptionChange {
            sender_id: "a".into(),
            target_id: "server".into(),
            add: vec!["s".into()],
            remove: vec![],
        },
        Message::RemoteHeadsChanged {
            sender_id: "a".into(),
            target_id: "server".into(),
            document_id: id,
            new_heads: vec![],
        },
        Message::Unknown {
            type_name: "from-the-future".into(),
            sender_id: Some("a".into()),
            target_id: None,
        },
    ] {
        // Find A's connection on the server side and inject the message.
        let server_conn = sim
            .links
            .iter()
            .find(|((n, _), (o, _))| *n == SERVER && *o == 1)
            .map(|((_, c), _)| *c)
            .unwrap();
        let fx = sim.nodes[SERVER].handle(
            sim.now,
            Event::Received {
                conn: server_conn,
                bytes: m.encode(),
            },
        );
        assert!(fx.is_empty(), "{fx:?}");
    }
    assert_eq!(sim.heads(SERVER, id), before);
}

#[test]
fn oversize_input_gets_error_and_close() {
    let mut config = Config::server(PeerId::new("server"), PeerMetadata::default());
    config.max_message_bytes = 1000;
    let mut node = SyncNode::new(config);
    let conn = ConnectionId(1);
    let fx = node.handle(
        0,
        Event::Received {
            conn,
            bytes: vec![0; 1001],
        },
    );
    let errors = sent_errors(&fx);
    assert!(
        errors[0].contains("exceeds the limit of 1000 bytes"),
        "{errors:?}"
    );
    assert!(fx.iter().any(|e| matches!(e, Effect::Close { .. })));
}

#[test]
fn access_policy_refuses_reads_and_writes() {
    let id = doc_id(5);
    let policy = move |peer: &PeerId, _: &PeerMetadata, doc: &DocumentId| {
        assert_eq!(*doc, id);
        match peer.as_str() {
            "writer" => Access::ReadWrite,
            "reader" => Access::Read,
            _ => Access::None,
        }
    };
    let server = SyncNode::with_policy(
        Config::server(
            PeerId::new("server"),
            PeerMetadata::durable(StorageId::new("srv")),
        ),
        Box::new(policy),
    );
    let mut sim = Sim::new(vec![
        server,
        client_node("writer"),
        client_node("reader"),
        client_node("stranger"),
    ]);
    for n in 1..=3 {
        sim.connect(n, SERVER);
    }
    let fx = sim.nodes[1].add_document(id, new_doc("v", "w1")).unwrap();
    sim.local(1, fx);

    // The stranger is refused, with a reason, and the find resolves.
    let fx = sim.nodes[3].find(id);
    sim.local(3, fx);
    let seen = sim.take_seen(3);
    assert!(
        seen.iter()
            .any(|e| matches!(e, Effect::RemoteError { message, .. }
        if message.contains("may not read") && message.contains("stranger"))),
        "{seen:?}"
    );
    assert!(seen.contains(&Effect::DocumentUnavailable { doc: id }));
    assert!(sim.get(3, id, "v").is_none());

    // The reader gets the document and later changes…
    let fx = sim.nodes[2].find(id);
    sim.local(2, fx);
    assert_eq!(sim.get(2, id, "v").as_deref(), Some("w1"));
    // …but its own change is not applied anywhere else (an automerge 0.12
    // peer sees the server's read-only flag and does not even send it).
    sim.put(2, id, "v", "reader was here");
    assert_eq!(sim.get(SERVER, id, "v").as_deref(), Some("w1"));
    assert_eq!(sim.get(1, id, "v").as_deref(), Some("w1"));
    // A reader that pushes changes anyway is refused with a reason.
    let reader_conn = sim
        .links
        .iter()
        .find(|((n, _), (o, _))| *n == SERVER && *o == 2)
        .map(|((_, c), _)| *c)
        .unwrap();
    let reader_doc = sim.nodes[2].document(&id).unwrap();
    let hostile = automerge::sync::Message {
        heads: reader_doc.get_heads(),
        need: vec![],
        have: vec![],
        changes: reader_doc
            .get_changes(&[])
            .into_iter()
            .map(|c| c.raw_bytes().to_vec())
            .collect::<Vec<_>>()
            .into(),
        flags: None,
        version: automerge::sync::MessageVersion::V1,
    };
    let m = Message::Sync {
        sender_id: "reader".into(),
        target_id: "server".into(),
        document_id: id,
        data: hostile.encode(),
    };
    let fx = sim.nodes[SERVER].handle(
        sim.now,
        Event::Received {
            conn: reader_conn,
            bytes: m.encode(),
        },
    );
    let errors = sent_errors(&fx);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("reader may not write") && e.contains("not applied")),
        "{errors:?}"
    );
    assert_eq!(sim.get(SERVER, id, "v").as_deref(), Some("w1"));
    sim.apply(SERVER, fx);
    sim.run();
    assert_eq!(sim.get(1, id, "v").as_deref(), Some("w1"));
    // The writer's next change still reaches the reader.
    sim.put(1, id, "w", "2");
    assert_eq!(sim.get(2, id, "w").as_deref(), Some("2"));
    assert_eq!(sim.get(SERVER, id, "v").as_deref(), Some("w1"));

    // A reader cannot create documents on the server either.
    let other = doc_id(6);
    let strict = move |peer: &PeerId, _: &PeerMetadata, _: &DocumentId| {
        if peer.as_str() == "writer" {
            Access::ReadWrite
        } else {
            Access::Read
        }
    };
    let server = SyncNode::with_policy(
        Config::server(PeerId::new("server"), PeerMetadata::default()),
        Box::new(strict),
    );
    let mut sim = Sim::new(vec![server, client_node("reader")]);
    sim.connect(1, SERVER);
    let fx = sim.nodes[1].add_document(other, new_doc("k", "v")).unwrap();
    sim.local(1, fx);
    assert!(sim.nodes[SERVER].document(&other).is_none());
    let seen = sim.take_seen(1);
    assert!(
        seen.iter()
            .any(|e| matches!(e, Effect::RemoteError { message, .. }
        if message.contains("may not write"))),
        "{seen:?} {:?}",
        sim.seen[SERVER]
    );
}

#[test]
fn ephemeral_messages_reach_other_peers_once() {
    let (mut sim, _, _, id) = three();
    let fx = sim.nodes[2].find(id);
    sim.local(2, fx);
    let fx = sim.nodes[1].broadcast_ephemeral(id, vec![1, 2, 3]);
    sim.local(1, fx);
    let got: Vec<_> = sim
        .take_seen(2)
        .into_iter()
        .filter(|e| matches!(e, Effect::Ephemeral { .. }))
        .collect();
    assert_eq!(
        got,
        vec![Effect::Ephemeral {
            doc: id,
            from: PeerId::new("a"),
            data: vec![1, 2, 3]
        }]
    );
}

/// A small reconnect storm through a batching server: 12 tablets in groups
/// of 4 sharing 3 documents each, 20 offline changes per tablet and
/// document, all reconnecting at once. Every tablet ends with the server's
/// heads *and* has been told by the server that it has them (what the
/// benchmark's storm waits for).
#[test]
fn a_batched_server_brings_a_reconnect_storm_to_convergence() {
    let mut nodes = vec![server_node()];
    for t in 0..12 {
        nodes.push(client_node(&format!("t{t}")));
    }
    let mut sim = Sim::batched(nodes);
    let mut conns = Vec::new();
    for t in 1..=12 {
        conns.push(sim.connect(t, SERVER));
    }
    let docs: Vec<DocumentId> = (0..9).map(|d| doc_id(100 + d)).collect();
    for g in 0..3usize {
        for d in 0..3 {
            let id = docs[g * 3 + d];
            let owner = 1 + g * 4;
            let fx = sim.nodes[owner]
                .add_document(id, new_doc("v", "0"))
                .unwrap();
            sim.local(owner, fx);
            for t in 1..4 {
                let fx = sim.nodes[owner + t].find(id);
                sim.local(owner + t, fx);
            }
        }
    }
    for t in 1..=12 {
        sim.disconnect(t, conns[t - 1]);
    }
    for t in 1..=12usize {
        let g = (t - 1) / 4;
        for d in 0..3 {
            for c in 0..20 {
                sim.put_queued(t, docs[g * 3 + d], &format!("t{t}c{c}"), "x");
            }
        }
    }
    sim.run();
    // All reconnect at once.
    let cs: Vec<ConnectionId> = (1..=12).map(|t| sim.link(t, SERVER)).collect();
    sim.run();
    for t in 1..=12usize {
        let g = (t - 1) / 4;
        for d in 0..3 {
            let id = docs[g * 3 + d];
            assert_eq!(
                sim.heads(t, id),
                sim.heads(SERVER, id),
                "tablet {t} doc {d}"
            );
            let mut told = sim.nodes[t]
                .peer_heads(&id, cs[t - 1])
                .unwrap_or_default()
                .to_vec();
            told.sort();
            let mut h = sim.heads(SERVER, id);
            h.sort();
            assert_eq!(told, h, "tablet {t} doc {d}: what the server told");
        }
    }
}

#[test]
fn a_tracking_server_knows_which_connection_applied_which_changes() {
    let mut sim = Sim::new(vec![server_node(), client_node("a"), client_node("b")]);
    sim.nodes[SERVER].track_applied();
    sim.connect(1, SERVER);
    sim.connect(2, SERVER);
    let id = doc_id(1);
    let fx = sim.nodes[1]
        .add_document(id, new_doc("title", "from a"))
        .unwrap();
    sim.local(1, fx);
    let applied = sim.nodes[SERVER].take_applied();
    let a_heads = sim.heads(1, id);
    assert_eq!(applied.len(), 1);
    assert_eq!(applied[0].doc, id);
    assert_eq!(applied[0].changes, a_heads);
    let from_a = applied[0].conn;
    // B gets the document and changes it: only B's change, from B's
    // connection (A's change is not new again).
    let fx = sim.nodes[2].find(id);
    sim.local(2, fx);
    assert!(sim.nodes[SERVER].take_applied().is_empty());
    sim.put(2, id, "title", "from b");
    let applied = sim.nodes[SERVER].take_applied();
    assert_eq!(applied.len(), 1);
    assert_ne!(applied[0].conn, from_a);
    assert_eq!(applied[0].changes, sim.heads(2, id));
    assert!(sim.nodes[SERVER].take_applied().is_empty());
    // Untracked nodes record nothing.
    assert!(sim.nodes[1].take_applied().is_empty());
}

/// The storage ops in `fx`, carried out on `store`.
fn store_ops(store: &mut BTreeMap<StorageKey, Vec<u8>>, fx: &[Effect]) {
    for e in fx {
        match e {
            Effect::Storage(StorageOp::Put { key, data }) => {
                store.insert(key.clone(), data.clone());
            }
            Effect::Storage(StorageOp::Delete { key }) => {
                store.remove(key);
            }
            _ => {}
        }
    }
}

/// Two server nodes on one store: what one stores, the other merges
/// (`merge_stored`), remembers as stored (its compaction may delete it)
/// and does not save again; a chunk whose changes wait for dependencies
/// not stored is merged but not recorded, so no compaction deletes it.
#[test]
fn a_server_node_merges_what_another_stored() {
    let id = doc_id(7);
    let mut store: BTreeMap<StorageKey, Vec<u8>> = BTreeMap::new();
    let mut a = server_node();
    let mut b = server_node();
    let fx = a.add_document(id, new_doc("k", "v0")).unwrap();
    store_ops(&mut store, &fx);
    store_ops(&mut store, &a.flush());
    assert!(!store.is_empty());
    let fx = b.find(id);
    assert!(matches!(fx[..], [Effect::LoadDocument { .. }]));
    let chunks: Vec<_> = store.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    b.handle(0, Event::DocumentLoaded { doc: id, chunks });
    assert_eq!(b.status(&id), Some(DocStatus::Ready));

    // A changes the document and stores the change.
    let (_, fx) = a
        .change(id, |d| {
            let mut tx = d.transaction();
            tx.put(ROOT, "k", "v1").unwrap();
            tx.commit();
        })
        .unwrap();
    store_ops(&mut store, &fx);
    store_ops(&mut store, &a.flush());
    let known = b.stored_chunk_keys(&id).unwrap();
    let unknown: Vec<_> = store
        .iter()
        .filter(|(k, _)| !known.contains(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assert!(!unknown.is_empty());
    let (fx, result) = b.merge_stored(id, unknown.clone());
    result.unwrap();
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::DocumentChanged { .. }))
    );
    let doc = b.document(&id).unwrap();
    let (v, _) = doc.get(ROOT, "k").unwrap().unwrap();
    assert_eq!(v.into_string().unwrap(), "v1");
    // Recorded as stored, and nothing to save again.
    let known = b.stored_chunk_keys(&id).unwrap();
    assert!(unknown.iter().all(|(k, _)| known.contains(k)));
    assert!(!b.flush().iter().any(|e| matches!(e, Effect::Storage(_))));

    // A chunk of changes whose dependency is in no chunk: held back by
    // Automerge, not recorded.
    let mut other = a.document(&id).unwrap().fork();
    let mut tx = other.transaction();
    tx.put(ROOT, "k", "v2").unwrap();
    tx.commit();
    let mid = other.get_heads();
    let mut tx = other.transaction();
    tx.put(ROOT, "k", "v3").unwrap();
    tx.commit();
    let orphan = other.save_after(&mid);
    let key = vec![
        id.to_string(),
        "incremental".to_owned(),
        "orphan".to_owned(),
    ];
    let (_, result) = b.merge_stored(id, vec![(key.clone(), orphan)]);
    assert!(result.is_err());
    assert!(!b.stored_chunk_keys(&id).unwrap().contains(&key));
}
