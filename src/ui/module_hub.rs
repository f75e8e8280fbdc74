//! A module's hub page: its heading and introduction, then a tile for each
//! of its screens.

use crate::i18n::Msg;
use crate::routes::{Route, Screen};
use crate::ui::page_header::PageHeader;
use crate::ui::screen_tile::ScreenTile;
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
