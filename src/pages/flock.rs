//! The 群雁 (flock) module: training, certificates and mentoring.

use crate::components::empty_state::EmptyState;
use crate::components::page_header::PageHeader;
use crate::i18n::Msg;
use crate::routes::Route;
use leptos::prelude::*;

#[component]
pub fn FlockPage() -> impl IntoView {
    view! {
        <PageHeader route=Route::Flock intro=Msg::FlockIntro/>
        <EmptyState/>
    }
}
