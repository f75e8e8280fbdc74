//! The screens of the roster (花名册) and the person file, one file per route.

pub mod person;
pub mod roster;
