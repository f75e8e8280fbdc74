//! The FlockStudios screen (being built).

use crate::components::empty_state::EmptyState;
use crate::components::screen_header::ScreenHeader;
use crate::routes::Screen;
use leptos::prelude::*;

#[component]
pub fn FlockStudiosPage() -> impl IntoView {
    view! {
        <ScreenHeader screen=Screen::FlockStudios/>
        <EmptyState/>
    }
}
