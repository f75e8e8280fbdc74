//! Native tests of [`RepoState`]: the tablet's repo against a real server
//! [`SyncNode`] and an in-memory IndexedDB, driven input by input, with
//! the hostile cases (a socket closing mid-sync, failing writes, refusals,
//! a revocation, late events of an old socket, duplicate ticks).

use std::collections::{BTreeMap, VecDeque};

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT, ReadDoc};
use yanzhen_sync::{
    Config, ConnectionId, DocumentId, Effect, Event, PeerId, PeerMetadata, StorageId, StorageKey,
    StorageOp, SyncNode,
};

use super::WRITE_RETRY_MS;
use super::action::Action;
use super::input::Input;
use super::state::RepoState;
use crate::access::device::{DeviceInfo, DocGrant, Enrolment, Refusal};
use crate::sync::idb::StorageError;
use crate::sync::status::{Ack, Connection, DocKind, Problem};

const BASE: &str = "https://sync.example.test";

fn doc(n: u8) -> DocumentId {
    DocumentId::from_bytes([n; 16])
}

fn client_node() -> SyncNode {
    let peer = PeerId::new("tablet-test");
    let mut config = Config::client(peer, PeerMetadata::durable(StorageId::new("tablet-store")));
    config.storage = true;
    SyncNode::new(config)
}

fn server_node() -> SyncNode {
    let mut config = Config::server(
        PeerId::new("server-test"),
        PeerMetadata::durable(StorageId::new("server-store")),
    );
    config.storage = false;
    SyncNode::new(config)
}

fn grant(id: DocumentId, access: &str) -> DocGrant {
    DocGrant {
        document_id: id.to_string(),
        access: access.to_owned(),
        unit_id: None,
        name: Some(format!("unit {id}")),
        district_id: None,
    }
}

fn enrolment(token: &str, docs: Vec<DocGrant>) -> Enrolment {
    Enrolment {
        token: token.to_owned(),
        device: DeviceInfo {
            device_id: "dev-1".to_owned(),
            name: "tablet".to_owned(),
            role: "village".to_owned(),
            unit_id: None,
            district_id: None,
            district_document_id: None,
            districts: Vec::new(),
            documents: docs,
        },
        keys: None,
        device_key: None,
    }
}

fn am_with(key: &str, value: &str) -> Automerge {
    let mut am = Automerge::new();
    let mut tx = am.transaction();
    tx.put(ROOT, key, value).unwrap();
    tx.commit();
    am
}

/// The text at `key` of a document.
fn value(am: &Automerge, key: &str) -> Option<String> {
    am.get(ROOT, key)
        .ok()
        .flatten()
        .and_then(|(v, _)| v.into_string().ok())
}

/// The tablet, the server and the browser's stand-ins, fed input by input.
pub(super) struct World {
    tab: RepoState,
    server: SyncNode,
    now: f64,
    idb: BTreeMap<StorageKey, Vec<u8>>,
    /// The open socket: the tablet's connection ↔ the server's.
    link: Option<(ConnectionId, ConnectionId)>,
    next_server_conn: u64,
    /// Sockets open as soon as asked.
    auto_open: bool,
    /// Writes fail with this while set.
    write_error: Option<StorageError>,
    /// `GET /api/me` refuses with this while set.
    me_refusal: Option<Refusal>,
    bootstrap: Result<Option<DocumentId>, String>,
    /// Every action, in order.
    seen: Vec<Action>,
    inputs: VecDeque<Input>,
}

impl World {
    fn new() -> Self {
        World {
            tab: RepoState::new(client_node(), BASE.to_owned()),
            server: server_node(),
            now: 1_000_000.0,
            idb: BTreeMap::new(),
            link: None,
            next_server_conn: 100,
            auto_open: true,
            write_error: None,
            me_refusal: None,
            bootstrap: Ok(None),
            seen: Vec::new(),
            inputs: VecDeque::new(),
        }
    }

    /// A world whose server has documents `docs`.
    fn with_server_docs(docs: &[(DocumentId, &str)]) -> Self {
        let mut w = World::new();
        for (id, v) in docs {
            let _ = w.server.add_document(*id, am_with("v", v)).unwrap();
        }
        w
    }

    fn start(&mut self, enrolment: Option<Enrolment>) {
        let stored: Vec<DocumentId> = self
            .idb
            .keys()
            .filter_map(|k| k.first()?.parse().ok())
            .collect();
        self.feed(Input::Started {
            online: true,
            store_open: true,
            stored: Ok(stored),
            enrolment,
            district: None,
        });
    }

    /// Starts an unenrolled tablet holding `stored` by hand: the loads it
    /// asks for are left for the test to answer.
    fn start_holding(&mut self, stored: Vec<DocumentId>) -> Vec<Action> {
        let started = Input::Started {
            online: true,
            store_open: true,
            stored: Ok(stored),
            enrolment: None,
            district: None,
        };
        self.tab.on(self.now, started)
    }

    /// Feeds one input and every input the actions lead to; returns the
    /// actions taken meanwhile.
    fn feed(&mut self, input: Input) -> Vec<Action> {
        let from = self.seen.len();
        self.inputs.push_back(input);
        while let Some(input) = self.inputs.pop_front() {
            let actions = self.tab.on(self.now, input);
            self.perform(actions);
        }
        self.seen[from..].to_vec()
    }

    fn change(&mut self, id: DocumentId, key: &str, value: &str) -> Vec<Action> {
        let from = self.seen.len();
        let ((), actions) = self
            .tab
            .change(self.now, id, |am| {
                let mut tx = am.transaction();
                tx.put(ROOT, key, value).unwrap();
                tx.commit();
            })
            .unwrap();
        self.apply(actions);
        self.seen[from..].to_vec()
    }

    /// Carries out actions and every input they lead to.
    fn apply(&mut self, actions: Vec<Action>) {
        self.perform(actions);
        while let Some(input) = self.inputs.pop_front() {
            let actions = self.tab.on(self.now, input);
            self.perform(actions);
        }
    }

    fn server_fx(&mut self, fx: Vec<Effect>) {
        for e in fx {
            match e {
                Effect::Send { conn, bytes } => {
                    if let Some((c, s)) = self.link
                        && s == conn
                    {
                        self.inputs.push_back(Input::Received { conn: c, bytes });
                    }
                }
                Effect::Close { conn, .. } => {
                    if let Some((c, s)) = self.link
                        && s == conn
                    {
                        self.link = None;
                        self.inputs.push_back(Input::Closed {
                            conn: c,
                            random: 0.5,
                        });
                    }
                }
                _ => {}
            }
        }
    }

    fn perform(&mut self, actions: Vec<Action>) {
        for action in actions {
            self.seen.push(action.clone());
            match action {
                Action::Send { conn, bytes } => {
                    if let Some((c, s)) = self.link
                        && c == conn
                    {
                        let fx = self
                            .server
                            .handle(self.now as u64, Event::Received { conn: s, bytes });
                        self.server_fx(fx);
                    }
                }
                Action::Close { conn } => self.cut(conn, true),
                Action::Drop { conn } => self.cut(conn, false),
                Action::Connect { conn, .. } if self.auto_open => self.open(conn),
                Action::Load { doc } => {
                    let chunks = self
                        .idb
                        .iter()
                        .filter(|(k, _)| k.first() == Some(&doc.to_string()))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    self.inputs.push_back(Input::Loaded {
                        doc,
                        chunks: Ok((chunks, 0)),
                    });
                }
                Action::Write { ops, .. } => match &self.write_error {
                    Some(e) => self.inputs.push_back(Input::WriteFailed(e.clone())),
                    None => {
                        for op in ops {
                            match op {
                                StorageOp::Put { key, data } => {
                                    self.idb.insert(key, data);
                                }
                                StorageOp::Delete { key } => {
                                    self.idb.remove(&key);
                                }
                            }
                        }
                        self.inputs.push_back(Input::Written);
                    }
                },
                Action::OpenStore => self.inputs.push_back(Input::StoreOpened(Ok(()))),
                Action::Bootstrap { .. } => {
                    let answer = self.bootstrap.clone();
                    self.inputs.push_back(Input::Bootstrapped(answer));
                }
                Action::CheckToken { token, .. } => {
                    if let Some(refusal) = self.me_refusal {
                        self.inputs
                            .push_back(Input::TokenRefused { token, refusal });
                    }
                }
                Action::Attest { digest } => self.inputs.push_back(Input::Attested { digest }),
                Action::PassOn { .. } => self.inputs.push_back(Input::PassedOn),
                _ => {}
            }
        }
    }

    /// Opens the tablet's socket `conn` to the server.
    fn open(&mut self, conn: ConnectionId) {
        self.next_server_conn += 1;
        let s = ConnectionId(self.next_server_conn);
        self.link = Some((conn, s));
        let fx = self.server.handle(
            self.now as u64,
            Event::Connected {
                conn: s,
                initiator: false,
            },
        );
        self.server_fx(fx);
        self.inputs.push_back(Input::Opened { conn });
    }

    /// The socket goes: the server sees it gone; a close comes back if `event`.
    fn cut(&mut self, conn: ConnectionId, event: bool) {
        if let Some((c, s)) = self.link
            && c == conn
        {
            self.link = None;
            let _ = self
                .server
                .handle(self.now as u64, Event::Disconnected { conn: s });
            if event {
                self.inputs.push_back(Input::Closed { conn, random: 0.5 });
            }
        }
    }

    fn tick(&mut self, ms: f64) -> Vec<Action> {
        self.now += ms;
        self.feed(Input::Tick)
    }

    fn row_ack(&self, id: DocumentId) -> Option<Ack> {
        self.tab.rows().iter().find(|r| r.id == id).map(|r| r.ack)
    }

    fn unsaved(&self, id: DocumentId) -> bool {
        self.tab.rows().iter().any(|r| r.id == id && r.unsaved)
    }

    fn server_value(&self, id: DocumentId, key: &str) -> Option<String> {
        value(self.server.document(&id)?, key)
    }

    /// The document as IndexedDB has it.
    fn stored(&self, id: DocumentId) -> Automerge {
        let chunks: Vec<_> = self
            .idb
            .iter()
            .filter(|(k, _)| k[0] == id.to_string())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        yanzhen_sync::storage::load_document(chunks)
            .unwrap()
            .unwrap()
            .0
    }

    fn connects(actions: &[Action]) -> Vec<(ConnectionId, String)> {
        actions
            .iter()
            .filter_map(|a| match a {
                Action::Connect { conn, url } => Some((*conn, url.clone())),
                _ => None,
            })
            .collect()
    }
}

/// An enrolled tablet with document `d` on the server, connected and in step.
pub(super) fn connected(d: DocumentId) -> World {
    let mut w = World::with_server_docs(&[(d, "server")]);
    w.start(Some(enrolment("tok-1", vec![grant(d, "write")])));
    w
}

mod files;
mod link;
mod saves;
mod shown;
