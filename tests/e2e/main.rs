//! The browser end-to-end tests, one test binary (feature `e2e`; `cargo
//! xtask test` builds the app and sets the paths [`support`] reads): the
//! real server binary, chromedriver and headless Chromium, one module per
//! area of the app. Every test starts its own server (a free port, a fresh
//! data directory) and its own chromedriver and browser profile, so the
//! tests run in parallel as libtest schedules them (`dashboard` keeps its
//! two tests one after the other).

mod support;

mod city;
mod dashboard;
mod enrol;
mod faults;
mod file;
mod flock;
mod lead_rank;
mod lead_review;
mod lock;
mod offline;
mod returning;
mod roster;
mod shell;
mod split;
mod two_tablets;
mod young;
