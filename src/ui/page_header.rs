//! A screen's heading (the route's name) and its one-paragraph introduction.

use crate::i18n::{Msg, t};
use crate::routes::Route;
use leptos::prelude::*;

#[component]
pub fn PageHeader(route: Route, intro: Msg) -> impl IntoView {
    view! {
        <header class="page-header">
            <h1 id="page-title">{t(route.title())}</h1>
            <p class="page-intro">{t(intro)}</p>
        </header>
    }
}
