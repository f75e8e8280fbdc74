//! The 群雁 screens' reactive reads (no rules here): every unit document
//! on the tablet hydrated once per revision (a district tablet holds ~100),
//! whether this tablet may write a document (the server's grant: a village
//! tablet writes its own unit document and only reads the district's), who
//! makes a change, and today's date from the browser's clock.

use std::sync::Arc;

use leptos::prelude::*;
use yanzhen_model::store::UnitData;

use crate::sync::repo::SyncContext;

/// Every unit document on this tablet, from the app's shared memo (each
/// hydrated once per revision for every screen).
pub fn all_units(_sync: SyncContext) -> Memo<Vec<Arc<UnitData>>> {
    let shared = crate::data::units::use_units();
    Memo::new(move |_| shared.with(|u| u.iter().map(|u| u.data.clone()).collect()))
}
