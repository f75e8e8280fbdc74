//! Pure logic of the dashboard, Excel import/export and the A4 print
//! layouts (no view code here):
//!
//! * [`data`]: the documents the dashboard reads, once per revision;
//! * [`figures`]: the reference figures as rows (key, label, value);
//! * [`city`]: the city dashboard's table and charts' data (a column per
//!   district and one for the city, computed from the records);
//! * [`charts`]: geometry of the inline SVG charts;
//! * [`excel`]: sheets ⇄ `.xlsx` (our `yanzhen_xlsx` codec) and `.csv`;
//! * [`roster_sheet`]: the roster's columns, export rows and the import
//!   plan (row-by-row problems, all or nothing);
//! * [`registers`]: every register as a sheet; [`export`]: the scope,
//!   sheets and file name of an export;
//! * [`print`]: what the print layouts show.

pub mod charts;
pub mod city;
pub mod components;
pub mod data;
pub mod excel;
pub mod export;
pub mod figures;
pub mod messages;
pub mod pages;
pub mod print;
pub mod registers;
pub mod roster_sheet;
