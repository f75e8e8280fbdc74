//! The roster's pure logic (花名册 and 一人一档), kept out of the views so it
//! is unit-tested natively: search by name and pinyin ([`search`]), the
//! unit picker's choices ([`units`]), history rows and conflicts as shown ([`changes`]), form text ⇄ model records with field
//! errors ([`form`]), the names of fields and values ([`labels`]), model
//! writes on a synced document ([`write`]) and the tablet's roster choices
//! kept with gloo-storage ([`prefs`]). No Leptos here.

// The model's `ModelError` is large (it wraps Automerge's errors); results
// carrying it are the model's own API shape.
#[allow(clippy::result_large_err)]
pub mod changes;
pub mod components;
pub mod form;
pub mod labels;
pub mod pages;
pub mod prefs;
pub mod search;
pub mod units;
#[allow(clippy::result_large_err)]
pub mod write;
