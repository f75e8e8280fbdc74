//! The 头雁 (lead geese) module: choosing and supervising unit leaders.

use crate::components::empty_state::EmptyState;
use crate::components::page_header::PageHeader;
use crate::i18n::Msg;
use crate::routes::Route;
use leptos::prelude::*;

#[component]
pub fn LeadPage() -> impl IntoView {
    view! {
        <PageHeader route=Route::Lead intro=Msg::LeadIntro/>
        <EmptyState/>
    }
}
