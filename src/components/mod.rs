//! Small reusable view pieces, one component per file. No business logic
//! here: components render what the model and the app state give them.

pub mod empty_state;
pub mod lang_switch;
pub mod module_tile;
pub mod nav_bar;
pub mod notice;
pub mod page_header;
pub mod sync_doc_row;
pub mod update_notice;
