//! The screens of 群雁, one file per route.

pub mod certificates;
pub mod hub;
pub mod studios;
pub mod training;
