//! Pure logic of the annual assessment, commitment / duty-report and
//! collective-economy / pay screens: forms as typed and their conversion to
//! model records with messages by field ([`form`]), rows and labels for the
//! tables ([`rows`]), and model writes on synced documents ([`write`]).
//! No view code here; the rules themselves are in `yanzhen_model::rank`.

pub mod data;
pub mod form;
pub mod rows;
pub mod write;
