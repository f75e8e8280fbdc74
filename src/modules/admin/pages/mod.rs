//! The admin screens: the district admin's and the city admin's districts.

pub mod admin;
pub mod districts;
