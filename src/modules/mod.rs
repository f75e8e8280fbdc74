//! The programme's modules, one folder each (its hub, words, pure logic,
//! pages and components); modules meet only through the shared layers
//! (`data`, `ui`, `trail`, `sync`).

pub mod admin;
pub mod dashboard;
pub mod flock;
pub mod lead;
pub mod returning;
pub mod roster;
pub mod young;
