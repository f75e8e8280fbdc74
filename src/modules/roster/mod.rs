//! The roster (花名册) and the person file (一人一档): search and filters of
//! the list ([`search`]), the unit last picked, kept with gloo-storage
//! ([`prefs`]), and the screens. The person and post forms and the name
//! search by pinyin are shared (`crate::data::person_form`,
//! `crate::data::pinyin`): the Excel import and the review read them too.

pub mod components;
pub mod pages;
pub mod prefs;
pub mod search;
