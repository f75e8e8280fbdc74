//! Pure logic of the joint qualification review (资格联审) and secretary
//! filing (备案) screens: forms as typed and their conversion to model
//! records ([`form`]), the words for enum values and refusals ([`labels`]),
//! the rows the screens show ([`rows`]) and model writes on synced
//! documents ([`write`]). No view code here; the rules themselves are in
//! `yanzhen_model::review`.

pub mod form;
pub mod labels;
pub mod rows;
pub mod units;
pub mod write;
