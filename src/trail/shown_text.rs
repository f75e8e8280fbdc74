//! A value as the roster shows it: translated words, or text as stored.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::trail::changes::Shown;

#[component]
pub fn ShownText(value: Shown) -> impl IntoView {
    let i18n = use_i18n();
    move || value.text(i18n.lang.get())
}
