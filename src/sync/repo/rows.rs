//! What the repo shows: the connection in plain words and one row per
//! document (acknowledgement, last sync, saving), published only when they
//! change; the start-up load (documents out of IndexedDB, then "loaded"),
//! the bootstrap's district document and its directory's names.

use automerge::ChangeHash;
use yanzhen_model::store::DistrictData;
use yanzhen_sync::{DocStatus, DocumentId, Effect, Event};

use super::super::idb::StorageError;
use super::super::status::{
    Ack, Connection, DocKind, DocRow, Problem, ack_state, local_edits, sort_rows,
};
use super::super::ws::LinkState;
use super::action::Action;
use super::input::Chunks;
use super::state::{Meta, RepoState};
use crate::access::device::Refusal;

impl RepoState {
    pub(super) fn meta(&mut self, id: DocumentId) -> &mut Meta {
        self.meta.entry(id).or_default()
    }

    /// The connection as shown, published when it changes.
    pub(super) fn show_connection(&mut self, out: &mut Vec<Action>) {
        let c = match self.link.state() {
            _ if self.started && self.token.is_none() => Connection::NotEnrolled,
            _ if self.refused.is_some() => {
                Connection::Refused(self.refused.unwrap_or(Refusal::Unknown))
            }
            LinkState::Stopped => Connection::NotEnrolled,
            LinkState::Idle => Connection::Starting,
            LinkState::Offline => Connection::Offline,
            LinkState::Connecting { .. } => Connection::Connecting,
            LinkState::Open if self.server_conn.is_some() => Connection::Connected,
            LinkState::Open => Connection::Connecting,
            LinkState::Retrying { at } => Connection::Retrying { at },
        };
        if self.connection != c {
            self.connection = c;
            out.push(Action::Connection(c));
        }
    }

    /// Recomputes and publishes every row, once the start-up load is done:
    /// at start-up the documents come out of IndexedDB one by one, and
    /// published one by one, every open screen recomputed its figures once
    /// per document (the dashboard: ~105 times over a growing district);
    /// they are published together when the last is in (`loads_done`).
    pub(super) fn publish(&mut self, now: f64, out: &mut Vec<Action>) {
        if self.docs_loaded {
            self.publish_rows(now, out);
        }
    }

    /// Publishes the documents' rows (when they changed).
    fn publish_rows(&mut self, now: f64, out: &mut Vec<Action>) {
        let ids: Vec<DocumentId> = self.node.documents().copied().collect();
        let mut rows = Vec::with_capacity(ids.len());
        let mut any_pending = false;
        for id in ids {
            let status = self.node.status(&id);
            let local = self
                .node
                .document(&id)
                .map(|d| d.get_heads())
                .unwrap_or_default();
            let server: Option<Vec<ChangeHash>> = self
                .server_conn
                .and_then(|c| self.node.peer_heads(&id, c))
                .map(<[ChangeHash]>::to_vec);
            let is_district = self.district == Some(id);
            let read_only = self.read_only.contains(&id);
            let m = self.meta.entry(id).or_default();
            let ack = match status {
                Some(DocStatus::Loading) | Some(DocStatus::Requesting) => Ack::Missing,
                Some(DocStatus::Unavailable) => Ack::Unavailable,
                _ => ack_state(&local, server.as_deref(), m.last_acked.as_deref()),
            };
            if ack == Ack::Acked
                && let Some(s) = server
                && m.last_acked.as_ref() != Some(&s)
            {
                m.last_acked = Some(s);
                m.last_sync = Some(now);
            }
            // Edits of a read-only document never get acknowledged:
            // flagged, and not a reason to take the link for dead.
            let (readonly_edits, pending) = local_edits(ack, read_only);
            any_pending |= pending;
            let kind = if is_district {
                DocKind::District
            } else {
                m.kind.unwrap_or(DocKind::Other)
            };
            rows.push(DocRow {
                id,
                kind,
                name: m.name.clone(),
                revision: m.revision,
                last_sync: m.last_sync,
                ack,
                unsaved: m.unsaved > 0,
                read_only,
                readonly_edits,
            });
        }
        if self.server_conn.is_some() {
            self.pending_since = if any_pending {
                Some(self.pending_since.unwrap_or(now))
            } else {
                None
            };
        }
        sort_rows(&mut rows);
        if self.rows != rows {
            self.rows = rows.clone();
            out.push(Action::Rows(rows));
        }
    }

    /// The district document changed: names from its directory (which
    /// documents to sync is the enrolment's list).
    pub(super) fn read_directory(&mut self, out: &mut Vec<Action>) {
        let Some(id) = self.district else {
            return;
        };
        let Some(am) = self.node.document(&id) else {
            return;
        };
        let data: DistrictData = match yanzhen_model::whole::read(am) {
            Ok(d) => d,
            Err(e) => {
                return self.problem(Problem::Document(format!("district {id}: {e}")), out);
            }
        };
        let m = self.meta(id);
        m.kind = Some(DocKind::District);
        m.name = Some(data.name.clone());
        for unit in data.unit_documents() {
            let Some(doc) = unit.doc_id else { continue };
            let doc = DocumentId::from_bytes(doc.0);
            let m = self.meta(doc);
            m.kind = Some(DocKind::Unit);
            m.name = Some(unit.name.clone());
        }
    }

    /// `district` is the district document: found, or its directory read.
    pub(super) fn set_district(
        &mut self,
        district: DocumentId,
        out: &mut Vec<Action>,
    ) -> Vec<Effect> {
        self.district = Some(district);
        self.meta(district).kind = Some(DocKind::District);
        match self.node.status(&district) {
            None => self.node.find(district),
            Some(DocStatus::Ready) => {
                self.read_directory(out);
                Vec::new()
            }
            Some(_) => Vec::new(),
        }
    }

    pub(super) fn bootstrapped(
        &mut self,
        now: f64,
        result: Result<Option<DocumentId>, String>,
        out: &mut Vec<Action>,
    ) {
        let fx = match result {
            Ok(district) => {
                self.bootstrapped = true;
                self.clear_problem(|p| matches!(p, Problem::Bootstrap(_)), out);
                out.push(Action::KeepDistrict(district));
                match district {
                    Some(d) => self.set_district(d, out),
                    None => Vec::new(),
                }
            }
            Err(e) => {
                self.problem(Problem::Bootstrap(e), out);
                Vec::new()
            }
        };
        self.run(now, fx, out);
    }

    /// A document's chunks are read: the node loads them (once: a document
    /// is parsed only here). Stored chunks that did not give a document are
    /// damaged: the node treats them as empty and asks the server; the
    /// person is told why (parsed again only then, for the message).
    pub(super) fn loaded(
        &mut self,
        now: f64,
        doc: DocumentId,
        chunks: Result<Chunks, StorageError>,
        out: &mut Vec<Action>,
    ) {
        let chunks = match chunks {
            Ok((chunks, damaged)) => {
                if damaged > 0 {
                    self.problem(
                        Problem::Document(format!(
                            "{damaged} damaged record(s) of {doc} set aside"
                        )),
                        out,
                    );
                }
                chunks
            }
            Err(e) => {
                self.problem(Problem::Storage(e), out);
                Vec::new()
            }
        };
        let kept = chunks.clone();
        let fx = self
            .node
            .handle(now as u64, Event::DocumentLoaded { doc, chunks });
        let loaded = self.node.status(&doc) == Some(DocStatus::Ready);
        if !loaded
            && !kept.is_empty()
            && let Err(e) = yanzhen_sync::storage::load_document(kept)
        {
            self.problem(Problem::Document(e.to_string()), out);
        }
        // Loads this one started (the directory's unit documents) are
        // counted before it is done, so the count reaches 0 only when all
        // are loaded.
        self.run(now, fx, out);
        self.loading = self.loading.saturating_sub(1);
        self.loads_done(now, out);
    }

    /// Marks the start-up load done once nothing is loading any more.
    pub(super) fn loads_done(&mut self, now: f64, out: &mut Vec<Action>) {
        if self.loading > 0 || !self.started || self.docs_loaded {
            return;
        }
        // Every loaded document at once, then "loaded" (see `publish`).
        self.publish_rows(now, out);
        self.docs_loaded = true;
        out.push(Action::DocsLoaded);
    }
}
