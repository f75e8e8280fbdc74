//! A large, touchable tile linking to one programme module from home.

use crate::i18n::{Msg, t};
use crate::routes::Route;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn ModuleTile(route: Route, summary: Msg) -> impl IntoView {
    view! {
        <A href=route.path() attr:class="tile" attr:data-route=route.segment()>
            <span class="tile-icon" aria-hidden="true">{route.icon()}</span>
            <span class="tile-title">{t(route.title())}</span>
            <span class="tile-summary">{t(summary)}</span>
        </A>
    }
}
