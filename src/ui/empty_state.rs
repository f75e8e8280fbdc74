//! What a module screen shows while this tablet holds none of its records.

use crate::i18n::Msg;
use crate::ui::empty_note::EmptyNote;
use leptos::prelude::*;

#[component]
pub fn EmptyState() -> impl IntoView {
    view! { <EmptyNote msg=Msg::ModuleNoRecords/> }
}
