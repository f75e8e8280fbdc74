//! The hub task: its state ([`Hub`]), the batch loop that feeds commands
//! to the node and carries out the effects, answering heads queries,
//! re-reading the unit directory, and handing messages to the
//! connections' bounded queues (a peer too slow to read is dropped).

use std::{
    collections::HashMap,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use tokio::sync::{mpsc, watch};
use yanzhen_sync::{Config, ConnectionId, DocumentId, Effect, Event, Message, PeerId, SyncNode};

use super::connection::{Kill, Outgoing};
use super::handle::{Command, HeadsAnswer};
use super::{SyncSettings, close_code, now_ms};
use crate::{
    auth::AuthStore,
    health::Health,
    metrics::{Metrics, refusal_key},
    policy::{Directory, Grant, Role, ServerPolicy},
    storage::Storage,
};

/// How often (in hub ticks) connected devices are checked for revocation
/// made elsewhere (the CLI).
const REVOCATION_CHECK_TICKS: u64 = 2;

pub(super) struct ConnHandle {
    pub(super) out: mpsc::Sender<Outgoing>,
    pub(super) kill: watch::Sender<Kill>,
    pub(super) grant: Grant,
    /// Bytes handed to the connection task and not yet written.
    pub(super) queued: Arc<AtomicUsize>,
}

/// The hub task's state.
pub(super) struct Hub {
    pub(super) node: SyncNode,
    pub(super) config: Config,
    pub(super) storage: Arc<dyn Storage>,
    pub(super) conns: HashMap<ConnectionId, ConnHandle>,
    pub(super) settings: SyncSettings,
    pub(super) shutting_down: Arc<watch::Sender<bool>>,
    pub(super) policy: ServerPolicy,
    /// Where revocations are looked up (none in unit tests).
    pub(super) auth: Option<AuthStore>,
    /// The peer id each connection joined as (until it disconnects).
    pub(super) joined: HashMap<ConnectionId, PeerId>,
    /// The connection each peer id is bound to in the policy.
    pub(super) bound: HashMap<PeerId, ConnectionId>,
    pub(super) ticks: u64,
    /// Told once the directory was first loaded.
    pub(super) directory_loaded: Option<watch::Sender<bool>>,
    /// Told of storage write failures (and of the next success).
    pub(super) health: Health,
    /// Refusals and document loads and saves are counted here.
    pub(super) metrics: Metrics,
    /// The documents the current batch's messages were about, by
    /// connection: the writers to tell when a save fails.
    pub(super) batch_docs: Vec<(ConnectionId, DocumentId)>,
    /// Heads queries of the current batch, answered after its writes.
    pub(super) heads_queries: Vec<(Vec<DocumentId>, tokio::sync::oneshot::Sender<HeadsAnswer>)>,
    /// The device and role of every connection that sent a message in the
    /// current batch (kept if it disconnects within the batch): the
    /// authorship check's expected maker of what it delivered.
    pub(super) batch_senders: HashMap<ConnectionId, (String, Role)>,
    /// The other server nodes on the same PostgreSQL database (none on SQLite).
    pub(super) nodes: Option<super::nodes::Nodes>,
}

/// Logs (and counts) a protocol `error` the node sends (a refusal: access
/// denied, malformed or oversize message, …). Cheap for everything else:
/// only messages holding the CBOR text "error" are decoded.
fn log_refusal(conn: ConnectionId, grant: &Grant, bytes: &[u8], metrics: &Metrics) {
    const ERROR_TEXT: &[u8] = &[0x65, b'e', b'r', b'r', b'o', b'r'];
    if !bytes.windows(ERROR_TEXT.len()).any(|w| w == ERROR_TEXT) {
        return;
    }
    if let Ok(Message::Error { message, .. }) = Message::decode(bytes) {
        tracing::info!(%conn, device = %grant.device_id, role = %grant.role, %message, "sync refusal sent");
        metrics.refusal(refusal_key(&message));
    }
}

/// Most commands handled before their effects are carried out together.
const MAX_BATCH: usize = 256;

impl Hub {
    /// A hub over `storage` with nothing connected, not shutting down, no
    /// revocation lookups, nobody to tell of the directory and no other
    /// nodes; its node tracks the changes it applies.
    pub(super) fn new(
        storage: Arc<dyn Storage>,
        settings: SyncSettings,
        policy: ServerPolicy,
        health: Health,
        metrics: Metrics,
    ) -> Hub {
        let config = super::node_config(storage.storage_id(), &settings);
        let mut hub = Hub {
            node: SyncNode::with_policy(config.clone(), Box::new(policy.clone())),
            config,
            storage,
            conns: HashMap::new(),
            settings,
            shutting_down: Arc::new(watch::Sender::new(false)),
            policy,
            auth: None,
            joined: HashMap::new(),
            bound: HashMap::new(),
            ticks: 0,
            directory_loaded: None,
            health,
            metrics,
            batch_docs: Vec::new(),
            heads_queries: Vec::new(),
            batch_senders: HashMap::new(),
            nodes: None,
        };
        hub.node.track_applied();
        hub
    }

    pub(super) async fn run(
        mut self,
        mut rx: mpsc::Receiver<Command>,
        ticks: mpsc::Sender<Command>,
    ) {
        self.reload_city().await;
        if let Some(loaded) = self.directory_loaded.take() {
            loaded.send_replace(true);
        }
        // Ticks go through the command channel so they keep their place in line.
        let tick_every = self.settings.tick;
        let ticker = tokio::spawn(async move {
            let mut interval = tokio::time::interval(tick_every);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                interval.tick().await;
                if ticks.send(Command::Tick).await.is_err() {
                    break;
                }
            }
        });
        let mut stop = false;
        while !stop {
            let Some(first) = rx.recv().await else {
                break;
            };
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(cmd) => batch.push(cmd),
                    Err(_) => break,
                }
            }
            // The node answers and fans out once per document and peer for
            // the whole batch (and saves once): fewer, fuller messages when
            // many tablets send at once. Storage still goes first (execute).
            self.node.begin_batch();
            self.batch_docs.clear();
            self.batch_senders.clear();
            let mut fx = Vec::new();
            for cmd in batch {
                let cmd = match cmd {
                    Command::ReloadCity { reply } => {
                        self.reload_city().await;
                        let _ = reply.send(());
                        continue;
                    }
                    cmd => cmd,
                };
                if matches!(cmd, Command::Tick) {
                    self.ticks += 1;
                    if self.ticks.is_multiple_of(REVOCATION_CHECK_TICKS) {
                        fx.extend(self.check_revocations().await);
                        self.notice_new_districts().await;
                    }
                    self.nodes_tick();
                }
                if matches!(cmd, Command::CheckRevocations) {
                    fx.extend(self.check_revocations().await);
                }
                if let Some(more) = self.command(cmd) {
                    fx.extend(more);
                } else {
                    stop = true;
                    break;
                }
            }
            fx.extend(self.node.end_batch());
            let fx = self.refuse_unauthored(fx);
            let fx = self.refuse_invalid(fx);
            self.execute(fx).await;
            self.answer_heads();
            self.merge_stored_elsewhere().await;
        }
        ticker.abort();
        // Connection tasks still sending to us must not wait for a reader.
        drop(rx);
        // Shutdown (or every handle gone): save what is pending, close sockets.
        let fx = self.node.flush();
        self.execute(fx).await;
        self.shutting_down.send_replace(true);
        self.conns.clear();
        let all_closed = tokio::time::timeout(
            self.settings.close_grace + self.settings.send_timeout.min(Duration::from_secs(5)),
            self.shutting_down.closed(),
        )
        .await;
        if all_closed.is_err() {
            tracing::warn!("some sync connections did not close in time");
        }
        tracing::info!("sync hub stopped");
    }

    /// Feeds one command to the node; `None` for shutdown.
    fn command(&mut self, cmd: Command) -> Option<Vec<Effect>> {
        let now = now_ms();
        Some(match cmd {
            Command::Connected {
                conn,
                out,
                kill,
                grant,
                queued,
            } => {
                self.conns.insert(
                    conn,
                    ConnHandle {
                        out,
                        kill,
                        grant,
                        queued,
                    },
                );
                self.node.handle(
                    now,
                    Event::Connected {
                        conn,
                        initiator: false,
                    },
                )
            }
            Command::Received { conn, bytes, .. } => {
                // Messages still in flight from a connection we closed.
                let Some(h) = self.conns.get(&conn) else {
                    return Some(Vec::new());
                };
                self.batch_senders
                    .entry(conn)
                    .or_insert_with(|| (h.grant.device_id.clone(), h.grant.role));
                if let Some(doc) = Message::peek_document_id(&bytes) {
                    self.batch_docs.push((conn, doc));
                }
                if !self.joined.contains_key(&conn)
                    && let Some(refused) = self.bind_join(conn, &bytes)
                {
                    return Some(refused);
                }
                self.node.handle(now, Event::Received { conn, bytes })
            }
            Command::Disconnected { conn } => {
                self.conns.remove(&conn);
                self.forget(conn);
                self.node.handle(now, Event::Disconnected { conn })
            }
            Command::Revoke { device_id } => self.revoke(&device_id),
            Command::Tick => self.node.handle(now, Event::Tick),
            Command::Shutdown => return None,
            Command::StoredElsewhere { docs } => {
                self.stored_elsewhere(docs);
                Vec::new()
            }
            Command::CheckRevocations => Vec::new(),
            // Handled in the batch loop (it awaits the database).
            Command::ReloadCity { reply } => {
                let _ = reply.send(());
                Vec::new()
            }
            Command::Heads { docs, reply } => {
                self.heads_queries.push((docs, reply));
                Vec::new()
            }
        })
    }

    /// Answers the batch's heads queries. Called after `execute`: every
    /// change the node holds is then committed to storage (a document whose
    /// write failed was reloaded from storage), so these are stored heads.
    fn answer_heads(&mut self) {
        for (docs, reply) in self.heads_queries.drain(..) {
            let answer = docs
                .into_iter()
                .filter(|d| self.node.status(d) == Some(yanzhen_sync::DocStatus::Ready))
                .filter_map(|d| {
                    let heads = self.node.document(&d)?.get_heads();
                    (!heads.is_empty()).then_some((d, heads))
                })
                .collect();
            let _ = reply.send(answer);
        }
    }

    /// Reads the city (districts and their unit directories) from storage
    /// into the policy; on failure the policy keeps what it had.
    pub(super) async fn reload_city(&mut self) {
        let Some(auth) = &self.auth else {
            return;
        };
        match crate::city::load_city(&*self.storage, auth.db()).await {
            Ok(city) => {
                tracing::info!(
                    districts = city.districts.len(),
                    units = city
                        .districts
                        .values()
                        .map(|d| d.directory.units.len())
                        .sum::<usize>(),
                    "districts and unit directories loaded"
                );
                self.policy.set_city(city);
            }
            Err(err) => {
                tracing::error!(%err, "cannot read the districts; devices get only what they got before")
            }
        }
    }

    /// Reads the city again if the districts table lists other districts
    /// than the policy has (one created through another server node).
    async fn notice_new_districts(&mut self) {
        let Some(auth) = &self.auth else {
            return;
        };
        let Ok(listed) = crate::city::list(auth.db()).await else {
            return;
        };
        let city = self.policy.city();
        if listed.len() != city.districts.len()
            || listed.iter().any(|d| !city.districts.contains_key(&d.id))
        {
            self.reload_city().await;
        }
    }

    /// Re-reads the unit directory from the district document in the node.
    pub(super) fn refresh_directory(&mut self, district: DocumentId) {
        let Some(am) = self.node.document(&district) else {
            return;
        };
        match Directory::from_district(district, am) {
            Ok(dir) => {
                tracing::debug!(units = dir.units.len(), "unit directory refreshed");
                self.policy.set_directory(dir);
            }
            Err(err) => {
                tracing::warn!(%err, "district document changed; its unit directory is unreadable")
            }
        }
    }

    /// Hands messages to the connections; returns those that are gone or too
    /// slow (dropped here; the node still has to hear of them).
    pub(super) fn dispatch(&mut self, outgoing: Vec<Effect>) -> Vec<ConnectionId> {
        let mut gone = Vec::new();
        for effect in outgoing {
            match effect {
                Effect::Send { conn, bytes } => {
                    let Some(handle) = self.conns.get(&conn) else {
                        continue;
                    };
                    log_refusal(conn, &handle.grant, &bytes, &self.metrics);
                    let len = bytes.len();
                    let queued = handle.queued.fetch_add(len, Ordering::Relaxed) + len;
                    let sent = if queued > self.settings.max_queued_bytes {
                        Err(mpsc::error::TrySendError::Full(Outgoing::Binary(bytes)))
                    } else {
                        handle.out.try_send(Outgoing::Binary(bytes))
                    };
                    match sent {
                        Ok(()) => {}
                        Err(mpsc::error::TrySendError::Full(_)) => {
                            tracing::warn!(%conn, "sync peer too slow; closing its connection");
                            if let Some(h) = self.conns.remove(&conn) {
                                h.kill.send_replace(Some((
                                    close_code::TRY_AGAIN_LATER,
                                    "too many unread messages".into(),
                                )));
                            }
                            gone.push(conn);
                        }
                        Err(mpsc::error::TrySendError::Closed(_)) => {
                            self.conns.remove(&conn);
                            gone.push(conn);
                        }
                    }
                }
                // The node already dropped the connection.
                Effect::Close { conn, reason } => {
                    if let Some(h) = self.conns.remove(&conn) {
                        let code = if reason.contains("connected again") {
                            close_code::NORMAL
                        } else {
                            close_code::POLICY
                        };
                        if h.out
                            .try_send(Outgoing::Close {
                                code,
                                reason: reason.clone(),
                            })
                            .is_err()
                        {
                            h.kill.send_replace(Some((code, reason)));
                        }
                    }
                }
                _ => {}
            }
        }
        gone
    }
}
