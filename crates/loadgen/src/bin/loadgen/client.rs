//! A simulated tablet: a [`SyncNode`] in the client role on one
//! tokio-tungstenite WebSocket, counting what goes over the wire.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use automerge::{Automerge, ChangeHash};
use futures_util::{SinkExt as _, StreamExt as _};
use tokio::net::TcpStream;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, tungstenite::Message as WsMessage};
use yanzhen_sync::{
    Config, ConnectionId, DocumentId, Effect, Event, PeerId, PeerMetadata, StorageId, SyncNode,
};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Heads of every document once all replicas have converged.
pub type Expected = HashMap<DocumentId, Vec<ChangeHash>>;

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
/// before each read (128 KiB by default), which would make the load
/// generator itself the bottleneck.
fn ws_config() -> tokio_tungstenite::tungstenite::protocol::WebSocketConfig {
    tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
        .read_buffer_size(8 * 1024)
        .write_buffer_size(8 * 1024)
}

/// Traffic counters of one client (WebSocket binary messages; `wire_*`
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

/// One simulated tablet.
pub struct Client {
    pub node: SyncNode,
    ws: Option<Ws>,
    pub conn: ConnectionId,
    start: Instant,
    pub traffic: Traffic,
}

impl Client {
    /// A client whose peer and storage ids derive from `seed`.
    pub fn new(seed: u64) -> Self {
        let mut sid = [0xE0; 16];
        sid[..8].copy_from_slice(&seed.to_le_bytes());
        let config = Config::client(
            PeerId::from_random("loadgen", &seed.to_le_bytes()),
            PeerMetadata::durable(StorageId::from_random(sid)),
        );
        Self {
            node: SyncNode::new(config),
            ws: None,
            conn: ConnectionId(0),
            start: Instant::now(),
            traffic: Traffic::default(),
        }
    }

    fn now(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }

    /// Adds a document (offered to the server once connected).
    pub async fn add(&mut self, id: DocumentId, am: Automerge) -> Result<()> {
        let fx = self.node.add_document(id, am)?;
        self.apply(fx).await
    }

    /// Opens the WebSocket and sends `join` (does not wait for `peer`).
    pub async fn connect(&mut self, url: &str) -> Result<()> {
        let (ws, _) = tokio::time::timeout(
            Duration::from_secs(60),
            tokio_tungstenite::connect_async_with_config(url, Some(ws_config()), true),
        )
        .await
        .context("websocket connect timed out")?
        .context("websocket connect")?;
        self.ws = Some(ws);
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

    /// Closes the WebSocket.
    pub async fn close(&mut self) {
        if let Some(mut ws) = self.ws.take() {
            let _ = tokio::time::timeout(Duration::from_secs(2), ws.close(None)).await;
        }
    }

    /// Carries out effects (sends).
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
                    ws.send(WsMessage::Binary(bytes.into()))
                        .await
                        .context("websocket send")?;
                }
                Effect::Close { reason, .. } => bail!("our node closed the connection: {reason}"),
                Effect::RemoteError { message, .. } => bail!("the server sent an error: {message}"),
                _ => {}
            }
        }
        Ok(())
    }

    /// Reads and handles one message; `false` if none came within `wait`.
    pub async fn step(&mut self, wait: Duration) -> Result<bool> {
        let ws = self.ws.as_mut().context("not connected")?;
        let next = match tokio::time::timeout(wait, ws.next()).await {
            Ok(n) => n,
            Err(_) => return Ok(false),
        };
        match next {
            Some(Ok(WsMessage::Binary(bytes))) => {
                self.traffic.recv_msgs += 1;
                self.traffic.recv_bytes += bytes.len() as u64;
                self.traffic.wire_recv += (bytes.len() + frame_overhead(bytes.len(), false)) as u64;
                let conn = self.conn;
                let fx = self.node.handle(
                    self.now(),
                    Event::Received {
                        conn,
                        bytes: bytes.to_vec(),
                    },
                );
                self.apply(fx).await?;
                Ok(true)
            }
            Some(Ok(WsMessage::Close(frame))) => {
                bail!("the server closed the connection: {frame:?}")
            }
            Some(Ok(_)) => Ok(true),
            Some(Err(e)) => bail!("websocket: {e}"),
            None => bail!("the server closed the connection"),
        }
    }

    /// Pumps until `cond` holds; fails at `deadline`.
    pub async fn pump_until(
        &mut self,
        deadline: Instant,
        what: &str,
        mut cond: impl FnMut(&Client) -> bool,
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

    /// Pumps until nothing arrives for `quiet` (at most until `deadline`).
    pub async fn pump_quiet(&mut self, quiet: Duration, deadline: Instant) -> Result<()> {
        while Instant::now() < deadline {
            if !self.step(quiet).await? {
                return Ok(());
            }
        }
        Ok(())
    }

    /// Whether the server has answered our `join`.
    pub fn handshaken(&self) -> bool {
        self.node.peer_of(self.conn).is_some()
    }

    /// Our heads of a document (sorted).
    pub fn heads(&self, doc: &DocumentId) -> Vec<ChangeHash> {
        let mut h = self
            .node
            .document(doc)
            .map(|d| d.get_heads())
            .unwrap_or_default();
        h.sort();
        h
    }

    /// The heads the server last told us it has (sorted).
    pub fn server_heads(&self, doc: &DocumentId) -> Vec<ChangeHash> {
        let mut h = self
            .node
            .peer_heads(doc, self.conn)
            .map(<[ChangeHash]>::to_vec)
            .unwrap_or_default();
        h.sort();
        h
    }

    /// Whether we and the server both have exactly the expected heads of
    /// each of `docs` (`expected` heads are sorted).
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
}
