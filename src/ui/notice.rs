//! A problem banner (role="alert"), e.g. when the browser's storage fails.

use crate::i18n::{Msg, t};
use leptos::prelude::*;

#[component]
pub fn Notice(msg: Msg) -> impl IntoView {
    view! { <p class="notice notice-error" role="alert">{t(msg)}</p> }
}
