//! The view pieces of 雏雁's screens, one component per file.

pub mod field;
pub mod figure;
pub mod funnel;
pub mod locked;
pub mod reserve_add;
pub mod reserve_detail;
pub mod reserve_note_form;
pub mod reserve_outcome_form;
pub mod rows;
