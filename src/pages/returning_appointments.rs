//! The ReturningAppointments screen (being built).

use crate::components::empty_state::EmptyState;
use crate::components::screen_header::ScreenHeader;
use crate::routes::Screen;
use leptos::prelude::*;

#[component]
pub fn ReturningAppointmentsPage() -> impl IntoView {
    view! {
        <ScreenHeader screen=Screen::ReturningAppointments/>
        <EmptyState/>
    }
}
