//! Yanzhen's domain model: the records of the 群雁工程 programme, their
//! validation, the programme's rules and their mapping onto Automerge
//! documents. No IO, no Leptos, no tokio: this crate is what the programme
//! *is*, shared by the web app, the sync layer and the server.
//!
//! * [`entities`]: the records; [`ids`], [`date`]: ids and dates.
//! * [`store`]: the document partition ([`store::UnitDocument`],
//!   [`store::DistrictDocument`]) and validated writes.
//! * [`validate`]: validation errors and their message keys.
//! * [`history`]: conflicts, resolution, per-record history.
//! * [`authorship`]: the rule that a change names the device that sent it.
//! * [`rules`], [`figures`]: programme rules as pure functions; [`flock`]:
//!   the 群雁 screens' rules (coverage gaps, attendance taps, studios).
//! * [`rules`], [`figures`]: programme rules as pure functions.
//! * [`review`]: the joint qualification review and secretary filing.
//! * [`rules`], [`figures`]: programme rules as pure functions;
//!   [`breakdown`]: the dashboard's per-township and per-village views.
//! * [`bulk`]: many records in one validated change (spreadsheet imports).
//! * [`returning`]: 归雁 rules (appointment checks, the contact-due list,
//!   compliance, advancing leads, the talent register).
//! * [`young`]: 雏雁 rules (reserve funnel, pool, home-coming moves, career posts).
//! * [`demo`]: the deterministic demo district.
//! * [`whole`]: a whole document read in one pass (fast hydration).
//! * [`sorting`]: stable sorting with one copy of the sort code (a smaller
//!   wasm).

pub mod authorship;
pub mod breakdown;
pub mod bulk;
pub mod city;
pub mod date;
pub mod demo;
pub mod entities;
pub mod figures;
pub mod flock;
pub mod history;
pub mod ids;
pub mod migrate;
pub mod rank;
pub mod returning;
pub mod review;
pub mod rules;
pub mod sorting;
pub mod store;
pub mod validate;
pub mod whole;
pub mod young;

pub use date::Date;
pub use ids::{DocId, Id};
pub use store::{ChangeMeta, DistrictDocument, ModelError, UnitDocument};
