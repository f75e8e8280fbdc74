//! The LeadReview screen (being built).

use crate::components::empty_state::EmptyState;
use crate::components::screen_header::ScreenHeader;
use crate::routes::Screen;
use leptos::prelude::*;

#[component]
pub fn LeadReviewPage() -> impl IntoView {
    view! {
        <ScreenHeader screen=Screen::LeadReview/>
        <EmptyState/>
    }
}
