//! The view pieces of the roster and person screens, one component per file.

pub mod id_number_field;
pub mod person_form;
pub mod person_list;
pub mod post_list;
