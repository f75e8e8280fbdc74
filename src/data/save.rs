//! Where a save stands ([`SaveState`]: saving until IndexedDB has it) and
//! how a write's outcome is shown next to the save button.

use leptos::prelude::*;

use crate::data::write::Written;

impl SaveState {
    /// The state after a write: "saving" until IndexedDB has it, "invalid"
    /// when the model refused the input, "failed" otherwise.
    pub fn after<T>(written: &Written<T>) -> SaveState {
        match written {
            Ok(Ok(_)) => SaveState::Saving,
            Ok(Err(yanzhen_model::ModelError::Validation(_))) => SaveState::Invalid,
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
    match written {
        Ok(Ok(_)) => errors.set(crate::ui::form_errors::FieldMap::default()),
        Ok(Err(yanzhen_model::ModelError::Validation(v))) => errors.set(refused(&v)),
        _ => {}
    }
    state.set(after);
    after == SaveState::Saving
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
