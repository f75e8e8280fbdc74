//! Carrying out the node's effects: storage ops (and loads) first, awaiting
//! each commit, then the messages (see "Durability" in the module docs of
//! [`super`]); a failed read resets the hub.

use std::collections::{BTreeSet, VecDeque};

use yanzhen_sync::{DocumentId, Effect, Event, StorageOp, SyncNode};

use super::hub::Hub;
use super::{close_code, now_ms};
use crate::storage::{join_key, prefix_key, split_key};

impl Hub {
    /// Carries out effects: storage (and loads) first, then the messages.
    ///
    /// When storage refuses writes (a full disk, say), only the documents
    /// whose saves failed are affected: no message about them leaves (so
    /// nothing unsaved is acknowledged), their writers get
    /// [`STORAGE_WRITE_FAILED`](super::STORAGE_WRITE_FAILED) and a close (1011) and keep their changes,
    /// the documents are reloaded from storage for everyone else, and every
    /// other document and connection carries on. The fault is reported
    /// ([`SyncHub::storage_fault`]) until a write succeeds again.
    pub(super) async fn execute(&mut self, fx: Vec<Effect>) {
        let mut fx = fx;
        loop {
            let mut queue: VecDeque<Effect> = fx.into();
            let mut outgoing = Vec::new();
            // Storage ops are written in order but together (runs of puts in
            // one transaction): one commit per batch instead of one per
            // change keeps a reconnect storm from queueing on SQLite.
            let mut writes = Vec::new();
            let mut failed = BTreeSet::new();
            let mut reloaded_districts = Vec::new();
            while let Some(effect) = queue.pop_front() {
                match effect {
                    Effect::Storage(op) => writes.push(op),
                    Effect::LoadDocument { doc } => {
                        // A load sees every write queued before it.
                        self.store_tracked(std::mem::take(&mut writes), &mut failed)
                            .await;
                        if self.policy.is_district_document(&doc) {
                            reloaded_districts.push(doc);
                        }
                        let loaded = self.load(doc).await;
                        match loaded {
                            Ok(chunks) => {
                                // Messages that waited for the load are
                                // applied now: the same checks as a batch's.
                                let fx = self
                                    .node
                                    .handle(now_ms(), Event::DocumentLoaded { doc, chunks });
                                let fx = self.refuse_unauthored(fx);
                                queue.extend(self.refuse_invalid(fx));
                            }
                            Err(err) => return self.reset(&err),
                        }
                    }
                    Effect::Send { .. } | Effect::Close { .. } => outgoing.push(effect),
                    Effect::PeerConnected {
                        conn,
                        peer_id,
                        metadata,
                    } => {
                        tracing::info!(%conn, %peer_id, storage_id = ?metadata.storage_id, "sync peer connected")
                    }
                    Effect::PeerDisconnected { conn, peer_id } => {
                        tracing::info!(%conn, %peer_id, "sync peer disconnected")
                    }
                    Effect::RemoteError { conn, message } => {
                        tracing::info!(%conn, %message, "sync peer reported an error")
                    }
                    Effect::DocumentChanged { doc, .. } => {
                        tracing::debug!(%doc, "document changed");
                        if self.policy.is_district_document(&doc) {
                            self.refresh_directory(doc);
                        }
                    }
                    Effect::DocumentUnavailable { .. } | Effect::Ephemeral { .. } => {}
                }
            }
            self.store_tracked(writes, &mut failed).await;
            let mut next = Vec::new();
            if !failed.is_empty() {
                outgoing = self.writes_failed(&failed, outgoing, &mut next);
            }
            for district in reloaded_districts.drain(..) {
                self.refresh_directory(district);
            }
            let gone = self.dispatch(outgoing);
            next.extend(
                gone.into_iter()
                    .flat_map(|conn| self.node.handle(now_ms(), Event::Disconnected { conn })),
            );
            if next.is_empty() {
                self.metrics
                    .documents_in_memory(self.node.documents().count());
                return;
            }
            fx = next;
        }
    }

    /// Writes `ops`; on failure records the fault and the documents whose
    /// saves did not all happen.
    async fn store_tracked(&mut self, ops: Vec<StorageOp>, failed: &mut BTreeSet<DocumentId>) {
        if ops.is_empty() {
            return;
        }
        let docs: BTreeSet<DocumentId> = ops
            .iter()
            .filter_map(|op| {
                let key = match op {
                    StorageOp::Put { key, .. } | StorageOp::Delete { key } => key,
                };
                key.first()?.parse().ok()
            })
            .collect();
        match self.store_all(ops).await {
            Ok(()) => {
                self.stored_here(&docs);
                if self.health.storage_fault().is_some() {
                    tracing::info!("sync storage accepts writes again");
                }
                self.health.storage_ok();
                self.metrics.documents_stored(docs.len());
            }
            Err(err) => {
                tracing::error!(%err, documents = docs.len(), "sync storage refused a write; those documents' changes are not acknowledged");
                self.health.storage_failed(err.to_string());
                failed.extend(docs);
            }
        }
    }

    /// Carries out storage ops in order: each run of puts in one
    /// transaction ([`Storage::put_all`](crate::storage::Storage::put_all)), deletes one by one.
    async fn store_all(&self, ops: Vec<StorageOp>) -> crate::Result<()> {
        let mut puts: Vec<(String, Vec<u8>)> = Vec::new();
        for op in ops {
            match op {
                StorageOp::Put { key, data } => puts.push((join_key(&key)?, data)),
                StorageOp::Delete { key } => {
                    self.put_run(&mut puts).await?;
                    self.storage.delete(&join_key(&key)?).await?;
                }
            }
        }
        self.put_run(&mut puts).await
    }

    async fn put_run(&self, puts: &mut Vec<(String, Vec<u8>)>) -> crate::Result<()> {
        match puts.len() {
            0 => Ok(()),
            1 => {
                let (key, data) = puts.remove(0);
                self.storage.put(&key, &data).await
            }
            _ => {
                let r = self.storage.put_all(puts).await;
                puts.clear();
                r
            }
        }
    }

    async fn load(&self, doc: DocumentId) -> crate::Result<Vec<(Vec<String>, Vec<u8>)>> {
        let entries = self
            .storage
            .list_prefix(&prefix_key(&[doc.to_string()])?)
            .await?;
        self.metrics.document_loaded();
        Ok(entries
            .into_iter()
            .map(|(key, value)| (split_key(&key), value))
            .collect())
    }

    /// After a storage error: close everything, start over from storage.
    fn reset(&mut self, err: &crate::Error) {
        tracing::error!(%err, "sync storage failed; closing all sync connections and reloading");
        for (_, h) in self.conns.drain() {
            h.kill.send_replace(Some((
                close_code::INTERNAL,
                "server storage failed; reconnect".into(),
            )));
        }
        for peer in self.bound.keys() {
            self.policy.unbind(peer);
        }
        self.bound.clear();
        self.joined.clear();
        self.node = SyncNode::with_policy(self.config.clone(), Box::new(self.policy.clone()));
    }
}
