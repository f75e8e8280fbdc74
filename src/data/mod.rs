//! The shared data layer of every module's screens (no rules here: those
//! are the model's): [`docs`] (the documents on this tablet, read
//! reactively), [`districts`] (several district documents on one tablet,
//! each with its units: the city level), [`units`] (every unit document hydrated once per revision),
//! [`choices`] (the units a screen may pick), [`edit`] (model writes and
//! reads of a unit document), [`write`] (who makes a change, what a write
//! gave), [`save`] (where a save stands), [`clock`] (now and today on the
//! tablet's calendar), [`ids`] (fresh record ids), [`device`] (this
//! tablet's device id), [`person_form`] (the person and post forms as
//! typed, with field errors) and [`pinyin`] (names by pinyin).

pub mod choices;
pub mod clock;
pub mod device;
pub mod districts;
pub mod docs;
pub mod edit;
#[cfg(all(test, not(target_arch = "wasm32")))]
pub mod generated;
pub mod ids;
pub mod person_form;
pub mod pinyin;
pub mod save;
pub mod units;
pub mod write;
