//! The heading of a module's screen (its name, the module's tabs) and an
//! optional one-paragraph introduction.

use crate::i18n::t;
use crate::routes::Screen;
use crate::ui::screen_tabs::ScreenTabs;
use leptos::prelude::*;

#[component]
pub fn ScreenHeader(
    screen: Screen,
    #[prop(optional, into)] intro: Option<Signal<String>>,
) -> impl IntoView {
    view! {
        <header class="page-header">
            <ScreenTabs module=screen.module() current=screen/>
            <h1 id="page-title">{t(screen.title())}</h1>
            {intro.map(|i| view! { <p class="page-intro">{i}</p> })}
        </header>
    }
}
