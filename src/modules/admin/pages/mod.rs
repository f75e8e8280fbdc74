//! The admin screen.

pub mod admin;
