//! The navigation rail (landscape) or bar (portrait): brand, one link per
//! route, and the language switch.

use crate::components::lang_switch::LangSwitch;
use crate::i18n::{Msg, t};
use crate::routes::Route;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NavBar() -> impl IntoView {
    view! {
        <nav class="nav" aria-label=t(Msg::NavLabel)>
            <div class="nav-brand">
                <span class="nav-logo" aria-hidden="true">"雁"</span>
                <span class="nav-name">{t(Msg::AppName)}</span>
            </div>
            <ul class="nav-links">
                {Route::ALL
                    .into_iter()
                    .map(|route| {
                        view! {
                            <li>
                                <A href=route.path() attr:class="nav-link" attr:data-route=route.segment()>
                                    <span class="nav-icon" aria-hidden="true">{route.icon()}</span>
                                    <span class="nav-text">{t(route.title())}</span>
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <LangSwitch/>
        </nav>
    }
}
