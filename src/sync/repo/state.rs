//! The tablet's repo as a pure state machine: [`RepoState::on`] takes an
//! [`Input`] (a browser callback, a timer, a finished task) and answers the
//! [`Action`]s to carry out. No browser, no shared pointers: time and
//! randomness come in with the inputs, so every decision is tested
//! natively (`tests.rs`); `runtime.rs` is the browser around it.
//!
//! This file: the state, the dispatch, the link (socket, handshake,
//! refusals, enrolment). The rows shown are made in `rows.rs`, the node's
//! effects and the write queue in `effects.rs`, local changes, imports and
//! the attestation and carried-file errands in `files.rs`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use automerge::ChangeHash;
use yanzhen_sync::{ConnectionId, DocumentId, Event, StorageOp, SyncNode};

use super::super::status::{Connection, DocKind, DocRow, Problem};
use super::super::ws::{Link, LinkAction, LinkState, sync_url_with_token};
use super::action::Action;
use super::input::Input;
use crate::access::device::{Enrolment, Refusal, sync_plan};

/// What the repo keeps about one document besides the node's copy.
#[derive(Default)]
pub(super) struct Meta {
    pub(super) kind: Option<DocKind>,
    pub(super) name: Option<String>,
    pub(super) revision: u64,
    pub(super) last_sync: Option<f64>,
    pub(super) last_acked: Option<Vec<ChangeHash>>,
    /// Write batches of this document not yet committed.
    pub(super) unsaved: usize,
}

/// The tablet's repo: its sync node, the link and what is shown.
pub struct RepoState {
    pub(super) node: SyncNode,
    /// The server's HTTP base URL.
    pub(super) base: String,
    pub(super) link: Link,
    /// The current socket.
    pub(super) socket: Option<ConnectionId>,
    pub(super) next_conn: u64,
    /// The current socket, once the server answered the handshake.
    pub(super) server_conn: Option<ConnectionId>,
    /// Write batches in order; the head is being written while `writing`.
    pub(super) writes: VecDeque<(DocumentId, Vec<StorageOp>)>,
    pub(super) writing: bool,
    pub(super) write_retry_at: Option<f64>,
    /// IndexedDB is open.
    pub(super) store_open: bool,
    pub(super) meta: BTreeMap<DocumentId, Meta>,
    pub(super) district: Option<DocumentId>,
    pub(super) bootstrapped: bool,
    pub(super) last_received: f64,
    pub(super) pending_since: Option<f64>,
    /// IndexedDB is open and the first documents are asked for.
    pub(super) started: bool,
    /// Documents being loaded from IndexedDB right now.
    pub(super) loading: usize,
    /// Every document held at start is loaded (rows are published from then on).
    pub(super) docs_loaded: bool,
    /// The token the link uses (the enrolment's), if enrolled.
    pub(super) token: Option<String>,
    /// The enrolment has no district keys (enrolled before sealed files).
    pub(super) no_keys: bool,
    /// Documents this device may only read.
    pub(super) read_only: BTreeSet<DocumentId>,
    /// The documents of the enrolment (`None`: not enrolled).
    pub(super) planned: Option<BTreeSet<DocumentId>>,
    /// Why the server refuses our token, if it does.
    pub(super) refused: Option<Refusal>,
    /// The current socket got the server's handshake.
    pub(super) handshaken: bool,
    /// Attestations are being asked for.
    pub(super) attesting: bool,
    /// The documents' heads (a digest) when attestations were last asked
    /// for on this connection.
    pub(super) attested: Option<u64>,
    /// Carried files are being handed to the server.
    pub(super) passing_on: bool,
    /// The connection on which carried files were last handed over.
    pub(super) passed_on: Option<ConnectionId>,
    /// What is shown: the last problem, the rows, the connection.
    pub(super) last_error: Option<Problem>,
    pub(super) rows: Vec<DocRow>,
    pub(super) connection: Connection,
}

impl RepoState {
    /// A repo around `node` (a client node with storage) talking to the
    /// server at `base`; nothing happens until [`Input::Started`].
    pub fn new(node: SyncNode, base: String) -> Self {
        RepoState {
            node,
            base,
            link: Link::new(),
            socket: None,
            next_conn: 0,
            server_conn: None,
            writes: VecDeque::new(),
            writing: false,
            write_retry_at: None,
            store_open: false,
            meta: BTreeMap::new(),
            district: None,
            bootstrapped: false,
            last_received: 0.0,
            pending_since: None,
            started: false,
            loading: 0,
            docs_loaded: false,
            token: None,
            no_keys: false,
            read_only: BTreeSet::new(),
            planned: None,
            refused: None,
            handshaken: false,
            attesting: false,
            attested: None,
            passing_on: false,
            passed_on: None,
            last_error: None,
            rows: Vec::new(),
            connection: Connection::Starting,
        }
    }

    /// The sync node (its documents, read-only).
    pub fn node(&self) -> &SyncNode {
        &self.node
    }

    /// The rows last shown.
    pub fn rows(&self) -> &[DocRow] {
        &self.rows
    }

    /// The connection last shown.
    pub fn connection(&self) -> Connection {
        self.connection
    }

    /// The problem last shown.
    pub fn problem_shown(&self) -> Option<&Problem> {
        self.last_error.as_ref()
    }

    /// A save is queued or being written.
    pub fn saves_pending(&self) -> bool {
        self.writing || !self.writes.is_empty()
    }

    /// The server's base URL and the token, while connected (for asking
    /// the server for attestations), with the documents to ask about.
    pub fn attest_request(&self) -> Option<(String, String, Vec<DocumentId>)> {
        let ids: Vec<DocumentId> = self.node.documents().copied().collect();
        let token = self.token.clone()?;
        (self.server_conn.is_some() && !ids.is_empty()).then(|| (self.base.clone(), token, ids))
    }

    /// Takes one input at time `now` (ms since the epoch); returns what to do.
    pub fn on(&mut self, now: f64, input: Input) -> Vec<Action> {
        let mut out = Vec::new();
        match input {
            Input::Started {
                online,
                store_open,
                stored,
                enrolment,
                district,
            } => self.started(
                now, online, store_open, stored, enrolment, district, &mut out,
            ),
            Input::Server { base } => self.base = base,
            Input::Enrolment { online, enrolment } => {
                self.apply_enrolment(now, online, enrolment, &mut out)
            }
            Input::Loaded { doc, chunks } => self.loaded(now, doc, chunks, &mut out),
            Input::Opened { conn } => self.opened(now, conn, &mut out),
            Input::Received { conn, bytes } => {
                self.last_received = now;
                let fx = self
                    .node
                    .handle(now as u64, Event::Received { conn, bytes });
                self.run(now, fx, &mut out);
            }
            Input::Closed { conn, random } => self.closed(now, conn, random, &mut out),
            Input::Tick => self.tick(now, &mut out),
            Input::Online => {
                let action = self.link.online(now);
                self.link_action(action, &mut out);
            }
            Input::Offline => {
                let action = self.link.offline();
                self.link_action(action, &mut out);
            }
            Input::Written => self.written(now, &mut out),
            Input::WriteFailed(e) => self.write_failed(now, e, &mut out),
            Input::StoreOpened(result) => self.store_opened(now, result, &mut out),
            Input::Bootstrapped(result) => self.bootstrapped(now, result, &mut out),
            Input::TokenRefused { token, refusal } => {
                if self.token.as_deref() == Some(token.as_str()) {
                    self.refuse(refusal, &mut out);
                }
            }
            Input::Attested { digest } => {
                self.attesting = false;
                // Failed or not: asked again when the documents move or on
                // the next connection, not every second.
                self.attested = Some(digest);
            }
            Input::PassedOn => self.passing_on = false,
            Input::RelayKept => {
                self.passed_on = None;
                self.maybe_pass_on(&mut out);
            }
            Input::Problem(p) => self.problem(p, &mut out),
        }
        self.show_connection(&mut out);
        out
    }

    /// Shows problem `p` until it is fixed or replaced.
    pub(super) fn problem(&mut self, p: Problem, out: &mut Vec<Action>) {
        self.last_error = Some(p.clone());
        out.push(Action::Problem(Some(p)));
    }

    /// Clears the problem shown if `fixed` says this one is fixed.
    pub(super) fn clear_problem(&mut self, fixed: fn(&Problem) -> bool, out: &mut Vec<Action>) {
        if self.last_error.as_ref().is_some_and(fixed) {
            self.last_error = None;
            out.push(Action::Problem(None));
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn started(
        &mut self,
        now: f64,
        online: bool,
        store_open: bool,
        stored: Result<Vec<DocumentId>, super::super::idb::StorageError>,
        enrolment: Option<Enrolment>,
        district: Option<DocumentId>,
        out: &mut Vec<Action>,
    ) {
        if self.started {
            return;
        }
        self.store_open = store_open;
        let mut fx = Vec::new();
        match stored {
            // Not enrolled: show what the tablet has; enrolled: the
            // enrolment's documents (found below).
            Ok(ids) if enrolment.is_none() => {
                for id in ids {
                    fx.extend(self.node.find(id));
                }
            }
            Ok(_) => {}
            Err(e) => self.problem(Problem::Storage(e), out),
        }
        if let Some(d) = district
            && enrolment.is_some()
        {
            fx.extend(self.set_district(d, out));
        }
        self.started = true;
        self.run(now, fx, out);
        let enrolled = enrolment.is_some();
        self.apply_enrolment(now, online, enrolment, out);
        // Nothing to load (a new tablet): loaded.
        self.loads_done(now, out);
        if enrolled {
            out.push(Action::Bootstrap {
                base: self.base.clone(),
            });
        }
    }

    /// Syncs with `enrolment` (or stops syncing without one): the
    /// documents of its list are found, the link restarts with its token.
    fn apply_enrolment(
        &mut self,
        now: f64,
        online: bool,
        enrolment: Option<Enrolment>,
        out: &mut Vec<Action>,
    ) {
        self.no_keys = enrolment.as_ref().is_some_and(|e| e.keys.is_none());
        let token = enrolment.as_ref().map(|e| e.token.clone());
        if !self.started
            || (token == self.token && self.planned.is_some() == token.is_some() && token.is_none())
        {
            return;
        }
        let new_token = token != self.token;
        self.token = token;
        self.refused = None;
        let mut fx = Vec::new();
        match &enrolment {
            None => {
                self.planned = None;
                self.read_only.clear();
            }
            Some(e) => {
                let plan = sync_plan(&e.device);
                self.read_only = yanzhen_model::sorting::btree_set(
                    plan.iter().filter(|p| p.read_only).map(|p| p.id),
                );
                self.planned = Some(yanzhen_model::sorting::btree_set(plan.iter().map(|p| p.id)));
                for p in &plan {
                    if p.district {
                        self.district = Some(p.id);
                    }
                    let m = self.meta.entry(p.id).or_default();
                    m.kind = Some(if p.district {
                        DocKind::District
                    } else {
                        DocKind::Unit
                    });
                    if p.name.is_some() {
                        m.name = p.name.clone();
                    }
                    if self.node.status(&p.id).is_none() {
                        fx.extend(self.node.find(p.id));
                    }
                }
            }
        }
        let action = if self.token.is_none() {
            self.link.stop()
        } else if new_token || self.link.state() == LinkState::Stopped {
            if let Some(conn) = self.socket.take() {
                self.server_conn = None;
                fx.extend(self.node.handle(now as u64, Event::Disconnected { conn }));
                out.push(Action::Drop { conn });
            }
            self.handshaken = false;
            self.link.resume(now, online)
        } else {
            None
        };
        self.run(now, fx, out);
        self.link_action(action, out);
    }

    /// Carries out what the link asks for.
    pub(super) fn link_action(&mut self, action: Option<LinkAction>, out: &mut Vec<Action>) {
        match action {
            Some(LinkAction::Open) => self.connect(out),
            Some(LinkAction::Close) => {
                if let Some(conn) = self.socket {
                    out.push(Action::Close { conn });
                }
            }
            None => {}
        }
    }

    fn connect(&mut self, out: &mut Vec<Action>) {
        let Some(token) = self.token.clone() else {
            let _ = self.link.stop();
            return;
        };
        // Never the token in clear over a network (see
        // `crate::settings::check_server_url`).
        if crate::settings::check_server_url(&self.base).is_err() {
            let _ = self.link.stop();
            self.problem(Problem::Insecure(self.base.clone()), out);
            return;
        }
        self.next_conn += 1;
        self.handshaken = false;
        let conn = ConnectionId(self.next_conn);
        // A socket still here is replaced (dropped without its close).
        self.socket = Some(conn);
        out.push(Action::Connect {
            conn,
            url: sync_url_with_token(&self.base, &token),
        });
    }

    fn opened(&mut self, now: f64, conn: ConnectionId, out: &mut Vec<Action>) {
        if self.socket != Some(conn) {
            return;
        }
        self.link.opened();
        // Until the server answers the handshake, silence counts.
        self.pending_since = Some(now);
        let fx = self.node.handle(
            now as u64,
            Event::Connected {
                conn,
                initiator: true,
            },
        );
        self.run(now, fx, out);
    }

    fn closed(&mut self, now: f64, conn: ConnectionId, random: f64, out: &mut Vec<Action>) {
        let current = self.socket == Some(conn);
        if current && !self.handshaken {
            // Refused before the upgrade? The browser cannot tell.
            if let Some(token) = self.token.clone() {
                out.push(Action::CheckToken {
                    base: self.base.clone(),
                    token,
                });
            }
        }
        if current {
            self.socket = None;
            out.push(Action::Drop { conn });
            self.server_conn = None;
            self.pending_since = None;
            self.link.closed(now, random);
        }
        let fx = self.node.handle(now as u64, Event::Disconnected { conn });
        self.run(now, fx, out);
    }

    fn tick(&mut self, now: f64, out: &mut Vec<Action>) {
        let fx = self.node.handle(now as u64, Event::Tick);
        let action = self.link.tick(now, self.last_received, self.pending_since);
        let retry = !self.writing
            && !self.writes.is_empty()
            && self.write_retry_at.is_some_and(|at| now >= at);
        if retry {
            self.write_retry_at = None;
        }
        self.run(now, fx, out);
        self.link_action(action, out);
        if retry {
            self.retry_writes(now, out);
        }
        self.maybe_attest(out);
        self.maybe_pass_on(out);
    }

    /// The server refuses our token: stop until the person enrols again. A
    /// revoked tablet is erased (see [`crate::lock::actions::revoked`]).
    pub(super) fn refuse(&mut self, refusal: Refusal, out: &mut Vec<Action>) {
        // A revocation erases the tablet: acted on only when it came over
        // an authenticated secure channel (`https`/`wss`, or this device
        // itself), never over plain `http` where anyone on the network
        // could forge it. `connect` and `api` refuse other addresses
        // already; this keeps the wipe safe should that ever change.
        let secure = crate::settings::check_server_url(&self.base).is_ok();
        let refusal = refusal.trusted(secure);
        if refusal == Refusal::Revoked {
            let _ = self.link.stop();
            let unsynced = super::super::status::unsynced(&self.rows, self.saves_pending());
            out.push(Action::Revoked { unsynced });
            return;
        }
        self.refused = Some(refusal);
        let action = self.link.stop();
        self.link_action(action, out);
    }
}
