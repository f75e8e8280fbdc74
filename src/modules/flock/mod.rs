//! Pure logic of the 群雁 screens (training, certificates, studios): forms,
//! validation of input, reads and writes through the model. No view code
//! here.
//!
//! * [`form`]: the session, certificate and placement forms ⇄ model records,
//!   with each problem at its field.
//! * [`labels`]: the words for the model's choices (kinds, levels, outcomes).
//! * [`names`]: how the shared record trail words 群雁 fields and values.
//! * [`rows`]: what the screens list (coverage gaps, sessions, attendance,
//!   workers, studios, placements), built from hydrated documents with the
//!   model's rules (`rules`, `flock`).
//! * [`write`]: model writes on a synced document (all or nothing).
//! * [`hooks`]: the screens' reactive reads (every unit document on the
//!   tablet, cached per revision; whether a document is writable here; who
//!   makes a change).

pub mod components;
pub mod form;
pub mod hooks;
pub mod labels;
pub mod messages;
pub mod names;
pub mod pages;
pub mod rows;
pub mod write;
