//! The one native tablet: a [`SyncNode`] in the client role over one
//! tokio-tungstenite WebSocket to the server's `/sync`, driven explicitly
//! (nothing runs in the background). What it does when something goes
//! wrong is chosen by its constructor ([`OnTrouble`]):
//!
//! * [`Tablet::new`], for tests: a surprise fails the test.
//!   [`Tablet::connect`] waits for the server's answer and
//!   [`Tablet::pump_until`] reads and handles messages until a condition
//!   holds, failing the test after [`WAIT`]; what the node reports is kept
//!   in [`Tablet::seen`], a lost link in [`Tablet::closed`].
//! * [`Tablet::chaos`], for fault injection ([`crate::chaos`]): a tablet
//!   that survives its link going away. Every error just drops the link;
//!   [`Tablet::sync_until`] reconnects with backoff and treats a silent
//!   link as dead.
//! * [`Tablet::loadgen`], for the load generator: any close or error from
//!   the server is an error of the run ([`Tablet::wait_until`]).
//!
//! Every tablet counts what it sends and receives ([`Traffic`], with the
//! WebSocket frame headers) and how often it connected and lost its link.
//!
//! Long file: the one native test tablet serves the scenario tests, the chaos
//! storms and the load generator: one type with the operations all of them
//! need.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use automerge::transaction::CommitOptions;
use automerge::{Automerge, ChangeHash};
use futures_util::{SinkExt as _, StreamExt as _};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, tungstenite::Message as WsMessage};
use yanzhen_sync::{
    Config, ConnectionId, DocumentId, Effect, Event, PeerId, PeerMetadata, StorageId, SyncNode,
};

use crate::chaos::Rng;

/// Upper bound of every wait of a test tablet.
pub const WAIT: Duration = Duration::from_secs(30);

/// How long a load-generator tablet may take to open its WebSocket (a
/// storm opens hundreds at once).
pub const LOADGEN_CONNECT: Duration = Duration::from_secs(60);

/// One WebSocket to the server.
pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Heads of every document once all replicas have converged (sorted).
pub type Expected = HashMap<DocumentId, Vec<ChangeHash>>;

/// Opens a raw WebSocket to `url` (`ws://127.0.0.1:PORT/sync`); panics
/// after [`WAIT`] or if it fails.
pub async fn connect_ws(url: &str) -> Ws {
    let (ws, _) = tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(url))
        .await
        .expect("websocket connect timed out")
        .expect("websocket connect");
    ws
}

/// Tries to open a WebSocket to `url`: 101 (and no body) if it upgraded,
/// else the HTTP status and body of the refusal; panics after [`WAIT`] or
/// on any other failure.
pub async fn ws_status(url: &str) -> (u16, String) {
    match tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(url))
        .await
        .expect("connect timed out")
    {
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => (
            res.status().as_u16(),
            String::from_utf8_lossy(res.body().as_deref().unwrap_or_default()).into_owned(),
        ),
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => (101, String::new()),
    }
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

/// Bytes of a WebSocket frame header around `len` payload bytes (clients
/// mask, adding 4).
pub fn frame_overhead(len: usize, masked: bool) -> usize {
    let ext = if len < 126 {
        0
    } else if len < 65_536 {
        2
    } else {
        8
    };
    2 + ext + if masked { 4 } else { 0 }
}

/// Small initial buffers: tungstenite zero-fills its whole read buffer
/// before each read (128 KiB by default), which would make a load
/// generator with many tablets its own bottleneck.
fn small_buffers() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(8 * 1024)
        .write_buffer_size(8 * 1024)
}

/// Sorted change hashes.
pub fn sorted(mut v: Vec<ChangeHash>) -> Vec<ChangeHash> {
    v.sort();
    v
}

/// Traffic counters of one tablet (WebSocket binary messages; `wire_*`
/// adds the frame headers).
#[derive(Clone, Copy, Debug, Default)]
pub struct Traffic {
    pub sent_msgs: u64,
    pub sent_bytes: u64,
    pub wire_sent: u64,
    pub recv_msgs: u64,
    pub recv_bytes: u64,
    pub wire_recv: u64,
}

/// What a tablet does when something goes wrong: a send fails, the server
/// closes or sends an error, or its own node closes the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnTrouble {
    /// Tests ([`Tablet::new`]): our node closing the connection fails the
    /// test; a lost link is recorded in [`Tablet::closed`]; the server's
    /// errors, like every effect other than a send, go to [`Tablet::seen`].
    FailTest,
    /// Fault injection ([`Tablet::chaos`]): every trouble drops the link
    /// (the server's errors are kept in [`Tablet::errors`]); the tablet
    /// reconnects in [`Tablet::sync_until`].
    Reconnect,
    /// The load generator ([`Tablet::loadgen`]): any trouble is an error.
    Abort,
}

/// How one read from the WebSocket ended.
enum Read {
    /// Nothing came in time.
    Timeout,
    /// A message came and was handled.
    Message,
    /// The link is gone: the reason a test records, and the error the load
    /// generator reports.
    Lost { why: String, error: String },
}

/// A client node and its connection.
pub struct Tablet {
    pub name: String,
    pub node: SyncNode,
    ws: Option<Ws>,
    pub conn: ConnectionId,
    start: Instant,
    on_trouble: OnTrouble,
    /// The WebSocket settings (`None`: tungstenite's defaults) and whether
    /// to disable Nagle's algorithm (the chaos and load tablets do).
    ws_config: Option<WebSocketConfig>,
    nodelay: bool,
    /// Effects other than sends, in order (document changed, unavailable,
    /// remote errors, …); kept by test tablets only.
    pub seen: Vec<Effect>,
    /// Set when the link was lost (close reason, or "eof").
    pub closed: Option<String>,
    /// The server device id and role name its model changes name (see
    /// [`signed`]); empty until a test sets them.
    pub device_id: String,
    pub role: String,
    /// The URL it last connected to (with its token).
    pub url: String,
    /// Connections opened (the first one included).
    pub connects: u64,
    /// Links lost (closed, reset, silent, refused).
    pub drops: u64,
    /// Binary messages received.
    pub received: u64,
    /// `error` messages the server sent a chaos tablet.
    pub errors: Vec<String>,
    /// With `record`: every binary message received, as it came.
    pub record: bool,
    pub raw: Vec<Vec<u8>>,
    /// What went over the wire.
    pub traffic: Traffic,
}

impl Tablet {
    fn with(
        name: String,
        config: Config,
        on_trouble: OnTrouble,
        ws: Option<WebSocketConfig>,
    ) -> Self {
        Self {
            name,
            node: SyncNode::new(config),
            ws: None,
            conn: ConnectionId(0),
            start: Instant::now(),
            on_trouble,
            nodelay: ws.is_some(),
            ws_config: ws,
            seen: Vec::new(),
            closed: None,
            device_id: String::new(),
            role: String::new(),
            url: String::new(),
            connects: 0,
            drops: 0,
            received: 0,
            errors: Vec::new(),
            record: false,
            raw: Vec::new(),
            traffic: Traffic::default(),
        }
    }

    /// A test tablet ([`OnTrouble::FailTest`]) with a durable storage id
    /// derived from `seed`.
    pub fn new(name: &str, seed: u8) -> Self {
        let config = Config::client(
            PeerId::new(format!("tablet-{name}")),
            PeerMetadata::durable(StorageId::from_random([seed; 16])),
        );
        Self::with(name.to_owned(), config, OnTrouble::FailTest, None)
    }

    /// A tablet whose link may fail at any time ([`OnTrouble::Reconnect`]).
    pub fn chaos(name: &str, seed: u64) -> Self {
        let mut sid = [0xE5; 16];
        sid[..8].copy_from_slice(&seed.to_le_bytes());
        let config = Config::client(
            PeerId::new(format!("chaos-{name}")),
            PeerMetadata::durable(StorageId::from_random(sid)),
        );
        Self::with(
            name.to_owned(),
            config,
            OnTrouble::Reconnect,
            Some(small_buffers()),
        )
    }

    /// A simulated tablet of the load generator ([`OnTrouble::Abort`])
    /// whose peer and storage ids derive from `seed`.
    pub fn loadgen(seed: u64) -> Self {
        let mut sid = [0xE0; 16];
        sid[..8].copy_from_slice(&seed.to_le_bytes());
        let config = Config::client(
            PeerId::from_random("loadgen", &seed.to_le_bytes()),
            PeerMetadata::durable(StorageId::from_random(sid)),
        );
        Self::with(
            format!("loadgen-{seed}"),
            config,
            OnTrouble::Abort,
            Some(small_buffers()),
        )
    }

    fn now(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }

    /// Whether the WebSocket is open.
    pub fn is_connected(&self) -> bool {
        self.ws.is_some()
    }

    /// Opens the WebSocket (bounded by `wait`) and sends `join`, without
    /// waiting for the answer.
    async fn open(&mut self, url: &str, wait: Duration) -> Result<()> {
        let (ws, _) = tokio::time::timeout(
            wait,
            tokio_tungstenite::connect_async_with_config(url, self.ws_config, self.nodelay),
        )
        .await
        .context("websocket connect timed out")?
        .context("websocket connect")?;
        self.ws = Some(ws);
        self.closed = None;
        self.connects += 1;
        self.conn = ConnectionId(self.conn.0 + 1);
        let conn = self.conn;
        let fx = self.node.handle(
            self.now(),
            Event::Connected {
                conn,
                initiator: true,
            },
        );
        self.apply(fx).await
    }

    /// Connects (again) and waits for the server's `peer` answer; fails the
    /// test after [`WAIT`].
    pub async fn connect(&mut self, url: &str) {
        self.url = url.to_owned();
        self.open(url, WAIT)
            .await
            .unwrap_or_else(|e| panic!("tablet {}: {e:#}", self.name));
        self.pump_until("the server's peer message", |t| t.handshaken())
            .await;
    }

    /// Connects again as the same device (the URL of the last connect).
    pub async fn reconnect(&mut self) {
        let url = self.url.clone();
        self.connect(&url).await;
    }

    /// Drops the link if any (as the app does when its socket dies), then
    /// opens the WebSocket (bounded by `wait`) and sends `join`; does not
    /// wait for the answer.
    pub async fn try_connect(&mut self, url: &str, wait: Duration) -> Result<()> {
        self.drop_link("reconnecting").await;
        self.url = url.to_owned();
        self.open(url, wait).await
    }

    /// Whether the server has answered our `join` on this connection.
    pub fn handshaken(&self) -> bool {
        self.node.peer_of(self.conn).is_some()
    }

    /// Closes the connection (as when the network goes away) and tells the
    /// node.
    pub async fn disconnect(&mut self) {
        if let Some(mut ws) = self.ws.take() {
            let _ = ws.close(None).await;
        }
        let conn = self.conn;
        let fx = self.node.handle(self.now(), Event::Disconnected { conn });
        let _ = self.apply(fx).await;
    }

    /// Closes politely (bounded by 2 s) and tells the node.
    pub async fn close(&mut self) {
        if let Some(mut ws) = self.ws.take() {
            let _ = tokio::time::timeout(Duration::from_secs(2), ws.close(None)).await;
            let conn = self.conn;
            let fx = self.node.handle(self.now(), Event::Disconnected { conn });
            let _ = Box::pin(self.apply(fx)).await;
        }
    }

    /// Forgets the link (if any) as the app does when its socket dies,
    /// recording `why`.
    pub async fn drop_link(&mut self, why: &str) {
        if self.ws.take().is_some() {
            self.drops += 1;
            self.closed.get_or_insert_with(|| why.to_owned());
            let conn = self.conn;
            let fx = self.node.handle(self.now(), Event::Disconnected { conn });
            let _ = Box::pin(self.apply(fx)).await;
        }
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

    /// Carries out a node's effects: sends go over the WebSocket; the rest
    /// as [`OnTrouble`] says. Fails only for [`OnTrouble::Abort`].
    pub async fn apply(&mut self, fx: Vec<Effect>) -> Result<()> {
        for e in fx {
            match e {
                Effect::Send { bytes, .. } => {
                    let Some(ws) = self.ws.as_mut() else {
                        continue;
                    };
                    self.traffic.sent_msgs += 1;
                    self.traffic.sent_bytes += bytes.len() as u64;
                    self.traffic.wire_sent +=
                        (bytes.len() + frame_overhead(bytes.len(), true)) as u64;
                    if let Err(e) = ws.send(WsMessage::Binary(bytes.into())).await {
                        if self.on_trouble == OnTrouble::Abort {
                            return Err(e).context("websocket send");
                        }
                        Box::pin(self.drop_link("send failed")).await;
                    }
                }
                Effect::Close { reason, .. } => match self.on_trouble {
                    OnTrouble::FailTest => panic!(
                        "tablet {}: our node closed the connection: {reason}",
                        self.name
                    ),
                    OnTrouble::Reconnect => Box::pin(self.drop_link(&reason)).await,
                    OnTrouble::Abort => bail!("our node closed the connection: {reason}"),
                },
                Effect::RemoteError { message, .. } if self.on_trouble != OnTrouble::FailTest => {
                    if self.on_trouble == OnTrouble::Abort {
                        bail!("the server sent an error: {message}");
                    }
                    self.errors.push(message);
                }
                other => {
                    if self.on_trouble == OnTrouble::FailTest {
                        self.seen.push(other);
                    }
                }
            }
        }
        Ok(())
    }

    /// Reads and handles one message, waiting at most `wait`.
    async fn read(&mut self, wait: Duration) -> Result<Read> {
        let Some(ws) = self.ws.as_mut() else {
            bail!("not connected");
        };
        let next = match tokio::time::timeout(wait, ws.next()).await {
            Ok(n) => n,
            Err(_) => return Ok(Read::Timeout),
        };
        match next {
            Some(Ok(WsMessage::Binary(bytes))) => {
                self.received += 1;
                self.traffic.recv_msgs += 1;
                self.traffic.recv_bytes += bytes.len() as u64;
                self.traffic.wire_recv += (bytes.len() + frame_overhead(bytes.len(), false)) as u64;
                if self.record {
                    self.raw.push(bytes.to_vec());
                }
                let conn = self.conn;
                let fx = self.node.handle(
                    self.now(),
                    Event::Received {
                        conn,
                        bytes: bytes.to_vec(),
                    },
                );
                self.apply(fx).await?;
                Ok(Read::Message)
            }
            Some(Ok(WsMessage::Close(frame))) => Ok(Read::Lost {
                why: frame
                    .as_ref()
                    .map_or("close".to_owned(), |f| f.reason.to_string()),
                error: format!("the server closed the connection: {frame:?}"),
            }),
            Some(Ok(_)) => Ok(Read::Message),
            Some(Err(e)) => Ok(Read::Lost {
                why: e.to_string(),
                error: format!("websocket: {e}"),
            }),
            None => Ok(Read::Lost {
                why: "eof".to_owned(),
                error: "the server closed the connection".to_owned(),
            }),
        }
    }

    /// Reads and handles one message: `Ok(true)` if one came within `wait`,
    /// `Ok(false)` if none did, `Err` when the link is gone (a chaos
    /// tablet has dropped it already).
    pub async fn step(&mut self, wait: Duration) -> Result<bool> {
        match self.read(wait).await? {
            Read::Timeout => Ok(false),
            Read::Message => Ok(true),
            Read::Lost { why, error } => {
                if self.on_trouble == OnTrouble::Abort {
                    bail!("{error}");
                }
                self.drop_link(&why).await;
                bail!("link lost")
            }
        }
    }

    /// Adds a new document and offers it to the server; fails the test if
    /// the node refuses it.
    pub async fn add(&mut self, id: DocumentId, am: Automerge) {
        self.try_add(id, am).await.expect("add_document");
    }

    /// Adds a document (offered once connected).
    pub async fn try_add(&mut self, id: DocumentId, am: Automerge) -> Result<()> {
        let fx = self.node.add_document(id, am)?;
        self.apply(fx).await
    }

    /// Asks for a document.
    pub async fn find(&mut self, id: DocumentId) {
        let fx = self.node.find(id);
        let _ = self.apply(fx).await;
    }

    /// Changes a document locally and syncs the change; fails the test if
    /// the node refuses.
    pub async fn change<R>(&mut self, id: DocumentId, f: impl FnOnce(&mut Automerge) -> R) -> R {
        let (r, fx) = self.node.change(id, f).expect("change");
        self.apply(fx).await.expect("sending the change");
        r
    }

    /// Our heads of `doc`, sorted (empty if unknown).
    pub fn heads(&self, doc: &DocumentId) -> Vec<ChangeHash> {
        sorted(
            self.node
                .document(doc)
                .map(|d| d.get_heads())
                .unwrap_or_default(),
        )
    }

    /// The heads the server last told us it has on this link, sorted
    /// (empty when not connected).
    pub fn server_heads(&self, doc: &DocumentId) -> Vec<ChangeHash> {
        if !self.is_connected() {
            return Vec::new();
        }
        sorted(
            self.node
                .peer_heads(doc, self.conn)
                .map(<[ChangeHash]>::to_vec)
                .unwrap_or_default(),
        )
    }

    /// Whether the server told us it has exactly our heads.
    pub fn server_has_our_heads(&self, id: &DocumentId) -> bool {
        let ours = self.heads(id);
        !ours.is_empty()
            && self
                .node
                .peer_heads(id, self.conn)
                .is_some_and(|h| sorted(h.to_vec()) == ours)
    }

    /// We and the server (as it told us on this link) hold exactly the
    /// expected heads of every one of `docs`.
    pub fn converged<'a>(
        &self,
        docs: impl IntoIterator<Item = &'a DocumentId>,
        expected: &Expected,
    ) -> bool {
        docs.into_iter().all(|d| {
            let want = &expected[d];
            &self.heads(d) == want && &self.server_heads(d) == want
        })
    }

    /// Whether `f` saw an effect.
    pub fn saw(&self, f: impl Fn(&Effect) -> bool) -> bool {
        self.seen.iter().any(f)
    }

    /// Reads and handles messages until `cond` holds (checked first);
    /// fails the test after [`WAIT`] or if the link is lost before.
    pub async fn pump_until(&mut self, what: &str, mut cond: impl FnMut(&Tablet) -> bool) {
        let deadline = Instant::now() + WAIT;
        loop {
            if cond(self) {
                return;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if self.ws.is_none() {
                panic!(
                    "tablet {}: waiting for {what}, but the connection is closed ({:?})",
                    self.name, self.closed
                );
            }
            match self.read(left).await {
                Ok(Read::Message) => {}
                Ok(Read::Timeout) => panic!("tablet {}: timed out waiting for {what}", self.name),
                Ok(Read::Lost { why, .. }) => self.drop_link(&why).await,
                Err(e) => panic!("tablet {}: waiting for {what}: {e:#}", self.name),
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

    /// Reads and handles messages until `cond` holds; fails at `deadline`
    /// or when the link is lost.
    pub async fn wait_until(
        &mut self,
        deadline: Instant,
        what: &str,
        mut cond: impl FnMut(&Tablet) -> bool,
    ) -> Result<()> {
        while !cond(self) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                bail!("timed out waiting for {what}");
            }
            self.step(left).await?;
        }
        Ok(())
    }

    /// Reads until nothing arrives for `quiet` (at most until `deadline`).
    pub async fn pump_quiet(&mut self, quiet: Duration, deadline: Instant) -> Result<()> {
        while Instant::now() < deadline {
            if !self.step(quiet).await? {
                return Ok(());
            }
        }
        Ok(())
    }

    /// Syncs through any failure until `done` holds: reconnects with
    /// backoff (50 ms doubling to 1 s, with jitter) whenever the link is
    /// lost, refused, or silent for `stall` while not done. Fails at
    /// `deadline`.
    pub async fn sync_until(
        &mut self,
        url: &str,
        deadline: Instant,
        stall: Duration,
        rng: &mut Rng,
        mut done: impl FnMut(&Tablet) -> bool,
    ) -> Result<()> {
        let mut backoff = 50u64;
        loop {
            if done(self) {
                return Ok(());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                bail!(
                    "{}: not done by the deadline ({} connects, {} drops)",
                    self.name,
                    self.connects,
                    self.drops
                );
            }
            if !self.is_connected() {
                if self
                    .try_connect(url, left.min(Duration::from_secs(10)))
                    .await
                    .is_err()
                {
                    tokio::time::sleep(Duration::from_millis(rng.range(backoff / 2, backoff + 1)))
                        .await;
                    backoff = (backoff * 2).min(1000);
                }
                continue;
            }
            match self.step(stall.min(left)).await {
                Ok(true) => backoff = 50,
                // Silent while not done: the link is dead (a blackhole).
                Ok(false) => self.drop_link("silent").await,
                Err(_) => {}
            }
        }
    }
}
