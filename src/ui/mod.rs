//! The small UI kit every screen uses: headers, tabs, tiles, notices, the
//! field-error and save-state words (generic over a module's words), the
//! form pieces (text field, choice, id pick, save actions), the unit
//! picker, the empty states, and the frame of a screen downloaded when
//! first opened (`lazy_screen`).

pub mod choice_field;
pub mod detail_head;
pub mod empty_note;
pub mod empty_state;
pub mod field_error;
pub mod form_errors;
pub mod id_pick_field;
pub mod labelled_input;
pub mod lang_switch;
pub mod lazy_screen;
pub mod module_hub;
pub mod module_tile;
pub mod nav_bar;
pub mod notice;
pub mod opt_choice_field;
pub mod page_header;
pub mod paint_mark;
pub mod pick_button;
pub mod pick_row;
pub mod save_actions;
pub mod save_note;
pub mod screen_header;
pub mod screen_tabs;
pub mod screen_tile;
pub mod storage_alert;
pub mod table;
pub mod text_field;
pub mod unit_picker;
pub mod update_notice;
pub mod year_options;
