//! Where a save stands ([`SaveState`]: saving until IndexedDB has it) and
//! how a write's outcome is shown next to the save button.

use leptos::prelude::*;

use crate::data::write::{Written, put_record};

impl SaveState {
    /// The state after a write: "saving" until IndexedDB has it, "invalid"
    /// when the model refused the input, "failed" otherwise.
    pub fn after<T>(written: &Written<T>) -> SaveState {
        match written {
            Written::Saved(_) => SaveState::Saving,
            w if w.invalid().is_some() => SaveState::Invalid,
            _ => SaveState::Failed,
        }
    }
}

/// Shows what became of a form's model write: [`SaveState::after`], with
/// the form's problems cleared on success or the model's refusal placed at
/// its field (`refused`). True when the record was written. One outcome
/// for every module's forms.
pub fn show_write<T, E: crate::i18n::Text>(
    written: Written<T>,
    errors: RwSignal<crate::ui::form_errors::FieldMap<E>>,
    state: RwSignal<SaveState>,
    refused: impl FnOnce(
        &yanzhen_model::validate::ValidationError,
    ) -> crate::ui::form_errors::FieldMap<E>,
) -> bool {
    let after = SaveState::after(&written);
    if written.is_saved() {
        errors.set(crate::ui::form_errors::FieldMap::default());
    } else if let Some(v) = written.invalid() {
        errors.set(refused(v));
    }
    state.set(after);
    after == SaveState::Saving
}

/// Saves what a form made: its problems are shown ("invalid") and nothing
/// is written; its record is written into `doc` ([`put_record`]) with the
/// outcome shown ([`show_write`]); no document to write into is a failed
/// save. The record, when it was written.
pub fn save_form<R: yanzhen_model::store::Record, E: crate::i18n::Text>(
    sync: crate::sync::repo::SyncContext,
    doc: Option<yanzhen_sync::DocumentId>,
    made: Result<R, crate::ui::form_errors::FieldMap<E>>,
    errors: RwSignal<crate::ui::form_errors::FieldMap<E>>,
    state: RwSignal<SaveState>,
    refused: impl FnOnce(
        &yanzhen_model::validate::ValidationError,
    ) -> crate::ui::form_errors::FieldMap<E>,
) -> Option<R> {
    let Some(doc) = doc else {
        state.set(SaveState::Failed);
        return None;
    };
    let record = match made {
        Ok(r) => r,
        Err(e) => {
            errors.set(e);
            state.set(SaveState::Invalid);
            return None;
        }
    };
    show_write(put_record(sync, doc, &record), errors, state, refused).then_some(record)
}

/// Turns each of `states` from "saving" into "saved" once IndexedDB has
/// every write of the document `doc` gives (nothing while there is none).
/// One effect for every form of a screen that writes into that document.
pub fn settle(
    sync: crate::sync::repo::SyncContext,
    doc: impl Fn() -> Option<yanzhen_sync::DocumentId> + Send + Sync + 'static,
    states: Vec<RwSignal<SaveState>>,
) {
    settle_when(
        move || doc().map(|d| crate::data::docs::unsaved(sync, &d)),
        states,
    );
}

/// [`settle`] for a form whose save writes several documents: "saved" once
/// IndexedDB has every write of all the documents `docs` gives.
pub fn settle_all(
    sync: crate::sync::repo::SyncContext,
    docs: impl Fn() -> Vec<yanzhen_sync::DocumentId> + Send + Sync + 'static,
    states: Vec<RwSignal<SaveState>>,
) {
    settle_when(
        move || Some(docs().iter().any(|d| crate::data::docs::unsaved(sync, d))),
        states,
    );
}

/// Saving → saved once `pending` says nothing is left to store (`None`:
/// nothing to wait on yet).
fn settle_when(
    pending: impl Fn() -> Option<bool> + Send + Sync + 'static,
    states: Vec<RwSignal<SaveState>>,
) {
    Effect::new(move |_| {
        let Some(pending) = pending() else { return };
        for s in &states {
            if s.get() == SaveState::Saving && !pending {
                s.set(SaveState::Saved);
            }
        }
    });
}

/// Where a save stands, for the words next to the save button.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SaveState {
    /// Nothing done yet (or typing since).
    #[default]
    Idle,
    /// Refused: the messages are next to the fields; nothing was written.
    Invalid,
    /// The document is not on this tablet: nothing was written.
    Failed,
    /// Written to the document; IndexedDB has not confirmed it yet.
    Saving,
    /// IndexedDB has it.
    Saved,
}

#[cfg(test)]
mod tests {
    use super::*;
    use yanzhen_model::ModelError;
    use yanzhen_model::validate::ValidationError;

    #[test]
    fn a_save_stands_saving_invalid_or_failed_after_its_write() {
        assert_eq!(SaveState::after(&Written::Saved(())), SaveState::Saving);
        let invalid = ModelError::Validation(ValidationError::Mobile { field: "mobile" });
        assert_eq!(
            SaveState::after(&Written::<()>::Refused(invalid)),
            SaveState::Invalid
        );
        // A refusal that is not about the input is no field's fault.
        assert_eq!(
            SaveState::after(&Written::<()>::Refused(ModelError::NotFound)),
            SaveState::Failed
        );
        let not_here =
            yanzhen_sync::Error::UnknownDocument(yanzhen_sync::DocumentId::from_bytes([1; 16]));
        assert_eq!(
            SaveState::after(&Written::<()>::Failed(not_here)),
            SaveState::Failed
        );
    }
}
