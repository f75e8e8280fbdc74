//! In-process connections to the hub ([`LocalConnection`]), for the
//! server's own peers: the relay of [`crate::relay`].

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use tokio::sync::{mpsc, watch};
use yanzhen_sync::ConnectionId;

use super::connection::{Kill, Outgoing, Registered};
use super::handle::Command;
use super::{SyncHub, close_code};
use crate::policy::Grant;

/// An in-process connection to the hub, for the server's own peers (the
/// relay of [`crate::relay`]): the same commands, budgets and checks as a
/// WebSocket connection, with channels in place of the socket.
pub(crate) struct LocalConnection {
    hub: SyncHub,
    conn: ConnectionId,
    out: mpsc::Receiver<Outgoing>,
    kill: watch::Receiver<Kill>,
    budget: Arc<tokio::sync::Semaphore>,
    queued: Arc<AtomicUsize>,
}

/// What came from the hub on a [`LocalConnection`].
#[derive(Debug)]
pub(crate) enum LocalIncoming {
    /// One protocol message.
    Binary(Vec<u8>),
    /// The hub closed the connection (code, reason).
    Closed(u16, String),
}

impl SyncHub {
    /// Opens an in-process connection for `grant`; `None` while shutting down.
    pub(crate) async fn connect_local(&self, grant: Grant) -> Option<LocalConnection> {
        if self.is_shutting_down() {
            return None;
        }
        let Registered {
            conn,
            out,
            kill,
            queued,
            budget,
        } = self.register(grant).await?;
        Some(LocalConnection {
            hub: self.clone(),
            conn,
            out,
            kill,
            budget,
            queued,
        })
    }
}

impl LocalConnection {
    /// Hands one message to the hub (waiting for the in-flight budgets);
    /// `false` once the hub is gone.
    pub(crate) async fn send(&self, bytes: Vec<u8>) -> bool {
        let Some(held) = self.hub.hold(&self.budget, bytes.len()).await else {
            return false;
        };
        let cmd = Command::Received {
            conn: self.conn,
            bytes,
            _held: held,
        };
        self.hub.shared.commands.send(cmd).await.is_ok()
    }

    /// The hub's next message or its close.
    pub(crate) async fn recv(&mut self) -> LocalIncoming {
        loop {
            tokio::select! {
                biased;
                changed = self.kill.changed() => {
                    if changed.is_err() {
                        return LocalIncoming::Closed(close_code::TRY_AGAIN_LATER, "closed by the server".into());
                    }
                    if let Some((code, reason)) = self.kill.borrow_and_update().clone() {
                        return LocalIncoming::Closed(code, reason);
                    }
                }
                out = self.out.recv() => return match out {
                    Some(Outgoing::Binary(bytes)) => {
                        self.queued.fetch_sub(bytes.len(), Ordering::Relaxed);
                        LocalIncoming::Binary(bytes)
                    }
                    Some(Outgoing::Close { code, reason }) => LocalIncoming::Closed(code, reason),
                    None => LocalIncoming::Closed(close_code::TRY_AGAIN_LATER, "closed by the server".into()),
                },
            }
        }
    }

    /// Tells the hub the connection is gone.
    pub(crate) async fn close(self) {
        let _ = self
            .hub
            .shared
            .commands
            .send(Command::Disconnected { conn: self.conn })
            .await;
    }
}
