//! The 雏雁 (young geese) module: reserve cadres, the reserve pool, home-coming, career posts.

use crate::components::empty_state::EmptyState;
use crate::components::page_header::PageHeader;
use crate::i18n::Msg;
use crate::routes::Route;
use leptos::prelude::*;

#[component]
pub fn YoungPage() -> impl IntoView {
    view! {
        <PageHeader route=Route::Young intro=Msg::YoungIntro/>
        <EmptyState/>
    }
}
