//! Refusing a batch's changes to a document: the schema check (the
//! document must still read as the model's type), the authorship check
//! (every change names the device that delivered it) and failed writes.
//! A refused document's saves and messages are dropped, its writers are
//! told and closed, and it is reloaded from storage.

use std::collections::BTreeSet;

use yanzhen_sync::{Applied, ConnectionId, DocumentId, Effect, Event, Message, StorageOp};

use super::hub::Hub;
use super::{AUTHORSHIP_REFUSED, SCHEMA_INVALID, STORAGE_WRITE_FAILED, close_code, now_ms};

/// `fx` without the saves and change notices of `docs`.
fn drop_saves(fx: Vec<Effect>, docs: &BTreeSet<DocumentId>) -> Vec<Effect> {
    let of_docs = |key: &[String]| {
        key.first()
            .and_then(|k| k.parse::<DocumentId>().ok())
            .is_some_and(|d| docs.contains(&d))
    };
    fx.into_iter()
        .filter(|e| match e {
            Effect::Storage(StorageOp::Put { key, .. } | StorageOp::Delete { key }) => {
                !of_docs(key)
            }
            Effect::DocumentChanged { doc, .. } => !docs.contains(doc),
            _ => true,
        })
        .collect()
}

/// `outgoing` without the messages about `docs`.
fn drop_messages(outgoing: Vec<Effect>, docs: &BTreeSet<DocumentId>) -> Vec<Effect> {
    outgoing
        .into_iter()
        .filter(|e| match e {
            Effect::Send { bytes, .. } => {
                Message::peek_document_id(bytes).is_none_or(|d| !docs.contains(&d))
            }
            _ => true,
        })
        .collect()
}

impl Hub {
    /// The schema check: every district or unit document that changed in
    /// this batch must still read as the model's type. One that does not is
    /// refused as a whole: its saves and every message about it are
    /// dropped, its writers get [`SCHEMA_INVALID`] and a close (1008), and
    /// it is reloaded from storage (the last good state) for its readers.
    pub(super) fn refuse_invalid(&mut self, fx: Vec<Effect>) -> Vec<Effect> {
        let changed: BTreeSet<DocumentId> = fx
            .iter()
            .filter_map(|e| match e {
                Effect::DocumentChanged { doc, .. } => Some(*doc),
                _ => None,
            })
            .collect();
        let invalid: BTreeSet<DocumentId> = changed
            .into_iter()
            .filter(|doc| match self.schema_error(doc) {
                Some(err) => {
                    tracing::warn!(%doc, %err, "changes refused: the document would no longer read as the model's type");
                    true
                }
                None => false,
            })
            .collect();
        if invalid.is_empty() {
            return fx;
        }
        let fx = drop_saves(fx, &invalid);
        let mut next = Vec::new();
        let mut fx =
            self.refuse_documents(&invalid, fx, &mut next, SCHEMA_INVALID, close_code::POLICY);
        fx.extend(next);
        fx
    }

    /// The authorship check (issue 14): every change new to the district or
    /// a unit document must name the device that delivered it — its change
    /// message's `d` the device's server id, `r` its role name — or be a
    /// schema migration the server reproduces
    /// ([`yanzhen_model::authorship::check_change`]). Only the changes the
    /// node applied since the last check are looked at
    /// ([`SyncNode::take_applied`](yanzhen_sync::SyncNode::take_applied)). A document with a change that fails is
    /// refused like a schema violation: its saves and messages are dropped
    /// and it is reloaded from storage; the connections that delivered the
    /// failing changes get [`AUTHORSHIP_REFUSED`] and a close (1008). Other
    /// connections whose changes to it were dropped with it are closed with
    /// 1013 (no error: they did nothing wrong) so that they reconnect and
    /// send them again.
    pub(super) fn refuse_unauthored(&mut self, fx: Vec<Effect>) -> Vec<Effect> {
        let applied = self.node.take_applied();
        if applied.is_empty() {
            return fx;
        }
        let mut refused = BTreeSet::new();
        let mut offenders = BTreeSet::new();
        for a in &applied {
            if let Some(err) = self.authorship_error(a) {
                let device = self.batch_senders.get(&a.conn).map(|(d, _)| d.as_str());
                tracing::warn!(conn = %a.conn, device = device.unwrap_or("?"), doc = %a.doc, %err, "changes refused: authorship");
                refused.insert(a.doc);
                offenders.insert(a.conn);
            }
        }
        if refused.is_empty() {
            return fx;
        }
        let fx = drop_saves(fx, &refused);
        let mut next = Vec::new();
        let fx = self.refuse_senders(&refused, &offenders, fx, &mut next);
        let bystanders: BTreeSet<ConnectionId> = applied
            .iter()
            .filter(|a| refused.contains(&a.doc) && !offenders.contains(&a.conn))
            .map(|a| a.conn)
            .collect();
        for conn in bystanders {
            if let Some(h) = self.conns.remove(&conn) {
                tracing::info!(%conn, device = %h.grant.device_id, "its changes were dropped with refused ones; closing so that it sends them again");
                h.kill.send_replace(Some((
                    close_code::TRY_AGAIN_LATER,
                    "changes dropped; send them again".into(),
                )));
                self.forget(conn);
                next.extend(self.node.handle(now_ms(), Event::Disconnected { conn }));
            }
        }
        let mut fx = fx;
        fx.extend(next);
        fx
    }

    /// Why the changes `a` brought break the authorship rule, if they do
    /// (see [`Hub::refuse_unauthored`]). Documents other than the district
    /// and unit documents are not checked.
    fn authorship_error(&self, a: &Applied) -> Option<String> {
        use yanzhen_model::authorship::check_change;
        use yanzhen_model::store::{DistrictScope, UnitScope};
        let district = self.policy.is_district_document(&a.doc);
        if !district && !self.policy.is_unit_document(&a.doc) {
            return None;
        }
        if self.node.status(&a.doc) != Some(yanzhen_sync::DocStatus::Ready) {
            // Being reloaded: what it applied is gone already.
            return None;
        }
        let am = self.node.document(&a.doc)?;
        let Some((device, role)) = self.batch_senders.get(&a.conn) else {
            return Some("the sending connection is unknown".into());
        };
        a.changes.iter().find_map(|hash| {
            let checked = if district {
                check_change::<DistrictScope>(am, hash, device, role.as_str())
            } else {
                check_change::<UnitScope>(am, hash, device, role.as_str())
            };
            checked.err().map(|e| format!("change {hash}: {e}"))
        })
    }

    /// Refuses this batch's changes to `docs` whose makers are `offenders`:
    /// drops the messages about `docs` from `outgoing`, sends each
    /// offender [`AUTHORSHIP_REFUSED`] and a close (1008), and reloads the
    /// documents (effects into `next`). Returns what of `outgoing` may go.
    fn refuse_senders(
        &mut self,
        docs: &BTreeSet<DocumentId>,
        offenders: &BTreeSet<ConnectionId>,
        outgoing: Vec<Effect>,
        next: &mut Vec<Effect>,
    ) -> Vec<Effect> {
        let outgoing = drop_messages(outgoing, docs);
        for conn in offenders {
            if let Some(h) = self.conns.get(conn) {
                tracing::warn!(%conn, device = %h.grant.device_id, reason = AUTHORSHIP_REFUSED, "its changes were refused; closing its connection");
            }
            next.extend(self.tell_and_close(*conn, AUTHORSHIP_REFUSED, close_code::POLICY));
        }
        for doc in docs {
            next.extend(self.node.reload_document(*doc));
        }
        outgoing
    }

    /// Why `doc` (in memory) does not read as the model's type, if it is
    /// the district or a unit document and does not.
    fn schema_error(&self, doc: &DocumentId) -> Option<String> {
        let am = self.node.document(doc)?;
        if self.policy.is_district_document(doc) {
            yanzhen_model::whole::read::<yanzhen_model::store::DistrictData>(am)
                .err()
                .map(|e| e.to_string())
        } else if self.policy.is_unit_document(doc) {
            yanzhen_model::whole::read::<yanzhen_model::store::UnitData>(am)
                .err()
                .map(|e| e.to_string())
        } else {
            None
        }
    }

    /// After failed saves of `failed`: drops the messages about them, tells
    /// and closes their writers, and reloads them (effects into `next`).
    /// Returns the messages that may still go.
    pub(super) fn writes_failed(
        &mut self,
        failed: &BTreeSet<DocumentId>,
        outgoing: Vec<Effect>,
        next: &mut Vec<Effect>,
    ) -> Vec<Effect> {
        self.refuse_documents(
            failed,
            outgoing,
            next,
            STORAGE_WRITE_FAILED,
            close_code::INTERNAL,
        )
    }

    /// Refuses this batch's changes to `docs`: drops the messages about
    /// them from `outgoing`, sends their writers an `error` saying `key`
    /// and closes them with `code`, and reloads the documents from storage
    /// (effects into `next`). Returns what of `outgoing` may still go.
    fn refuse_documents(
        &mut self,
        failed: &BTreeSet<DocumentId>,
        outgoing: Vec<Effect>,
        next: &mut Vec<Effect>,
        key: &str,
        code: u16,
    ) -> Vec<Effect> {
        let outgoing = drop_messages(outgoing, failed);
        let writers: BTreeSet<ConnectionId> = self
            .batch_docs
            .iter()
            .filter(|(_, d)| failed.contains(d))
            .map(|(c, _)| *c)
            .collect();
        for conn in writers {
            if let Some(h) = self.conns.get(&conn) {
                tracing::warn!(%conn, device = %h.grant.device_id, reason = key, "its changes were refused; closing its connection");
            }
            next.extend(self.tell_and_close(conn, key, code));
        }
        for doc in failed {
            next.extend(self.node.reload_document(*doc));
        }
        outgoing
    }
}
