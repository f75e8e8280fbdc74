//! The district dashboard: the programme's reference figures computed from records.

use crate::components::empty_state::EmptyState;
use crate::components::page_header::PageHeader;
use crate::i18n::Msg;
use crate::routes::Route;
use leptos::prelude::*;

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <PageHeader route=Route::Dashboard intro=Msg::DashboardIntro/>
        <EmptyState/>
    }
}
