//! The screens of the dashboard, Excel and print, one file per route.

pub mod city;
pub mod dashboard;
pub mod excel;
pub mod print_filing;
pub mod print_person;
