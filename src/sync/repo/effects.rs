//! The node's effects as actions, and the write queue.
//!
//! Effects are carried out as they come: `Send` and `Close` on the current
//! socket; `Storage` ops queued per document and written **in order** by
//! one writer (a planned save's put, then its deletes, in one batch; see
//! [`super::super::idb`]). A row shows "saving" until its writes are
//! committed; a failed write stays at the head of the queue, is shown as
//! the last problem and retried every [`super::WRITE_RETRY_MS`] (reopening
//! the database if it was closed), so later chunks are never written past
//! a missing one.

use std::collections::VecDeque;

use yanzhen_sync::{Effect, StorageOp};

use super::super::idb::StorageError;
use super::super::status::Problem;
use super::WRITE_RETRY_MS;
use super::action::Action;
use super::state::RepoState;
use crate::access::device::Refusal;

impl RepoState {
    /// Turns the node's effects (and the effects they lead to) into
    /// actions, then publishes; loads, the writer and the errands a
    /// handshake or a server error calls for come after.
    pub(super) fn run(&mut self, now: f64, fx: Vec<Effect>, out: &mut Vec<Action>) {
        let mut loads = Vec::new();
        let mut writes = false;
        let mut bootstrap = false;
        let mut keys = false;
        let mut refusals = Vec::new();
        let mut queue: VecDeque<Effect> = fx.into();
        while let Some(effect) = queue.pop_front() {
            match effect {
                Effect::Send { conn, bytes } => {
                    if self.socket == Some(conn) {
                        out.push(Action::Send { conn, bytes });
                    }
                }
                Effect::Close { conn, .. } => {
                    if self.socket == Some(conn) {
                        out.push(Action::Close { conn });
                    }
                }
                Effect::Storage(op) => writes |= self.queue_write(op),
                Effect::LoadDocument { doc } => loads.push(doc),
                Effect::PeerConnected { conn, .. } => {
                    self.server_conn = Some(conn);
                    self.handshaken = true;
                    self.attested = None;
                    self.link.handshaken();
                    bootstrap |= !self.bootstrapped;
                    // Enrolled before sealed files: the keys are in
                    // `GET /api/me`'s answer.
                    keys |= self.no_keys;
                }
                Effect::PeerDisconnected { conn, .. } => {
                    if self.server_conn == Some(conn) {
                        self.server_conn = None;
                    }
                }
                Effect::RemoteError { message, .. } => {
                    if let Some(refusal) = Refusal::from_key(message.trim()) {
                        refusals.push(refusal);
                    } else if !message.contains("may not write") {
                        // A refused write of a read-only document is
                        // flagged on its row instead.
                        self.problem(Problem::Server(message), out);
                    }
                }
                Effect::DocumentChanged { doc, .. } => {
                    self.meta(doc).revision += 1;
                    if self.district == Some(doc) {
                        self.read_directory(out);
                    }
                }
                Effect::DocumentUnavailable { .. } | Effect::Ephemeral { .. } => {}
            }
        }
        self.publish(now, out);
        self.loading += loads.len();
        out.extend(loads.into_iter().map(|doc| Action::Load { doc }));
        if writes {
            self.write_next(now, out);
        }
        if bootstrap {
            out.push(Action::Bootstrap {
                base: self.base.clone(),
            });
        }
        if keys && let Some(token) = self.token.clone() {
            out.push(Action::CheckToken {
                base: self.base.clone(),
                token,
            });
        }
        for refusal in refusals {
            self.refuse(refusal, out);
        }
    }

    /// Queues one storage op; false if it names no document.
    fn queue_write(&mut self, op: StorageOp) -> bool {
        let key = match &op {
            StorageOp::Put { key, .. } | StorageOp::Delete { key } => key,
        };
        let Some(doc) = key.first().and_then(|d| d.parse().ok()) else {
            return false;
        };
        // A planned save is a put then deletes of one document: kept in
        // one batch — unless that batch is already being written.
        let same = matches!(op, StorageOp::Delete { .. })
            && self.writes.back().is_some_and(|(d, _)| *d == doc)
            && !(self.writing && self.writes.len() == 1);
        if same {
            if let Some((_, ops)) = self.writes.back_mut() {
                ops.push(op);
            }
        } else {
            self.writes.push_back((doc, vec![op]));
            self.meta(doc).unsaved += 1;
        }
        true
    }

    /// Starts writing the head batch unless the writer is busy.
    pub(super) fn write_next(&mut self, now: f64, out: &mut Vec<Action>) {
        if self.writing {
            return;
        }
        let Some((doc, ops)) = self.writes.front().cloned() else {
            return;
        };
        if !self.store_open {
            let e = StorageError::Unavailable("IndexedDB is not open".to_owned());
            return self.write_failed_at(now, e, out);
        }
        self.writing = true;
        out.push(Action::Write { doc, ops });
    }

    /// The head batch is committed: the next one.
    pub(super) fn written(&mut self, now: f64, out: &mut Vec<Action>) {
        if !self.writing {
            return;
        }
        self.writing = false;
        if let Some((doc, _)) = self.writes.pop_front() {
            let m = self.meta(doc);
            m.unsaved = m.unsaved.saturating_sub(1);
        }
        self.write_retry_at = None;
        self.clear_problem(|p| matches!(p, Problem::Storage(_)), out);
        self.publish(now, out);
        self.write_next(now, out);
    }

    /// The head batch failed: it stays, shown, retried later.
    pub(super) fn write_failed(&mut self, now: f64, e: StorageError, out: &mut Vec<Action>) {
        if !self.writing {
            return;
        }
        self.writing = false;
        self.write_failed_at(now, e, out);
    }

    fn write_failed_at(&mut self, now: f64, e: StorageError, out: &mut Vec<Action>) {
        if matches!(e, StorageError::Closed(_)) && self.store_open {
            self.store_open = false;
            out.push(Action::ForgetStore);
        }
        self.problem(Problem::Storage(e), out);
        self.write_retry_at = Some(now + WRITE_RETRY_MS);
        self.publish(now, out);
    }

    /// Retries failed writes: reopens the database first if needed.
    pub(super) fn retry_writes(&mut self, now: f64, out: &mut Vec<Action>) {
        if self.store_open {
            self.write_next(now, out);
        } else {
            out.push(Action::OpenStore);
        }
    }

    pub(super) fn store_opened(
        &mut self,
        now: f64,
        result: Result<(), StorageError>,
        out: &mut Vec<Action>,
    ) {
        match result {
            Ok(()) => {
                self.store_open = true;
                self.write_next(now, out);
            }
            Err(e) => {
                self.problem(Problem::Storage(e), out);
                self.write_retry_at = Some(now + WRITE_RETRY_MS);
            }
        }
    }
}
