//! One WebSocket's connection task ([`SyncHub::run_connection`]), the
//! upgrade that authenticates it ([`ws`], `GET /sync`), and the in-flight
//! byte budgets a received message waits for.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use axum::{extract::RawQuery, http::HeaderMap};
use axum::{
    extract::{
        State,
        ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade},
    },
    http::StatusCode,
    response::{IntoResponse, Response},
};
use tokio::sync::{mpsc, watch};
use yanzhen_sync::{ConnectionId, Message, PeerId};

use super::handle::Command;
use super::{SyncHub, SyncSettings, TOO_MANY_CONNECTIONS, TRANSPORT_SLACK, close_code};
use crate::{AppState, auth::AuthFailure, policy::Grant};

/// Initial read and write buffer of each WebSocket (see [`ws`]).
const WS_BUFFER: usize = 8 * 1024;

/// What a connection task is told to do.
#[derive(Debug)]
pub(super) enum Outgoing {
    /// Send one binary message.
    Binary(Vec<u8>),
    /// Send a close frame and stop.
    Close { code: u16, reason: String },
}

/// Why the hub wants a connection gone right now (ahead of its queue).
pub(super) type Kill = Option<(u16, String)>;

/// A received message's permits of the global and the connection's
/// in-flight budgets (in KiB).
pub(super) struct Held {
    _all: tokio::sync::OwnedSemaphorePermit,
    _conn: tokio::sync::OwnedSemaphorePermit,
}

/// What a message of `len` bytes takes of an in-flight budget, in KiB.
pub(super) fn kib(len: usize) -> u32 {
    u32::try_from(len.div_ceil(1024).max(1)).unwrap_or(u32::MAX)
}

/// The in-flight budget (KiB) of all connections and of one, for settings.
pub(super) fn inflight_kib(settings: &SyncSettings) -> (u32, u32) {
    let largest = settings.max_message_bytes.saturating_add(TRANSPORT_SLACK);
    let per_conn = kib(largest.saturating_mul(2));
    (kib(settings.max_inflight_bytes).max(per_conn), per_conn)
}

/// A connection the hub knows ([`SyncHub::register`]): its id and its
/// ends of the channels and budgets it shares with the hub.
pub(super) struct Registered {
    pub(super) conn: ConnectionId,
    /// What the hub has it send.
    pub(super) out: mpsc::Receiver<Outgoing>,
    /// Why the hub wants it gone at once.
    pub(super) kill: watch::Receiver<Kill>,
    /// Bytes queued for it and not yet sent.
    pub(super) queued: Arc<AtomicUsize>,
    /// Its own in-flight budget (KiB).
    pub(super) budget: Arc<tokio::sync::Semaphore>,
}

impl SyncHub {
    /// A new connection of `grant`, made known to the hub (WebSocket and
    /// in-process alike); `None` if the hub is gone.
    pub(super) async fn register(&self, grant: Grant) -> Option<Registered> {
        let settings = &self.shared.settings;
        let conn = ConnectionId(self.shared.next_conn.fetch_add(1, Ordering::Relaxed));
        let (out_tx, out) = mpsc::channel(settings.outgoing_queue.max(1));
        let (kill_tx, kill) = watch::channel::<Kill>(None);
        let queued = Arc::new(AtomicUsize::new(0));
        let budget = Arc::new(tokio::sync::Semaphore::new(
            inflight_kib(settings).1 as usize,
        ));
        let connected = Command::Connected {
            conn,
            out: out_tx,
            kill: kill_tx,
            grant,
            queued: Arc::clone(&queued),
        };
        self.shared.commands.send(connected).await.ok()?;
        Some(Registered {
            conn,
            out,
            kill,
            queued,
            budget,
        })
    }

    /// Serves one upgraded WebSocket of the device `grant` until it closes.
    pub async fn run_connection(self, mut socket: WebSocket, grant: Grant) {
        let settings = self.shared.settings.clone();
        let mut shutdown = self.shared.shutting_down.subscribe();
        if *shutdown.borrow_and_update() {
            let _ = close(&mut socket, close_code::GOING_AWAY, "server shutting down").await;
            return;
        }
        let Some(Registered {
            conn,
            out: mut out_rx,
            kill: mut kill_rx,
            queued,
            budget: conn_budget,
        }) = self.register(grant).await
        else {
            return;
        };
        tracing::debug!(%conn, "sync connection opened");
        let _open = self.shared.metrics.connection_opened();
        let mut kill_alive = true;
        let ending: Option<(u16, String)> = loop {
            tokio::select! {
                biased;
                changed = shutdown.changed() => {
                    if changed.is_err() || *shutdown.borrow_and_update() {
                        break Some((close_code::GOING_AWAY, "server shutting down".into()));
                    }
                }
                changed = kill_rx.changed(), if kill_alive => {
                    match changed {
                        Ok(()) => {
                            if let Some(why) = kill_rx.borrow_and_update().clone() {
                                break Some(why);
                            }
                        }
                        // The hub dropped our handle; the queue tells the rest.
                        Err(_) => kill_alive = false,
                    }
                }
                out = out_rx.recv() => match out {
                    Some(Outgoing::Binary(bytes)) => {
                        queued.fetch_sub(bytes.len(), Ordering::Relaxed);
                        self.shared.metrics.message_out(bytes.len());
                        let sent = tokio::time::timeout(
                            settings.send_timeout,
                            socket.send(WsMessage::Binary(bytes.into())),
                        )
                        .await;
                        if !matches!(sent, Ok(Ok(()))) {
                            tracing::debug!(%conn, "sync send failed or timed out");
                            break None;
                        }
                    }
                    Some(Outgoing::Close { code, reason }) => break Some((code, reason)),
                    None => break Some((close_code::TRY_AGAIN_LATER, "closed by the server".into())),
                },
                incoming = socket.recv() => match incoming {
                    Some(Ok(WsMessage::Binary(bytes))) => {
                        self.shared.metrics.message_in(bytes.len());
                        let Some(held) = self.hold(&conn_budget, bytes.len()).await else {
                            break Some((close_code::GOING_AWAY, "server shutting down".into()));
                        };
                        let cmd = Command::Received { conn, bytes: bytes.to_vec(), _held: held };
                        if self.shared.commands.send(cmd).await.is_err() {
                            break Some((close_code::GOING_AWAY, "server shutting down".into()));
                        }
                    }
                    // Not part of the protocol: let the node answer it as malformed.
                    Some(Ok(WsMessage::Text(text))) => {
                        self.shared.metrics.message_in(text.len());
                        let Some(held) = self.hold(&conn_budget, text.len()).await else {
                            break Some((close_code::GOING_AWAY, "server shutting down".into()));
                        };
                        let cmd = Command::Received { conn, bytes: text.as_bytes().to_vec(), _held: held };
                        if self.shared.commands.send(cmd).await.is_err() {
                            break Some((close_code::GOING_AWAY, "server shutting down".into()));
                        }
                    }
                    Some(Ok(WsMessage::Ping(_) | WsMessage::Pong(_))) => {}
                    Some(Ok(WsMessage::Close(_))) | None => break None,
                    Some(Err(err)) => {
                        // Typically a message over the transport limit. Say so
                        // in the protocol's terms, then close.
                        let reason = format!("websocket error: {err}");
                        tracing::info!(%conn, %reason, "sync connection refused a message");
                        let msg = Message::Error {
                            sender_id: self.shared.peer_id.clone(),
                            target_id: PeerId::new(""),
                            message: reason.clone(),
                        };
                        let _ = tokio::time::timeout(
                            settings.send_timeout,
                            socket.send(WsMessage::Binary(msg.encode().into())),
                        )
                        .await;
                        break Some((close_code::TOO_BIG, reason));
                    }
                },
            }
        };
        let _ = self
            .shared
            .commands
            .send(Command::Disconnected { conn })
            .await;
        if let Some((code, reason)) = ending {
            tracing::debug!(%conn, code, %reason, "closing sync connection");
            let _ = tokio::time::timeout(settings.send_timeout, close(&mut socket, code, &reason))
                .await;
            // Read until the peer's close (bounded), so that what we sent is
            // not lost to a reset.
            let _ = tokio::time::timeout(settings.close_grace, async {
                while let Some(Ok(_)) = socket.recv().await {}
            })
            .await;
        }
        tracing::debug!(%conn, "sync connection closed");
    }
}

impl SyncHub {
    /// Waits until a received message of `len` bytes fits in the in-flight
    /// budgets (the connection's, then everyone's); `None` once closed.
    pub(super) async fn hold(
        &self,
        conn_budget: &Arc<tokio::sync::Semaphore>,
        len: usize,
    ) -> Option<Held> {
        let n = kib(len);
        let conn = Arc::clone(conn_budget).acquire_many_owned(n).await.ok()?;
        let all = Arc::clone(&self.shared.inflight)
            .acquire_many_owned(n)
            .await
            .ok()?;
        Some(Held {
            _all: all,
            _conn: conn,
        })
    }
}

async fn close(socket: &mut WebSocket, code: u16, reason: &str) -> Result<(), axum::Error> {
    // A close reason is at most 123 bytes.
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    socket
        .send(WsMessage::Close(Some(CloseFrame {
            code,
            reason: reason[..end].into(),
        })))
        .await
}

/// `GET /sync`: upgrade to a WebSocket speaking automerge-repo's protocol,
/// for a device authenticated by its token (`?token=` or `Authorization:
/// Bearer`); 401 with `{"error": "access.token.missing|unknown|revoked"}`
/// otherwise, before any upgrade.
pub async fn ws(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    upgrade: WebSocketUpgrade,
) -> Response {
    let hub = state.sync.clone();
    if hub.is_shutting_down() {
        return (StatusCode::SERVICE_UNAVAILABLE, "server shutting down").into_response();
    }
    let token = crate::api::bearer_token(&headers).or_else(|| query_token(query.as_deref()));
    let device = match state.auth.authenticate(token.as_deref()).await {
        Ok(device) => device,
        Err(AuthFailure::Token(err)) => {
            tracing::info!(reason = err.key(), "sync connection refused");
            state.metrics.refusal(err.key());
            return crate::api::unauthorized(err);
        }
        Err(AuthFailure::Db(err)) => {
            tracing::warn!(%err, "sync: cannot check the token");
            return crate::api::server_error();
        }
    };
    let Some(slot) = hub.connection_slot(&device.id) else {
        tracing::info!(
            device = %device.id,
            reason = TOO_MANY_CONNECTIONS,
            max = hub.settings().max_connections_per_device,
            "sync connection refused"
        );
        state.metrics.refusal(TOO_MANY_CONNECTIONS);
        return crate::api::error(StatusCode::TOO_MANY_REQUESTS, TOO_MANY_CONNECTIONS);
    };
    // A district created since this node read the districts.
    hub.ensure_district(device.district_id.as_deref()).await;
    let grant = device.grant();
    let limit = hub
        .settings()
        .max_message_bytes
        .saturating_add(TRANSPORT_SLACK);
    upgrade
        .max_message_size(limit)
        .max_frame_size(limit)
        // tungstenite zero-fills its whole read buffer before every read;
        // with the default 128 KiB that is most of a storm's CPU and 128 KiB
        // of resident memory per tablet. Sync messages are mostly small;
        // the buffers still grow for a large one.
        .read_buffer_size(WS_BUFFER)
        .write_buffer_size(WS_BUFFER)
        .on_upgrade(move |socket| async move {
            hub.run_connection(socket, grant).await;
            drop(slot);
        })
}

/// The `token` parameter of a query string (tokens are URL-safe, so no
/// decoding is needed).
pub fn query_token(query: Option<&str>) -> Option<String> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}
