//! The view pieces of the admin screen, one component per file.

pub mod device_list;
pub mod issue_code_form;
