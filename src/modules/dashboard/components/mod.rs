//! The view pieces of the dashboard, Excel and print screens, one component per file.

pub mod bar_rows;
pub mod compliance;
pub mod coverage;
pub mod excel_export;
pub mod excel_help;
pub mod excel_import;
pub mod figure_cards;
pub mod filters;
pub mod funnel;
pub mod print_page;
pub mod print_sections;
pub mod print_toolbar;
pub mod unit_figures;
