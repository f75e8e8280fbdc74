//! The screens of 头雁, one file per route.

pub mod assessment;
pub mod commitments;
pub mod economy;
pub mod filing;
pub mod hub;
pub mod review;
