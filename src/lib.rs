//! The Yanzhen (雁阵) web app: a Leptos client-side-rendered single-page app
//! for village and community offices and the district organisation
//! department. Only this crate knows Leptos; domain rules live in
//! `yanzhen-model`, the sync protocol in `yanzhen-sync`.
//!
//! Layout: [`access`] (enrolment, roles, documents per device; pure),
//! [`routes`] (the typed route table), [`i18n`] (zh-CN first, English
//! second), [`settings`] (small settings kept with gloo-storage), [`app`] (the
//! root component and layout), `pages/` (one file per screen) and
//! `components/` (small reusable pieces, one per file), [`roster`] (the
//! roster's pure logic: search, forms, model reads and writes), and the same
//! kind of pure logic per module: [`review`] (资格联审, 备案), [`rank`]
//! (考核, 承诺, 集体经济, 薪酬), [`flock`], [`young`], [`returning`] and
//! [`dash`] (dashboard, Excel, print); [`lock`] keeps personal data encrypted
//! at rest (office PIN, unlock, auto-lock, wipe on revoke).

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
