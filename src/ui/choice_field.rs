//! A labelled select over every value of a closed list (`ALL` of a model
//! enum; the option values are the indices), bound to a signal, with the
//! value names in a module's words.

use leptos::prelude::*;

use crate::i18n::{Text, t};

#[component]
pub fn ChoiceField<T, M, L>(
    /// The select's element id.
    #[prop(into)]
    id: String,
    label: M,
    /// Every value, in the order shown.
    all: &'static [T],
    value: RwSignal<T>,
    /// A value's name.
    name: fn(T) -> L,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
    M: Text,
    L: Text,
{
    view! {
        <div class="field">
            <label for=id.clone()>{t(label)}</label>
            <select
                id=id
                on:change=move |ev| {
                    if let Some(v) = event_target_value(&ev).parse::<usize>().ok().and_then(|i| all.get(i)) {
                        value.set(*v);
                    }
                }
            >
                {all
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let v = *v;
                        view! { <option value=i.to_string() selected=move || value.get() == v>{t(name(v))}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
