//! The tabs of a module's screens (资格联审, 书记备案, …): large touch
//! targets, the current screen marked.

use crate::i18n::{Msg, t};
use crate::routes::{Route, Screen};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn ScreenTabs(module: Route, #[prop(optional)] current: Option<Screen>) -> impl IntoView {
    let tabs = Screen::of(module)
        .map(|s| {
            let class = if Some(s) == current {
                "screen-tab current"
            } else {
                "screen-tab"
            };
            view! {
                <A href=s.path() attr:class=class attr:data-screen=s.segment()>
                    {t(s.title())}
                </A>
            }
        })
        .collect_view();
    view! {
        <nav class="screen-tabs" aria-label=t(Msg::ScreenTabsLabel)>
            {tabs}
        </nav>
    }
}
