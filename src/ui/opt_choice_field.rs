//! A labelled select over every value of a closed list that starts with
//! nothing chosen ("—"; the option values are the indices), bound to an
//! optional value, with the field's message when the form is refused.

use leptos::prelude::*;

use crate::i18n::{Text, t};
use crate::ui::field_error::FieldError;
use crate::ui::form_errors::FieldMap;

#[component]
pub fn OptChoiceField<T, M, L, E>(
    /// The select's element id.
    id: &'static str,
    label: M,
    /// Every value, in the order shown.
    all: &'static [T],
    value: RwSignal<Option<T>>,
    /// A value's name.
    name: fn(T) -> L,
    errors: RwSignal<FieldMap<E>>,
    /// The model's field name its message is filed under.
    field: &'static str,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
    M: Text,
    L: Text,
    E: Text,
{
    view! {
        <div class="field">
            <label for=id>{t(label)}</label>
            <select
                id=id
                on:change=move |ev| {
                    value.set(event_target_value(&ev).parse::<usize>().ok().and_then(|i| all.get(i)).copied());
                }
            >
                <option value="" selected=move || value.get().is_none()>"—"</option>
                {all.iter().enumerate().map(|(i, v)| {
                    let v = *v;
                    view! { <option value=i.to_string() selected=move || value.get() == Some(v)>{t(name(v))}</option> }
                }).collect_view()}
            </select>
            <FieldError id=id field=field errors=errors/>
        </div>
    }
}
