//! The view pieces of 归雁's screens, one component per file.

pub mod bar_chart;
pub mod chart;
pub mod contact_due;
pub mod due_list;
pub mod field;
pub mod funnel;
pub mod trail;
