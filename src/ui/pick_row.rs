//! One row of a selectable table (`<tr>`): tapping it picks its record,
//! the picked row is marked `selected`; `data-id` carries the record id.
//! Further `data-*` attributes are given at the call (`attr:data-…`).

use leptos::prelude::*;
use yanzhen_model::Id;

#[component]
pub fn PickRow(
    /// The row's classes.
    class: &'static str,
    /// The record the row stands for.
    id: Id,
    /// The record picked on the screen.
    picked: RwSignal<Option<Id>>,
    children: Children,
) -> impl IntoView {
    let data_id = id.as_str().to_owned();
    let sel = id.clone();
    view! {
        <tr
            class=class
            class:selected=move || picked.with(|p| p.as_ref() == Some(&sel))
            data-id=data_id
            on:click=move |_| picked.set(Some(id.clone()))
        >
            {children()}
        </tr>
    }
}
