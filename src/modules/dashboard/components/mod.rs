//! The view pieces of the dashboard, Excel and print screens, one component per file.

pub mod bar_rows;
pub mod city_scope;
pub mod city_table;
pub mod compliance;
pub mod coverage;
pub mod dash_charts;
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
