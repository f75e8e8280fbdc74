//! Small reusable view pieces, one component per file. No business logic
//! here: components render what the model and the app state give them.

pub mod contact_due;
pub mod device_list;
pub mod device_summary;
pub mod empty_state;
pub mod enrol_form;
pub mod field_error;
pub mod file_transfer;
pub mod id_number_field;
pub mod issue_code_form;
pub mod lang_switch;
pub mod module_hub;
pub mod module_tile;
pub mod nav_bar;
pub mod notice;
pub mod page_header;
pub mod person_form;
pub mod person_list;
pub mod post_list;
pub mod record_conflicts;
pub mod record_history;
pub mod record_trail;
pub mod screen_header;
pub mod screen_tabs;
pub mod screen_tile;
pub mod shown_text;
pub mod sync_doc_row;
pub mod unit_figures;
pub mod unit_picker;
pub mod update_notice;
pub mod young_error;
pub mod young_field;
pub mod young_figure;
pub mod young_funnel;
pub mod young_locked;
pub mod young_save_state;
