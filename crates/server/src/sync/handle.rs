//! The [`SyncHub`] handle: starting the hub task, the commands it sends
//! it, a device's connection slots, the stored heads, revocation and
//! shutdown.

use std::{
    collections::{BTreeMap, HashMap},
    sync::{
        Arc,
        atomic::{AtomicU64, AtomicUsize},
    },
};

use tokio::sync::{mpsc, watch};
use yanzhen_sync::{ConnectionId, DocumentId, PeerId};

use super::SyncSettings;
use super::connection::{Held, Kill, Outgoing, inflight_kib};
use super::hub::Hub;
use crate::{
    auth::AuthStore,
    health::Health,
    metrics::Metrics,
    policy::{City, Directory, Grant, ServerPolicy},
    storage::{Storage, prefix_key, split_key},
};

/// What the hub task receives.
pub(super) enum Command {
    Connected {
        conn: ConnectionId,
        out: mpsc::Sender<Outgoing>,
        kill: watch::Sender<Kill>,
        grant: Grant,
        queued: Arc<AtomicUsize>,
    },
    Revoke {
        device_id: String,
    },
    Received {
        conn: ConnectionId,
        bytes: Vec<u8>,
        /// The message's share of the in-flight budgets, given back when
        /// the hub has handled it.
        _held: Held,
    },
    Disconnected {
        conn: ConnectionId,
    },
    Tick,
    Shutdown,
    /// Another server node stored chunks of these documents (`None`: of
    /// any, maybe) ([`super::nodes`]).
    StoredElsewhere {
        docs: Option<Vec<DocumentId>>,
    },
    /// A device was revoked somewhere: check the connected ones now.
    CheckRevocations,
    /// Read the districts again (one was created); answered when the
    /// policy has them.
    ReloadCity {
        reply: tokio::sync::oneshot::Sender<()>,
    },
    /// The heads of these documents, answered once the batch's writes are
    /// committed ([`SyncHub::stored_heads`]).
    Heads {
        docs: Vec<DocumentId>,
        reply: tokio::sync::oneshot::Sender<HeadsAnswer>,
    },
}

/// Heads by document, of the documents the hub holds.
pub type HeadsAnswer = BTreeMap<DocumentId, Vec<automerge::ChangeHash>>;

pub(super) struct Shared {
    pub(super) commands: mpsc::Sender<Command>,
    pub(super) next_conn: AtomicU64,
    pub(super) settings: SyncSettings,
    pub(super) peer_id: PeerId,
    /// `true` once shutdown began; connection tasks hold receivers, so
    /// `closed()` tells when every socket is gone.
    pub(super) shutting_down: Arc<watch::Sender<bool>>,
    /// Becomes `true` when the hub task finished.
    pub(super) finished: watch::Receiver<bool>,
    pub(super) policy: ServerPolicy,
    /// Becomes `true` once the unit directory was read from storage.
    pub(super) directory_loaded: watch::Receiver<bool>,
    /// Open sync connections per device id.
    pub(super) per_device: std::sync::Mutex<HashMap<String, usize>>,
    /// Bytes (KiB) of received messages the hub has not handled yet.
    pub(super) inflight: Arc<tokio::sync::Semaphore>,
    /// Connections, messages and bytes are counted here.
    pub(super) metrics: Metrics,
}

/// One of a device's connection slots, given back when dropped.
pub struct ConnectionSlot {
    shared: Arc<Shared>,
    device_id: String,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut map = self
            .shared
            .per_device
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(n) = map.get_mut(&self.device_id) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.device_id);
            }
        }
    }
}

/// Handle to the sync hub (the task owning the [`SyncNode`]). Cheap to clone.
#[derive(Clone)]
pub struct SyncHub {
    pub(super) shared: Arc<Shared>,
}

impl std::fmt::Debug for SyncHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncHub")
            .field("peer_id", &self.shared.peer_id)
            .field("settings", &self.shared.settings)
            .finish_non_exhaustive()
    }
}

impl SyncHub {
    /// Starts the hub task over `storage`, asking a [`ServerPolicy`] about
    /// every document (its directory loaded from storage first) and checking
    /// connected devices against `auth` for revocations. Needs a tokio
    /// runtime.
    /// Storage write failures are reported to `health` (and cleared by
    /// the next write that succeeds), so `/healthz` tells the fault.
    pub fn start(
        storage: Arc<dyn Storage>,
        settings: SyncSettings,
        auth: AuthStore,
        health: Health,
    ) -> Self {
        let metrics = Metrics::new(&crate::logging::default_node_id());
        Self::start_with_metrics(storage, settings, auth, health, metrics)
    }

    /// [`SyncHub::start`], counting connections, messages, refusals and
    /// document loads and saves in `metrics`.
    pub fn start_with_metrics(
        storage: Arc<dyn Storage>,
        settings: SyncSettings,
        auth: AuthStore,
        health: Health,
        metrics: Metrics,
    ) -> Self {
        let policy = ServerPolicy::default();
        let (commands, rx) = mpsc::channel(1024);
        let (finished_tx, finished) = watch::channel(false);
        let (loaded_tx, directory_loaded) = watch::channel(false);
        let mut hub = Hub::new(
            storage,
            settings.clone(),
            policy.clone(),
            health,
            metrics.clone(),
        );
        hub.auth = Some(auth);
        hub.directory_loaded = Some(loaded_tx);
        let shared = Arc::new(Shared {
            commands: commands.clone(),
            next_conn: AtomicU64::new(1),
            settings: settings.clone(),
            peer_id: hub.config.peer_id.clone(),
            shutting_down: Arc::clone(&hub.shutting_down),
            finished,
            policy: policy.clone(),
            directory_loaded,
            per_device: std::sync::Mutex::new(HashMap::new()),
            inflight: Arc::new(tokio::sync::Semaphore::new(
                inflight_kib(&settings).0 as usize,
            )),
            metrics,
        });
        hub.join_nodes(&commands);
        tokio::spawn(async move {
            hub.run(rx, commands).await;
            let _ = finished_tx.send(true);
        });
        Self { shared }
    }

    /// The city (every district with its unit directory), once the hub has
    /// read it from storage (right after start).
    pub async fn city(&self) -> City {
        let mut loaded = self.shared.directory_loaded.clone();
        // An error means the hub is gone: the policy's city is all there is.
        let _ = loaded.wait_for(|done| *done).await;
        self.shared.policy.city()
    }

    /// The unit directory of the only district (an empty one when there
    /// are none or several): for a deployment of one district.
    pub async fn directory(&self) -> Directory {
        self.city()
            .await
            .only_district()
            .map(|d| d.directory.clone())
            .unwrap_or_default()
    }

    /// Makes sure the policy knows district `district` (a device of a
    /// district created through another server node or the CLI since this
    /// node read the districts): reads the districts again if not.
    pub async fn ensure_district(&self, district: Option<&str>) {
        let Some(id) = district else {
            return;
        };
        let mut loaded = self.shared.directory_loaded.clone();
        let _ = loaded.wait_for(|done| *done).await;
        if !self.shared.policy.has_district(id) {
            self.reload_city().await;
        }
    }

    /// Reads the districts again (one was created, possibly on another
    /// node) and waits until the policy has them.
    pub async fn reload_city(&self) {
        let (tx, rx) = tokio::sync::oneshot::channel();
        if self
            .shared
            .commands
            .send(Command::ReloadCity { reply: tx })
            .await
            .is_ok()
        {
            let _ = rx.await;
        }
    }

    /// The heads of `docs` as the server has them durably stored: from the
    /// node, for the documents it holds, after the writes of the batch in
    /// which the question is handled; for the others, read from `storage`.
    /// Documents the server does not have (or that are empty) are left out.
    pub async fn stored_heads(
        &self,
        storage: &dyn Storage,
        docs: &[DocumentId],
    ) -> crate::Result<HeadsAnswer> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let cmd = Command::Heads {
            docs: docs.to_vec(),
            reply,
        };
        let mut found = if self.shared.commands.send(cmd).await.is_ok() {
            answer.await.unwrap_or_default()
        } else {
            HeadsAnswer::new()
        };
        for doc in docs {
            if found.contains_key(doc) {
                continue;
            }
            let chunks: Vec<_> = storage
                .list_prefix(&prefix_key(&[doc.to_string()])?)
                .await?
                .into_iter()
                .map(|(key, value)| (split_key(&key), value))
                .collect();
            let loaded = yanzhen_sync::storage::load_document(chunks)
                .map_err(|e| crate::Error::StoredDocument(format!("{doc}: {e}")))?;
            if let Some((am, _)) = loaded {
                let heads = am.get_heads();
                if !heads.is_empty() {
                    found.insert(*doc, heads);
                }
            }
        }
        Ok(found)
    }

    /// The access policy the node asks (and its directory).
    pub fn policy(&self) -> &ServerPolicy {
        &self.shared.policy
    }

    /// Disconnects every connection of `device_id` at once, with a protocol
    /// `error` saying [`REVOKED`](super::REVOKED).
    pub async fn revoke_device(&self, device_id: &str) {
        let _ = self
            .shared
            .commands
            .send(Command::Revoke {
                device_id: device_id.to_owned(),
            })
            .await;
    }

    /// Takes one of `device_id`'s connection slots; `None` when the device
    /// already holds [`SyncSettings::max_connections_per_device`].
    pub fn connection_slot(&self, device_id: &str) -> Option<ConnectionSlot> {
        let max = self.shared.settings.max_connections_per_device;
        let mut map = self
            .shared
            .per_device
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let n = map.entry(device_id.to_owned()).or_insert(0);
        if max != 0 && *n >= max {
            return None;
        }
        *n += 1;
        Some(ConnectionSlot {
            shared: Arc::clone(&self.shared),
            device_id: device_id.to_owned(),
        })
    }

    /// Open sync connections of `device_id`.
    pub fn connections_of(&self, device_id: &str) -> usize {
        self.shared
            .per_device
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(device_id)
            .copied()
            .unwrap_or(0)
    }

    /// The settings the hub runs with.
    pub fn settings(&self) -> &SyncSettings {
        &self.shared.settings
    }

    /// The server's peer id on the wire.
    pub fn peer_id(&self) -> &PeerId {
        &self.shared.peer_id
    }

    /// Whether shutdown began (new connections are refused).
    pub fn is_shutting_down(&self) -> bool {
        *self.shared.shutting_down.borrow() || *self.shared.finished.borrow()
    }

    /// Flushes pending saves, closes every connection and stops the hub;
    /// returns when it stopped. Idempotent.
    pub async fn shutdown(&self) {
        let _ = self.shared.commands.send(Command::Shutdown).await;
        let mut finished = self.shared.finished.clone();
        let _ = finished.wait_for(|done| *done).await;
    }
}
