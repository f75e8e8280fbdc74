//! The words of 头雁's screens: two tables, one per sub-area.

pub mod rank;
pub mod review;
