//! The screens of the roster (花名册) and the person file, one file per route.

pub mod roster;
// Writes return the model's (large) `ModelError`.
#[allow(clippy::result_large_err)]
pub mod person;
