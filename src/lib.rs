//! The Yanzhen (雁阵) web app: a Leptos client-side-rendered single-page app
//! for village and community offices and the district organisation
//! department. Only this crate knows Leptos; domain rules live in
//! `yanzhen-model`, the sync protocol in `yanzhen-sync`.
//!
//! Layout (see ARCHITECTURE.md): the shell — [`app`] (root component,
//! layout, router), [`routes`] (the typed route table), [`i18n`] (zh-CN
//! first, English second), [`settings`] (small settings kept with
//! gloo-storage) and [`pages`] (home, settings, sync status); the shared
//! layers — [`data`] (documents, writes, saves, clock, ids, person form,
//! pinyin), [`ui`] (the UI kit), [`trail`] (history and conflicts of any
//! record), [`sync`] (IndexedDB, the repo, the WebSocket link, files),
//! [`lock`] (personal data encrypted at rest: office PIN, unlock,
//! auto-lock, wipe on revoke) and [`access`] (enrolment, roles, documents
//! per device); and [`modules`], one folder per programme module (roster,
//! lead, flock, returning, young, dashboard, admin), each with its words,
//! pure logic, pages and components.

pub mod access;
pub mod app;
pub mod data;
pub mod i18n;
pub mod lock;
pub mod modules;
pub mod pages;
pub mod routes;
pub mod settings;
pub mod sync;
pub mod trail;
pub mod ui;
