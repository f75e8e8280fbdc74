//! Pure logic of the 归雁 screens (appointments, contact duty, investment
//! leads, rural talent): labels of the model's enums ([`labels`]), forms as
//! typed and their conversion to model records with field errors
//! ([`form`]), table rows ([`rows`]) and chart geometry ([`chart`]). The
//! rules themselves live in `yanzhen_model::returning`. [`data`] is the
//! screens' reactive plumbing (which unit documents are here, today's date,
//! validated writes through the sync layer); no rules there.

pub mod chart;
pub mod components;
pub mod data;
pub mod form;
pub mod labels;
pub mod messages;
pub mod pages;
pub mod rows;
