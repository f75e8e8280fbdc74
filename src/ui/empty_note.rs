//! One line in place of a list or table that has nothing to show yet (no
//! unit picked, still loading, no records), in a module's words: `<p
//! class="empty-state">` with the screen's id (the browser tests wait on
//! it), `small` inside a card.

use leptos::prelude::*;

use crate::i18n::{Text, t};

#[component]
pub fn EmptyNote<M: Text>(
    /// The words shown.
    msg: M,
    /// The element id, if the screen names it.
    #[prop(optional)]
    id: Option<&'static str>,
    /// The smaller variant (inside a card or a detail).
    #[prop(optional)]
    small: bool,
) -> impl IntoView {
    view! { <p class="empty-state" class:small=small id=id>{t(msg)}</p> }
}
