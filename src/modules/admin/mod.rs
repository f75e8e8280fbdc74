//! The district admin's screen: devices (list, revoke) and enrolment codes.
//! The rules (roles, codes, enrolment) are in [`crate::access`].

pub mod components;
pub mod pages;
