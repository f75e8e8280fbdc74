//! The app's screens, one component per file, one file per route.

pub mod admin;
pub mod dashboard;
pub mod flock;
pub mod home;
pub mod lead;
pub mod not_found;
pub mod returning;
pub mod roster;
pub mod settings;
pub mod sync_status;
pub mod young;
