//! Small reusable view pieces, one component per file. No business logic
//! here: components render what the model and the app state give them.

pub mod device_summary;
pub mod empty_state;
pub mod enrol_form;
pub mod field_error;
pub mod file_transfer;
pub mod lang_switch;
pub mod lock_enrol_again;
pub mod lock_set_pin;
pub mod lock_settings;
pub mod lock_unlock;
pub mod lock_wiped;
pub mod module_hub;
pub mod module_tile;
pub mod nav_bar;
pub mod notice;
pub mod page_header;
pub mod paint_mark;
pub mod record_conflicts;
pub mod record_history;
pub mod record_trail;
pub mod save_note;
pub mod screen_header;
pub mod screen_tabs;
pub mod screen_tile;
pub mod shown_text;
pub mod storage_alert;
pub mod sync_doc_row;
pub mod unit_picker;
pub mod update_notice;
