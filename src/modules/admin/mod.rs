//! The district admin's screen: devices (list, revoke) and enrolment codes;
//! the city admin's districts screen (list, create, district-admin codes)
//! and its calls ([`district_api`]).
//! The rules (roles, codes, enrolment) are in [`crate::access`].

pub mod components;
pub mod district_api;
pub mod pages;
