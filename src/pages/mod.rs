//! The app's screens, one component per file, one file per route.

pub mod admin;
pub mod home;
pub mod not_found;
// Writes return the model's (large) `ModelError`.
#[allow(clippy::result_large_err)]
pub mod person;
pub mod person_data;
pub mod roster;
pub mod settings;
pub mod sync_status;
