//! The button in a table row that opens the row's record: it picks `id`
//! into `picked`, in the module's words.

use leptos::prelude::*;
use yanzhen_model::Id;

use crate::i18n::{Text, t};

#[component]
pub fn PickButton<M: Text>(
    /// The button's classes.
    class: &'static str,
    /// The row's record.
    id: Id,
    /// The record open on the screen.
    picked: RwSignal<Option<Id>>,
    /// The button's words.
    msg: M,
) -> impl IntoView {
    view! {
        <button type="button" class=class on:click=move |_| picked.set(Some(id.clone()))>
            {t(msg)}
        </button>
    }
}
