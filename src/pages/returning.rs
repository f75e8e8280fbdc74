//! The 归雁 (returning geese) module: honorary secretaries, advisors, contact duty, investment.

use crate::components::empty_state::EmptyState;
use crate::components::page_header::PageHeader;
use crate::i18n::Msg;
use crate::routes::Route;
use leptos::prelude::*;

#[component]
pub fn ReturningPage() -> impl IntoView {
    view! {
        <PageHeader route=Route::Returning intro=Msg::ReturningIntro/>
        <EmptyState/>
    }
}
