//! The rank screens' reactive plumbing (no rules here): every unit document
//! on this tablet (from the app's shared memo), and whether this tablet may
//! write a document.

use std::sync::Arc;

use leptos::prelude::*;
use yanzhen_model::store::{Record, UnitData};
use yanzhen_sync::DocumentId;

use crate::data::save::{SaveState, show_write};
use crate::data::units::use_units;
use crate::data::write::{change_meta, write_doc};
use crate::modules::lead::rank::form::RankErrors;
use crate::modules::lead::rank::write::put_all;
use crate::sync::repo::SyncContext;

/// The unit documents on this tablet with their data.
pub type UnitsHere = Arc<Vec<(DocumentId, UnitData)>>;

/// Every unit document on this tablet, from the app's shared memo (each
/// hydrated once per revision for every screen).
pub fn use_units_here(_sync: SyncContext) -> Memo<UnitsHere> {
    let shared = use_units();
    Memo::new(move |_| {
        shared.with(|u| Arc::new(u.iter().map(|u| (u.doc, (*u.data).clone())).collect()))
    })
}

/// Whether this tablet may write document `id` (tracked).
pub fn can_write(sync: SyncContext, id: Option<DocumentId>) -> bool {
    id.is_some_and(|id| sync.may_write(&id))
}

/// Saves a rank form: `record` (or the form's problems) is written to `doc`
/// with [`put_all`] under this tablet's change metadata; `errors` and
/// `state` then show what happened (problems at their fields, "failed", or
/// "saving" until IndexedDB has it). True when the record was written.
pub fn save_form<R: Record>(
    sync: SyncContext,
    doc: Option<DocumentId>,
    record: Result<R, RankErrors>,
    fallback: &str,
    errors: RwSignal<RankErrors>,
    state: RwSignal<SaveState>,
) -> bool {
    let record = match record {
        Ok(r) => r,
        Err(e) => {
            errors.set(e);
            state.set(SaveState::Invalid);
            return false;
        }
    };
    let Some(doc) = doc else {
        state.set(SaveState::Failed);
        return false;
    };
    let meta = change_meta();
    show_write(
        write_doc(sync, doc, |am| put_all(am, &[record], &meta)),
        errors,
        state,
        |v| RankErrors::from_validation(v, fallback),
    )
}

/// Saves a change of the picked record `picked` (none: a failed save) as
/// [`save_form`]: `change` makes the changed record or the form's problems.
pub fn save_edit<P, R: Record>(
    sync: SyncContext,
    doc: Option<DocumentId>,
    picked: Option<P>,
    change: impl FnOnce(&P) -> Result<R, RankErrors>,
    fallback: &str,
    errors: RwSignal<RankErrors>,
    state: RwSignal<SaveState>,
) -> bool {
    let Some(p) = picked else {
        state.set(SaveState::Failed);
        return false;
    };
    save_form(sync, doc, change(&p), fallback, errors, state)
}
