//! Why this tablet is offered no action here, in plain words (shown instead
//! of a form the server would refuse).

use leptos::prelude::*;

use crate::i18n::t;
use crate::modules::young::messages::YoungMsg;

#[component]
pub fn YoungLocked(id: &'static str, reason: YoungMsg) -> impl IntoView {
    view! { <p class="notice notice-info young-locked" id=id role="note">{t(reason)}</p> }
}
