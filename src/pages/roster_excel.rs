//! The RosterExcel screen (being built).

use crate::components::empty_state::EmptyState;
use crate::components::screen_header::ScreenHeader;
use crate::routes::Screen;
use leptos::prelude::*;

#[component]
pub fn RosterExcelPage() -> impl IntoView {
    view! {
        <ScreenHeader screen=Screen::RosterExcel/>
        <EmptyState/>
    }
}
