//! The small UI kit every screen uses: headers, tabs, tiles, notices, the
//! field-error and save-state words (generic over a module's words), the unit
//! picker, the empty state.

pub mod empty_state;
pub mod field_error;
pub mod form_errors;
pub mod lang_switch;
pub mod module_hub;
pub mod module_tile;
pub mod nav_bar;
pub mod notice;
pub mod page_header;
pub mod paint_mark;
pub mod save_note;
pub mod screen_header;
pub mod screen_tabs;
pub mod screen_tile;
pub mod storage_alert;
pub mod unit_picker;
pub mod update_notice;
