//! The view pieces of 雏雁's screens, one component per file.

pub mod field;
pub mod figure;
pub mod funnel;
pub mod locked;
