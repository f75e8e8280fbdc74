//! The app's screens, one component per file, one file per route.

pub mod home;
pub mod not_found;
pub mod settings;
pub mod sync_status;
