//! Pure logic of the 雏雁 screens (reserve cadres, reserve pool, home-coming,
//! career posts): forms as typed and their conversion to model records with
//! the problems placed at their fields ([`form`]), the words for values and
//! fields ([`labels`]), and the reactive reads the screens share ([`data`]:
//! one collection from every unit document here, whether a document may be
//! written on this tablet). The rules themselves are in
//! `yanzhen_model::young`.

pub mod components;
pub mod data;
pub mod form;
pub mod labels;
pub mod messages;
pub mod pages;
