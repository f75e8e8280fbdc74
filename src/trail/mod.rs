//! A record's trail, shared by every module's screens: its history (who
//! changed what, when) and its open conflicts (both values, a person picks).

pub mod conflicts;
pub mod history;
pub mod record_trail;
pub mod shown_text;
// The model's `ModelError` is large (it wraps Automerge's errors); results
// carrying it are the model's own API shape.
#[allow(clippy::result_large_err)]
pub mod changes;
