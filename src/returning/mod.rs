//! Pure logic of the 归雁 screens (appointments, contact duty, investment
//! leads, rural talent): labels of the model's enums ([`labels`]), forms as
//! typed and their conversion to model records with field errors
//! ([`form`]), table rows ([`rows`]), chart geometry ([`chart`]) and
//! validated writes on synced documents ([`write`]). The rules themselves
//! live in `yanzhen_model::returning`. [`data`] is the screens' reactive
//! plumbing (which unit documents are here, today's date); no rules there.

pub mod chart;
pub mod data;
pub mod form;
pub mod labels;
pub mod rows;
pub mod write;
