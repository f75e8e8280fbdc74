//! Access control, the app's side, as plain data and functions (no Leptos,
//! no browser; unit-tested natively): what a typed enrolment code is
//! ([`code`]), what the server says about this device and which documents
//! it syncs ([`device`]), the unit directory's names ([`directory`]), the city admin's district calls ([`districts`]), and what each role may do in the UI ([`role`]).
//! The browser calls live in [`crate::sync::api`]; what is kept in local
//! storage in [`crate::settings`].

pub mod code;
pub mod components;
pub mod device;
pub mod directory;
pub mod districts;
pub mod messages;
pub mod role;
