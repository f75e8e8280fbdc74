//! The shared data layer of every module's screens (no rules here: those
//! are the model's): [`docs`] (the documents on this tablet, read
//! reactively), [`write`] (who makes a change, what a write gave),
//! [`save`] (where a save stands), [`clock`] (now and today on the
//! tablet's calendar) and [`ids`] (fresh record ids).

pub mod choices;
pub mod clock;
pub mod docs;
#[allow(clippy::result_large_err)]
pub mod edit;
pub mod ids;
pub mod save;
pub mod units;
pub mod write;
