//! The screen for an address that matches no route.

use crate::i18n::{Msg, t};
use crate::routes::Route;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <header class="page-header">
            <h1 id="page-title">{t(Msg::NotFoundTitle)}</h1>
            <p class="page-intro">{t(Msg::NotFoundBody)}</p>
        </header>
        <A href=Route::Home.path() attr:class="button">{t(Msg::BackHome)}</A>
    }
}
