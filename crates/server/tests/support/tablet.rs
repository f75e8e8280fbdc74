//! A native "tablet" for sync tests: a [`SyncNode`] in the client role driven
//! over one tokio-tungstenite WebSocket to the server's `/sync`. Shared by
//! the server crate's tests and the root package's scenario/interop tests
//! (included there with `#[path]`).
//!
//! The tablet is driven explicitly: [`Tablet::pump_until`] reads and handles
//! messages until a condition holds, failing the test after [`WAIT`].

#![allow(dead_code)] // each test file uses a different subset

use std::time::{Duration, Instant};

use automerge::transaction::CommitOptions;
use automerge::{Automerge, ChangeHash};
use futures_util::{SinkExt as _, StreamExt as _};
use tokio::net::TcpStream;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, tungstenite::Message as WsMessage};
use yanzhen_sync::{
    Config, ConnectionId, DocumentId, Effect, Event, PeerId, PeerMetadata, StorageId, SyncNode,
};

/// Upper bound of every wait.
pub const WAIT: Duration = Duration::from_secs(30);

/// One WebSocket to the server.
pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Opens a raw WebSocket to `url` (`ws://127.0.0.1:PORT/sync`).
pub async fn connect_ws(url: &str) -> Ws {
    let (ws, _) = tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(url))
        .await
        .expect("websocket connect timed out")
        .expect("websocket connect");
    ws
}

/// Commit options naming `device_id` (a server device id) and `role` (its
/// role name) as the change's maker, as the app's changes do: the server
/// refuses a change to the district or a unit document unless it names the
/// device that sends it (`yanzhen_model::authorship`).
pub fn signed(device_id: &str, role: &str) -> CommitOptions {
    use yanzhen_model::store::{ChangeMessage, ChangeOp};
    let meta = yanzhen_model::ChangeMeta::new(device_id, "test", role, 0);
    ChangeMessage::new(&meta, ChangeOp::Update, "", "", Vec::new()).commit_options(0)
}

/// A client node and its connection.
pub struct Tablet {
    pub name: String,
    pub node: SyncNode,
    ws: Option<Ws>,
    pub conn: ConnectionId,
    start: Instant,
    /// Effects other than sends, in order (document changed, unavailable,
    /// remote errors, …).
    pub seen: Vec<Effect>,
    /// Set when the server closed the connection (close reason, or "eof").
    pub closed: Option<String>,
    /// The server device id and role name its model changes name (see
    /// [`signed`]); empty until a test sets them.
    pub device_id: String,
    pub role: String,
    /// The URL it last connected to (with its token).
    pub url: String,
}

impl Tablet {
    /// A tablet with a durable storage id derived from `seed`.
    pub fn new(name: &str, seed: u8) -> Self {
        let config = Config::client(
            PeerId::new(format!("tablet-{name}")),
            PeerMetadata::durable(StorageId::from_random([seed; 16])),
        );
        Self {
            name: name.to_owned(),
            node: SyncNode::new(config),
            ws: None,
            conn: ConnectionId(0),
            start: Instant::now(),
            seen: Vec::new(),
            closed: None,
            device_id: String::new(),
            role: String::new(),
            url: String::new(),
        }
    }

    fn now(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }

    /// Connects (again) and waits for the server's `peer` answer.
    pub async fn connect(&mut self, url: &str) {
        self.url = url.to_owned();
        self.ws = Some(connect_ws(url).await);
        self.closed = None;
        self.conn = ConnectionId(self.conn.0 + 1);
        let conn = self.conn;
        let fx = self.node.handle(
            self.now(),
            Event::Connected {
                conn,
                initiator: true,
            },
        );
        self.apply(fx).await;
        self.pump_until("the server's peer message", |t| {
            t.node.peer_of(t.conn).is_some()
        })
        .await;
    }

    /// Connects again as the same device (the URL of the last connect).
    pub async fn reconnect(&mut self) {
        let url = self.url.clone();
        self.connect(&url).await;
    }

    /// Drops the connection (as when the network goes away).
    pub async fn disconnect(&mut self) {
        if let Some(mut ws) = self.ws.take() {
            let _ = ws.close(None).await;
        }
        let conn = self.conn;
        let fx = self.node.handle(self.now(), Event::Disconnected { conn });
        self.apply(fx).await;
    }

    /// Whether the WebSocket is open.
    pub fn is_connected(&self) -> bool {
        self.ws.is_some()
    }

    /// The peer metadata the server announced.
    pub fn server_metadata(&self) -> Option<PeerMetadata> {
        self.seen.iter().rev().find_map(|e| match e {
            Effect::PeerConnected { conn, metadata, .. } if *conn == self.conn => {
                Some(metadata.clone())
            }
            _ => None,
        })
    }

    async fn apply(&mut self, fx: Vec<Effect>) {
        for e in fx {
            match e {
                Effect::Send { bytes, .. } => {
                    if let Some(ws) = self.ws.as_mut()
                        && ws.send(WsMessage::Binary(bytes.into())).await.is_err()
                    {
                        self.lost("send failed").await;
                    }
                }
                Effect::Close { reason, .. } => {
                    panic!(
                        "tablet {}: our node closed the connection: {reason}",
                        self.name
                    )
                }
                other => self.seen.push(other),
            }
        }
    }

    async fn lost(&mut self, why: &str) {
        self.ws = None;
        self.closed.get_or_insert_with(|| why.to_owned());
        let conn = self.conn;
        let fx = self.node.handle(self.now(), Event::Disconnected { conn });
        Box::pin(self.apply(fx)).await;
    }

    /// Adds a new document and offers it to the server.
    pub async fn add(&mut self, id: DocumentId, am: Automerge) {
        let fx = self.node.add_document(id, am).expect("add_document");
        self.apply(fx).await;
    }

    /// Asks for a document.
    pub async fn find(&mut self, id: DocumentId) {
        let fx = self.node.find(id);
        self.apply(fx).await;
    }

    /// Changes a document locally and syncs the change.
    pub async fn change<R>(&mut self, id: DocumentId, f: impl FnOnce(&mut Automerge) -> R) -> R {
        let (r, fx) = self.node.change(id, f).expect("change");
        self.apply(fx).await;
        r
    }

    /// The document's heads (empty if unknown).
    pub fn heads(&self, id: &DocumentId) -> Vec<ChangeHash> {
        self.node
            .document(id)
            .map(|d| d.get_heads())
            .unwrap_or_default()
    }

    /// Whether the server told us it has exactly our heads.
    pub fn server_has_our_heads(&self, id: &DocumentId) -> bool {
        let ours = sorted(self.heads(id));
        !ours.is_empty()
            && self
                .node
                .peer_heads(id, self.conn)
                .is_some_and(|h| sorted(h.to_vec()) == ours)
    }

    /// Whether `f` saw an effect.
    pub fn saw(&self, f: impl Fn(&Effect) -> bool) -> bool {
        self.seen.iter().any(f)
    }

    /// Reads and handles messages until `cond` holds (checked first);
    /// panics after [`WAIT`].
    pub async fn pump_until(&mut self, what: &str, mut cond: impl FnMut(&Tablet) -> bool) {
        let deadline = Instant::now() + WAIT;
        loop {
            if cond(self) {
                return;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let Some(ws) = self.ws.as_mut() else {
                panic!(
                    "tablet {}: waiting for {what}, but the connection is closed ({:?})",
                    self.name, self.closed
                );
            };
            let next = match tokio::time::timeout(left, ws.next()).await {
                Ok(next) => next,
                Err(_) => panic!("tablet {}: timed out waiting for {what}", self.name),
            };
            match next {
                Some(Ok(WsMessage::Binary(bytes))) => {
                    let conn = self.conn;
                    let fx = self.node.handle(
                        self.now(),
                        Event::Received {
                            conn,
                            bytes: bytes.to_vec(),
                        },
                    );
                    self.apply(fx).await;
                }
                Some(Ok(WsMessage::Close(frame))) => {
                    let why = frame.map_or("close".to_owned(), |f| f.reason.to_string());
                    self.lost(&why).await;
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => self.lost(&e.to_string()).await,
                None => self.lost("eof").await,
            }
        }
    }

    /// Pushes local changes and waits until the server has our heads.
    pub async fn sync_to_server(&mut self, id: DocumentId) {
        let name = self.name.clone();
        self.pump_until(&format!("server to have {name}'s heads of {id}"), |t| {
            t.server_has_our_heads(&id)
        })
        .await;
    }
}

fn sorted(mut v: Vec<ChangeHash>) -> Vec<ChangeHash> {
    v.sort();
    v
}
