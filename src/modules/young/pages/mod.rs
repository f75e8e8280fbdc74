//! The screens of 雏雁, one file per route.

pub mod career;
pub mod homecoming;
pub mod hub;
pub mod pool;
pub mod reserve;
