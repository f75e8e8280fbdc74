//! The screens of 归雁, one file per route.

pub mod appointments;
pub mod contacts;
pub mod hub;
pub mod investment;
pub mod talent;
