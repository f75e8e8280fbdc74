//! A module's hub page: its heading and introduction, then a tile for each
//! of its screens.

use crate::components::page_header::PageHeader;
use crate::components::screen_tile::ScreenTile;
use crate::i18n::Msg;
use crate::routes::{Route, Screen};
use leptos::prelude::*;

#[component]
pub fn ModuleHub(module: Route, intro: Msg) -> impl IntoView {
    let tiles = Screen::of(module)
        .map(|s| view! { <ScreenTile screen=s/> })
        .collect_view();
    view! {
        <PageHeader route=module intro=intro/>
        <div class="tiles screen-tiles">{tiles}</div>
    }
}
