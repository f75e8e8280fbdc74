//! The roster (花名册): the unit's people and their files (一人一档).

use crate::components::empty_state::EmptyState;
use crate::components::page_header::PageHeader;
use crate::i18n::Msg;
use crate::routes::Route;
use leptos::prelude::*;

#[component]
pub fn RosterPage() -> impl IntoView {
    view! {
        <PageHeader route=Route::Roster intro=Msg::RosterIntro/>
        <EmptyState/>
    }
}
