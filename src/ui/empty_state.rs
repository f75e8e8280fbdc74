//! What a module screen shows while this tablet holds none of its records.

use crate::i18n::{Msg, t};
use leptos::prelude::*;

#[component]
pub fn EmptyState() -> impl IntoView {
    view! { <p class="empty-state">{t(Msg::ModuleNoRecords)}</p> }
}
