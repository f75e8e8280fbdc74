//! Local changes and imports (the inputs that carry a closure or a file),
//! and two errands of a connected tablet: asking for attestations while in
//! step with the server, and handing carried files to it once per
//! connection.

use automerge::Automerge;
use yanzhen_sync::DocumentId;
use yanzhen_sync::attest::DistrictKeys;
use yanzhen_sync::file::FileError;

use super::super::status::in_step;
use super::super::transfer::{ImportPreview, TransferError};
use super::action::Action;
use super::state::RepoState;

impl RepoState {
    /// Changes document `id` locally at `now`: saved (the row shows
    /// "saving" until it is) and synced to the server.
    pub fn change<R>(
        &mut self,
        now: f64,
        id: DocumentId,
        f: impl FnOnce(&mut Automerge) -> R,
    ) -> Result<(R, Vec<Action>), yanzhen_sync::Error> {
        let (r, fx) = self.node.change(id, f)?;
        self.meta(id).revision += 1;
        let mut out = Vec::new();
        self.run(now, fx, &mut out);
        self.show_connection(&mut out);
        Ok((r, out))
    }

    /// Previews (or, with `apply`, imports) a sealed sync file against the
    /// node's documents; see [`super::super::transfer::preview`]. What the
    /// import leaves in the copies is applied, document by document, as the
    /// changes the node's copy lacks; a file with vouched edits is kept to
    /// be passed on ([`Action::KeepRelay`]).
    pub fn import(
        &mut self,
        now: f64,
        bytes: &[u8],
        keys: &DistrictKeys,
        apply: bool,
    ) -> (Result<ImportPreview, TransferError>, Vec<Action>) {
        let syncs = |id: &DocumentId| match &self.planned {
            Some(p) => p.contains(id),
            None => self.node.status(id).is_some(),
        };
        let previewed = super::super::transfer::preview(
            bytes,
            keys,
            |id| self.node.document(id).cloned(),
            syncs,
        );
        let (copies, preview) = match previewed {
            Ok(p) => p,
            Err(e) => return (Err(e.into()), Vec::new()),
        };
        if !apply {
            return (Ok(preview), Vec::new());
        }
        let mut fx = Vec::new();
        let mut out = Vec::new();
        for d in preview.docs.iter().filter(|d| !d.skipped && d.new > 0) {
            let Some(copy) = copies.get(&d.id) else {
                continue;
            };
            let result = match self.node.document(&d.id) {
                Some(am) => {
                    let changes = am.get_changes_added(copy);
                    self.node
                        .change(d.id, |am| am.apply_changes(changes))
                        .map_err(|e| e.to_string())
                        .and_then(|(res, more)| res.map(|_| more).map_err(|e| e.to_string()))
                }
                None => self
                    .node
                    .add_document(d.id, copy.clone())
                    .map_err(|e| e.to_string()),
            };
            match result {
                Ok(more) => {
                    fx.extend(more);
                    self.meta(d.id).revision += 1;
                }
                Err(reason) => {
                    // Verified on copies first, so this is not expected;
                    // what was applied before stays (it is valid).
                    self.run(now, fx, &mut out);
                    self.show_connection(&mut out);
                    let e = FileError::Rejected { doc: d.id, reason };
                    return (Err(TransferError::File(e)), out);
                }
            }
        }
        self.run(now, fx, &mut out);
        self.show_connection(&mut out);
        if preview.vouched > 0 {
            // Kept (sealed as it came) until the server has taken it.
            out.push(Action::KeepRelay {
                file: bytes.to_vec(),
            });
        }
        (Ok(preview), out)
    }

    /// A digest of every document's heads.
    fn heads_digest(&self) -> u64 {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut h = DefaultHasher::new();
        for id in self.node.documents() {
            id.hash(&mut h);
            if let Some(d) = self.node.document(id) {
                d.get_heads().hash(&mut h);
            }
        }
        h.finish()
    }

    /// Asks for attestations when connected, in step with the server
    /// ([`in_step`]) and the documents moved since the last time on this
    /// connection; they are kept for offline exports.
    pub(super) fn maybe_attest(&mut self, out: &mut Vec<Action>) {
        if self.attesting || self.server_conn.is_none() || !in_step(&self.rows) {
            return;
        }
        let digest = self.heads_digest();
        if self.attested == Some(digest) {
            return;
        }
        self.attesting = true;
        out.push(Action::Attest { digest });
    }

    /// Hands the carried files (imported files with edits their makers
    /// vouched for) to the server once per connection, after the handshake.
    pub(super) fn maybe_pass_on(&mut self, out: &mut Vec<Action>) {
        let Some(conn) = self.server_conn else {
            return;
        };
        if self.passing_on || !self.handshaken || self.passed_on == Some(conn) {
            return;
        }
        self.passed_on = Some(conn);
        if let Some(token) = self.token.clone() {
            self.passing_on = true;
            out.push(Action::PassOn {
                base: self.base.clone(),
                token,
            });
        }
    }
}
