//! One row of a list of records that picks its record when tapped: a
//! table row (`<tr>`), or with `button` a large button (tablet-first
//! lists). The picked row is marked `selected`; `data-id` carries the
//! record id. Further `data-*` attributes are given at the call
//! (`attr:data-…`).

use leptos::prelude::*;
use yanzhen_model::Id;

/// What makes an element pick its record: its `data-id`, whether it is
/// the picked one (for `class:selected`), and the tap that picks it.
pub fn picking(
    id: Id,
    picked: RwSignal<Option<Id>>,
) -> (
    String,
    impl Fn() -> bool + Send + Sync + 'static,
    impl Fn(leptos::ev::MouseEvent) + Send + Sync + 'static,
) {
    let data_id = id.as_str().to_owned();
    let (selected, pick) = choosing(id, picked);
    (data_id, selected, pick)
}

/// [`picking`] for any value a list picks (not only a record id): whether
/// `value` is the picked one, and the tap that picks it.
pub fn choosing<T: Clone + PartialEq + Send + Sync + 'static>(
    value: T,
    picked: RwSignal<Option<T>>,
) -> (
    impl Fn() -> bool + Send + Sync + 'static,
    impl Fn(leptos::ev::MouseEvent) + Send + Sync + 'static,
) {
    let sel = value.clone();
    (
        move || picked.with(|p| p.as_ref() == Some(&sel)),
        move |_| picked.set(Some(value.clone())),
    )
}

#[component]
pub fn PickRow(
    /// The row's classes.
    class: &'static str,
    /// The record the row stands for.
    id: Id,
    /// The record picked on the screen.
    picked: RwSignal<Option<Id>>,
    /// A large button (`type="button"`) instead of a table row.
    #[prop(optional)]
    button: bool,
    children: Children,
) -> impl IntoView {
    let (data_id, selected, pick) = picking(id, picked);
    if button {
        return view! {
            <button type="button" class=class class:selected=selected data-id=data_id on:click=pick>
                {children()}
            </button>
        }
        .into_any();
    }
    view! { <tr class=class class:selected=selected data-id=data_id on:click=pick>{children()}</tr> }.into_any()
}
