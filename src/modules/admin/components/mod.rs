//! The view pieces of the admin screen, one component per file.

pub mod device_list;
pub mod district_form;
pub mod district_list;
pub mod issue_code_form;
pub mod issued_code;
