//! A large, touchable tile linking to one screen of a module from the
//! module's hub page.

use crate::i18n::t;
use crate::routes::Screen;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn ScreenTile(screen: Screen) -> impl IntoView {
    view! {
        <A href=screen.path() attr:class="tile" attr:data-screen=screen.segment()>
            <span class="tile-title">{t(screen.title())}</span>
        </A>
    }
}
