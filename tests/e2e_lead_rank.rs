//! End-to-end tests of a module's screens (being built).

mod support;
