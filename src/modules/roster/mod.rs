//! The roster's pure logic (花名册 and 一人一档), kept out of the views so it
//! is unit-tested natively: search by name and pinyin ([`search`]), the
//! unit picker's choices ([`units`]), history rows and conflicts as shown ([`changes`]), form text ⇄ model records with field
//! errors ([`form`]), the names of fields and values ([`labels`]), model
//! writes on a synced document ([`write`]) and the tablet's roster choices
//! kept with gloo-storage ([`prefs`]). No Leptos here.

pub mod components;
pub mod form;
pub mod pages;
pub mod prefs;
pub mod search;
