//! Small reusable view pieces, one component per file. No business logic
//! here: components render what the model and the app state give them.

pub mod device_summary;
pub mod enrol_form;
pub mod file_transfer;
pub mod sync_doc_row;
