//! Several server nodes on one PostgreSQL database.
//!
//! Every node keeps its own in-memory [`SyncNode`](yanzhen_sync::SyncNode);
//! the database is the only shared state. After a node stored new chunks of
//! documents it sends `NOTIFY` on [`CHANGES_CHANNEL`] (payload: the
//! storage id, the node id and document ids, never content); every node
//! `LISTEN`s, skips its own notices and, for a document it holds, reads the
//! chunks stored that it does not know yet and merges them into the
//! document in memory ([`SyncNode::merge_stored`](yanzhen_sync::SyncNode::merge_stored)),
//! so its node syncs them to its tablets. What is merged is stored already:
//! the durability rule holds.
//!
//! Notices are only hints, so losing one loses nothing but time: when the
//! listening connection is lost and made again, every document in memory
//! is checked against storage; and every [`RESYNC_TICKS`] ticks anyway,
//! those stored to since the last such check (one query over the chunks'
//! times, with a margin for the nodes' clocks). A revocation
//! ([`crate::AuthStore::revoke`]) sends `NOTIFY` on [`REVOKED_CHANNEL`];
//! every node then checks its connected devices against the database at
//! once (besides its periodic check).
//!
//! The design, its failure modes and what the tests measured are in
//! ARCHITECTURE.md, "Several server nodes on one PostgreSQL".
//!
//! On SQLite (one node) none of this runs.
//!
//! Long file: the several-nodes mechanism (notifier, listener, periodic
//! check) in one place, as ARCHITECTURE.md describes it; tests beside it.

use std::{collections::BTreeSet, sync::Arc, time::Duration};

use sqlx::postgres::{PgListener, PgPool};
use tokio::{sync::mpsc, task::JoinHandle};
use yanzhen_sync::{DocStatus, DocumentId, storage::chunk_kind};

use super::handle::Command;
use super::hub::Hub;
use crate::storage::{Storage, join_key, prefix_key, split_key};

/// The channel of "documents changed" notices.
pub const CHANGES_CHANNEL: &str = "yanzhen_changes";

/// The channel of "a device was revoked" notices.
pub const REVOKED_CHANNEL: &str = "yanzhen_revoked";

/// Every this many hub ticks, the documents in memory that any node stored
/// chunks of since the last such check are checked against storage, notice
/// or not (a notice lost with a node killed between its commit and its
/// `NOTIFY`, or a silently broken listening connection).
pub const RESYNC_TICKS: u64 = 15;

/// The periodic check looks this much further back than its last run
/// (chunk times are the writing node's clock; nodes' clocks may differ).
const CLOCK_MARGIN_MS: i64 = 60_000;

/// Longest node id (`--node-id`).
pub const MAX_NODE_ID: usize = 64;

/// Bytes of one notice's payload at most (PostgreSQL's limit is 8000).
const MAX_PAYLOAD: usize = 7000;

/// Documents waiting to be announced; more are dropped (the periodic
/// check finds them).
const NOTIFY_QUEUE: usize = 4096;

/// A node id made at start when none is given: the host name and the
/// process id.
pub fn default_node_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| check_node_id(h).is_ok())
        .unwrap_or_else(|| "node".to_owned());
    let id = format!("{host}-{}", std::process::id());
    id.chars().take(MAX_NODE_ID).collect()
}

/// A node id is 1 to [`MAX_NODE_ID`] characters of `A-Za-z0-9._-`.
pub fn check_node_id(id: &str) -> Result<(), String> {
    if id.is_empty() || id.len() > MAX_NODE_ID {
        return Err(format!("a node id has 1 to {MAX_NODE_ID} characters"));
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err("a node id has only the characters A-Z a-z 0-9 . _ -".to_owned());
    }
    Ok(())
}

/// Tells every node on the database to check its connected devices for
/// revocation now. The payload (the device id) is a hint only: nodes ask
/// the database.
pub async fn notify_revoked(pool: &PgPool, device_id: &str) -> crate::Result<()> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(REVOKED_CHANNEL)
        .bind(device_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Who we are on the channel.
struct Me {
    storage_id: String,
    node_id: String,
    /// `node_id#instance`, the instance random per process: what our
    /// notices are signed with, so that two nodes given the same node id
    /// still hear each other (and say so).
    sender: String,
    /// Whether the "same node id" warning was logged.
    warned: std::sync::atomic::AtomicBool,
}

impl Me {
    fn new(storage_id: String, node_id: String) -> Self {
        let instance = uuid::Uuid::new_v4().simple().to_string();
        Self {
            storage_id,
            sender: format!("{node_id}#{}", &instance[..8]),
            node_id,
            warned: std::sync::atomic::AtomicBool::new(false),
        }
    }
}

/// `storage_id node_id#instance doc doc …` payloads of at most
/// [`MAX_PAYLOAD`] bytes.
fn payloads(me: &Me, docs: &BTreeSet<DocumentId>) -> Vec<String> {
    let head = format!("{} {}", me.storage_id, me.sender);
    let mut out = Vec::new();
    let mut p = head.clone();
    for doc in docs {
        let d = doc.to_string();
        if p.len() + 1 + d.len() > MAX_PAYLOAD && p.len() > head.len() {
            out.push(std::mem::replace(&mut p, head.clone()));
        }
        p.push(' ');
        p.push_str(&d);
    }
    if p.len() > head.len() {
        out.push(p);
    }
    out
}

/// The documents of a notice from another node of our storage; `None` for
/// our own notices, other storages' (another deployment in another schema
/// of the same database) and anything unreadable.
fn parse_payload(me: &Me, payload: &str) -> Option<Vec<DocumentId>> {
    let mut parts = payload.split(' ');
    if parts.next()? != me.storage_id {
        return None;
    }
    let sender = parts.next()?;
    if sender == me.sender {
        return None;
    }
    if sender.split('#').next() == Some(me.node_id.as_str())
        && !me.warned.swap(true, std::sync::atomic::Ordering::Relaxed)
    {
        tracing::warn!(node_id = %me.node_id, other = %sender, "another server node uses this node id; give each its own --node-id");
    }
    Some(parts.filter_map(|d| d.parse().ok()).collect())
}

/// The hub's link to the other nodes: its notice sender, the listener and
/// what other nodes changed since the last merge.
pub(super) struct Nodes {
    notify: mpsc::Sender<DocumentId>,
    /// Documents other nodes said they stored chunks of.
    changed: BTreeSet<DocumentId>,
    /// Check every document in memory (listener reconnected).
    all: bool,
    /// Check the documents in memory stored to since `checked_at` (periodic).
    recent: bool,
    /// When the last periodic check started (ms since the epoch).
    checked_at: i64,
    pool: PgPool,
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for Nodes {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

impl Nodes {
    /// Starts the listener (its notices go to the hub as commands) and the
    /// notice sender.
    pub(super) fn start(
        pool: PgPool,
        storage_id: String,
        node_id: String,
        commands: &mpsc::Sender<Command>,
    ) -> Self {
        let me = Arc::new(Me::new(storage_id, node_id));
        let (notify, rx) = mpsc::channel(NOTIFY_QUEUE);
        let tasks = vec![
            tokio::spawn(listen(pool.clone(), me.clone(), commands.downgrade())),
            tokio::spawn(announce(pool.clone(), me, rx)),
        ];
        Self {
            notify,
            changed: BTreeSet::new(),
            all: true,
            recent: false,
            checked_at: crate::auth::now_ms(),
            pool,
            tasks,
        }
    }
}

/// Sends a notice for every batch of documents stored (coalesced while the
/// previous notice is being sent).
async fn announce(pool: PgPool, me: Arc<Me>, mut rx: mpsc::Receiver<DocumentId>) {
    while let Some(first) = rx.recv().await {
        let mut docs = BTreeSet::from([first]);
        while let Ok(d) = rx.try_recv() {
            docs.insert(d);
        }
        for payload in payloads(&me, &docs) {
            let sent = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANGES_CHANNEL)
                .bind(&payload)
                .execute(&pool)
                .await;
            if let Err(err) = sent {
                if matches!(err, sqlx::Error::PoolClosed) {
                    return;
                }
                tracing::warn!(%err, "cannot notify the other server nodes; they find the changes at their next check");
            }
        }
    }
}

/// How long one attempt to listen may take: the pool's own retries back
/// off up to seconds while the database is down; cut short, the next
/// attempt starts again at once, so the listener is back soon after the
/// database.
const SUBSCRIBE_TIMEOUT: Duration = Duration::from_secs(1);

async fn subscribe(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let attempt = async {
        let mut listener = PgListener::connect_with(pool).await?;
        // A lost connection ends `try_recv` at once (`Ok(None)`); the
        // caller listens again through this bounded attempt.
        listener.eager_reconnect(false);
        listener
            .listen_all([CHANGES_CHANNEL, REVOKED_CHANNEL])
            .await?;
        Ok(listener)
    };
    tokio::time::timeout(SUBSCRIBE_TIMEOUT, attempt)
        .await
        .unwrap_or(Err(sqlx::Error::PoolTimedOut))
}

/// Listens for the other nodes' notices (reconnecting when the connection
/// is lost) and hands them to the hub. After every (re)connection every
/// document in memory is checked: notices sent meanwhile are lost.
async fn listen(pool: PgPool, me: Arc<Me>, commands: mpsc::WeakSender<Command>) {
    let send = |cmd: Command| {
        let commands = commands.clone();
        async move {
            match commands.upgrade() {
                Some(c) => c.send(cmd).await.is_ok(),
                None => false,
            }
        }
    };
    loop {
        let mut listener = match subscribe(&pool).await {
            Ok(l) => l,
            Err(sqlx::Error::PoolClosed) => return,
            Err(err) => {
                tracing::warn!(%err, "cannot listen for the other server nodes' changes; retrying");
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            }
        };
        tracing::info!(
            channel = CHANGES_CHANNEL,
            "listening for the other server nodes' changes; checking every document"
        );
        if !send(Command::StoredElsewhere { docs: None }).await
            || !send(Command::CheckRevocations).await
        {
            return;
        }
        loop {
            match listener.try_recv().await {
                Ok(Some(n)) => {
                    let cmd = if n.channel() == REVOKED_CHANNEL {
                        Command::CheckRevocations
                    } else {
                        match parse_payload(&me, n.payload()) {
                            Some(docs) if !docs.is_empty() => {
                                Command::StoredElsewhere { docs: Some(docs) }
                            }
                            _ => continue,
                        }
                    };
                    if !send(cmd).await {
                        return;
                    }
                }
                // Lost (no eager reconnection, see `subscribe`): listen
                // again, which checks every document.
                Ok(None) => {
                    tracing::warn!("the listening connection was lost; listening again");
                    break;
                }
                Err(sqlx::Error::PoolClosed) => return,
                Err(err) => {
                    tracing::warn!(%err, "the listening connection failed; listening again");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    break;
                }
            }
        }
    }
}

impl Hub {
    /// Starts talking to the other nodes when the hub is on PostgreSQL.
    pub(super) fn join_nodes(&mut self, commands: &mpsc::Sender<Command>) {
        let Some(crate::storage::Db::Postgres(pool)) = self.auth.as_ref().map(|a| a.db().clone())
        else {
            return;
        };
        tracing::info!(node_id = %self.settings.node_id, "server node on PostgreSQL: sharing changes with the other nodes");
        self.nodes = Some(Nodes::start(
            pool,
            self.storage.storage_id().to_owned(),
            self.settings.node_id.clone(),
            commands,
        ));
    }

    /// Another node stored chunks of `docs` (`None`: maybe of any).
    pub(super) fn stored_elsewhere(&mut self, docs: Option<Vec<DocumentId>>) {
        let Some(nodes) = &mut self.nodes else {
            return;
        };
        match docs {
            Some(docs) => nodes.changed.extend(docs),
            None => nodes.all = true,
        }
    }

    /// A tick: now and then, check the documents stored to lately.
    pub(super) fn nodes_tick(&mut self) {
        if let Some(nodes) = &mut self.nodes
            && self.ticks.is_multiple_of(RESYNC_TICKS)
        {
            nodes.recent = true;
        }
    }

    /// This node stored chunks of `docs`: tell the others.
    pub(super) fn stored_here(&self, docs: &BTreeSet<DocumentId>) {
        if let Some(nodes) = &self.nodes {
            for d in docs {
                // A full queue drops the notice: the periodic check finds it.
                let _ = nodes.notify.try_send(*d);
            }
        }
    }

    /// After a batch: merges what other nodes stored of the documents in
    /// memory they changed, and syncs it to their peers.
    pub(super) async fn merge_stored_elsewhere(&mut self) {
        let Some(nodes) = &mut self.nodes else {
            return;
        };
        if std::mem::take(&mut nodes.recent) && !nodes.all {
            let now = crate::auth::now_ms();
            match stored_since(&nodes.pool, nodes.checked_at - CLOCK_MARGIN_MS).await {
                Ok(docs) => {
                    nodes.checked_at = now;
                    nodes.changed.extend(
                        docs.into_iter()
                            .filter(|d| self.node.status(d) == Some(DocStatus::Ready)),
                    );
                }
                Err(err) => {
                    tracing::warn!(%err, "cannot check what the other nodes stored lately");
                }
            }
        }
        if nodes.changed.is_empty() && !nodes.all {
            return;
        }
        let docs: Vec<DocumentId> = if std::mem::take(&mut nodes.all) {
            nodes.changed.clear();
            self.node.documents().copied().collect()
        } else {
            std::mem::take(&mut nodes.changed).into_iter().collect()
        };
        let mut fx = Vec::new();
        for doc in docs {
            let Some(known) = self.node.stored_chunk_keys(&doc) else {
                continue;
            };
            match unknown_chunks(&*self.storage, doc, &known).await {
                Ok(chunks) if chunks.is_empty() => {}
                Ok(chunks) => {
                    tracing::debug!(%doc, chunks = chunks.len(), "merging chunks another node stored");
                    let (more, result) = self.node.merge_stored(doc, chunks);
                    fx.extend(more);
                    if let Err(err) = result {
                        tracing::warn!(%doc, %err, "a chunk another node stored does not load");
                    }
                }
                Err(err) => {
                    tracing::warn!(%doc, %err, "cannot read what another node stored; trying again later");
                    if let Some(nodes) = &mut self.nodes {
                        nodes.changed.insert(doc);
                    }
                }
            }
        }
        if !fx.is_empty() {
            self.execute(fx).await;
        }
    }
}

/// The documents with a chunk stored (by any node, after its clock) since
/// `since` (ms since the epoch): one scan of the keys and times, no values.
async fn stored_since(pool: &PgPool, since: i64) -> crate::Result<BTreeSet<DocumentId>> {
    let docs: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT substr(key, 1, strpos(key, '/') - 1) FROM documents
         WHERE updated_at > $1 AND strpos(key, '/') > 1",
    )
    .bind(since)
    .fetch_all(pool)
    .await?;
    Ok(docs.iter().filter_map(|d| d.parse().ok()).collect())
}

/// The chunks of `doc` in `storage` whose keys are not in `known` (what
/// other writers stored since).
pub(crate) async fn unknown_chunks(
    storage: &dyn Storage,
    doc: DocumentId,
    known: &[Vec<String>],
) -> crate::Result<Vec<(Vec<String>, Vec<u8>)>> {
    let known: BTreeSet<String> = known.iter().filter_map(|k| join_key(k).ok()).collect();
    let prefix = prefix_key(&[doc.to_string()])?;
    let keys: Vec<String> = storage
        .list_keys(&prefix)
        .await?
        .into_iter()
        .filter(|k| !known.contains(k) && chunk_kind(&split_key(k)).is_some())
        .collect();
    let mut out = Vec::with_capacity(keys.len());
    for key in keys {
        match storage.get(&key).await? {
            Some(value) => out.push((split_key(&key), value)),
            // Compacted away since the listing (a snapshot covering it
            // was stored first): read everything unknown at once.
            None => {
                return Ok(storage
                    .list_prefix(&prefix)
                    .await?
                    .into_iter()
                    .filter(|(k, _)| !known.contains(k))
                    .map(|(k, v)| (split_key(&k), v))
                    .filter(|(k, _)| chunk_kind(k).is_some())
                    .collect());
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me(node: &str) -> Me {
        Me::new("s-1".into(), node.into())
    }

    #[test]
    fn payloads_stay_under_the_limit_and_parse_back() {
        let docs: BTreeSet<DocumentId> = (0..600u32)
            .map(|i| {
                let mut b = [0u8; 16];
                b[..4].copy_from_slice(&i.to_le_bytes());
                DocumentId::from_bytes(b)
            })
            .collect();
        let a = me("a");
        let ps = payloads(&a, &docs);
        assert!(ps.len() > 1);
        let mut back = BTreeSet::new();
        for p in &ps {
            assert!(p.len() <= MAX_PAYLOAD, "{}", p.len());
            // Our own notices are skipped; another node reads them.
            assert_eq!(parse_payload(&a, p), None);
            back.extend(parse_payload(&me("b"), p).unwrap());
        }
        assert_eq!(back, docs);
        // Another storage's notices (another schema) are not ours.
        let other = Me::new("s-2".into(), "b".into());
        assert_eq!(parse_payload(&other, &ps[0]), None);
        // Another process with our node id is heard (and warned about).
        let twin = me("a");
        assert_eq!(
            parse_payload(&twin, &ps[0]).map(|d| d.len()),
            Some(parse_payload(&me("b"), &ps[0]).unwrap().len())
        );
        assert!(twin.warned.load(std::sync::atomic::Ordering::Relaxed));
    }

    mod concurrent_compaction {
        use std::sync::Arc;

        use automerge::{Automerge, ROOT, ReadDoc as _, transaction::Transactable as _};
        use yanzhen_sync::DocumentId;
        use yanzhen_sync::storage::{
            ChunkInfo, DocStorage, StorageOp, chunk_kind, key_hash, load_document,
        };

        use super::super::unknown_chunks;
        use crate::storage::{PgStorage, Storage, join_key, prefix_key, split_key};

        const ROUNDS: usize = 40;

        /// One server node's copy of the document: what it has in memory
        /// and what it knows is stored, on its own pool.
        struct Replica {
            name: &'static str,
            am: Automerge,
            ds: DocStorage,
            storage: Arc<dyn Storage>,
            compacts: bool,
            saves: usize,
        }

        /// Carries out ops as the hub does: runs of puts in one
        /// transaction, then deletes one by one (other nodes run in
        /// between).
        async fn apply(storage: &dyn Storage, ops: Vec<StorageOp>) {
            let mut puts = Vec::new();
            for op in ops {
                match op {
                    StorageOp::Put { key, data } => puts.push((join_key(&key).unwrap(), data)),
                    StorageOp::Delete { key } => {
                        if !puts.is_empty() {
                            storage.put_all(&std::mem::take(&mut puts)).await.unwrap();
                        }
                        tokio::task::yield_now().await;
                        storage.delete(&join_key(&key).unwrap()).await.unwrap();
                    }
                }
            }
            if !puts.is_empty() {
                storage.put_all(&puts).await.unwrap();
            }
        }

        /// What the hub does on a notice: merge the chunks it does not
        /// know (as `SyncNode::merge_stored`).
        async fn merge(r: &mut Replica, doc: DocumentId) {
            let known: Vec<Vec<String>> = r.ds.chunks().iter().map(|c| c.key.clone()).collect();
            let chunks = unknown_chunks(&*r.storage, doc, &known).await.unwrap();
            let clean = !r.ds.needs_save(&r.am);
            let mut merged = Vec::new();
            for (key, data) in chunks {
                r.am.load_incremental(&data).unwrap();
                merged.push(ChunkInfo {
                    kind: chunk_kind(&key).unwrap(),
                    size: data.len(),
                    key,
                });
            }
            let heads = r.am.get_heads();
            r.ds.note_merged(merged, clean.then_some(heads));
        }

        async fn run(mut r: Replica, doc: DocumentId) -> Replica {
            for i in 0..ROUNDS {
                merge(&mut r, doc).await;
                let mut tx = r.am.transaction();
                tx.put(
                    ROOT,
                    format!("{}-{i}", r.name),
                    key_hash(format!("{}{i}", r.name).as_bytes()),
                )
                .unwrap();
                tx.commit();
                let ops = if r.compacts {
                    r.ds.plan_compaction(&doc, &r.am)
                } else {
                    r.ds.plan_save(&doc, &r.am)
                };
                r.saves += 1;
                apply(&*r.storage, ops).await;
            }
            r
        }

        async fn stored(storage: &dyn Storage, doc: DocumentId) -> (Automerge, usize) {
            let entries = storage
                .list_prefix(&prefix_key(&[doc.to_string()]).unwrap())
                .await
                .unwrap();
            let n = entries.len();
            let chunks = entries.into_iter().map(|(k, v)| (split_key(&k), v));
            (load_document(chunks).unwrap().unwrap().0, n)
        }

        /// Two nodes compact the same document after every change (a
        /// snapshot, then deletes of the chunks they know) while a third
        /// writes incrementals, all at once on one PostgreSQL database,
        /// each merging what the others stored before its next change.
        /// Nothing is lost: the stored document and every replica hold
        /// every change; the compactions did delete chunks.
        #[tokio::test(flavor = "multi_thread", worker_threads = 3)]
        async fn two_nodes_compacting_while_a_third_writes_lose_nothing() {
            let url = yanzhen_pgtest::database();
            let doc = DocumentId::from_bytes([0xC0; 16]);
            let mut replicas = Vec::new();
            for (name, compacts) in [("writer", false), ("c1", true), ("c2", true)] {
                replicas.push(Replica {
                    name,
                    am: Automerge::new(),
                    ds: DocStorage::new(),
                    storage: Arc::new(PgStorage::open(&url).await.unwrap()),
                    compacts,
                    saves: 0,
                });
            }
            // Genesis, stored by the writer; the others load it.
            {
                let w = &mut replicas[0];
                let mut tx = w.am.transaction();
                tx.put(ROOT, "genesis", true).unwrap();
                tx.commit();
                let ops = w.ds.plan_save(&doc, &w.am);
                apply(&*w.storage, ops).await;
            }
            for r in &mut replicas[1..] {
                merge(r, doc).await;
                assert!(r.am.get(ROOT, "genesis").unwrap().is_some(), "{}", r.name);
            }
            let mut tasks = Vec::new();
            for r in replicas {
                tasks.push(tokio::spawn(run(r, doc)));
            }
            let mut replicas = Vec::new();
            for t in tasks {
                replicas.push(t.await.unwrap());
            }
            let (am, chunks_left) = stored(&*replicas[0].storage, doc).await;
            let expect = |am: &Automerge, who: &str| {
                assert_eq!(am.get_changes(&[]).len(), 1 + 3 * ROUNDS, "{who}");
                for name in ["writer", "c1", "c2"] {
                    for i in 0..ROUNDS {
                        assert!(
                            am.get(ROOT, format!("{name}-{i}")).unwrap().is_some(),
                            "{who}: {name}-{i} lost"
                        );
                    }
                }
            };
            expect(&am, "storage");
            for r in &mut replicas {
                merge(r, doc).await;
                expect(&r.am, r.name);
            }
            let saves: usize = replicas.iter().map(|r| r.saves).sum();
            eprintln!("{saves} saves, {chunks_left} chunks left");
            assert!(
                chunks_left < saves / 4,
                "{chunks_left} chunks of {saves} saves"
            );
        }
    }

    #[test]
    fn node_ids_are_checked() {
        assert!(check_node_id("node-a.1_x").is_ok());
        assert!(check_node_id("").is_err());
        assert!(check_node_id("a b").is_err());
        assert!(check_node_id(&"x".repeat(MAX_NODE_ID + 1)).is_err());
        assert!(check_node_id(&default_node_id()).is_ok());
    }
}
