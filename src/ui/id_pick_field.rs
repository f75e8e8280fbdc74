//! A labelled select of records or units by id (a person, a mentor, a
//! community), its first option "none picked", bound to an optional id,
//! with the field's message when the form is refused.

use leptos::prelude::*;
use yanzhen_model::Id;

use crate::i18n::{Text, t};
use crate::ui::field_error::FieldError;
use crate::ui::form_errors::FieldMap;

#[component]
pub fn IdPickField<M: Text, E: Text>(
    /// The select's element id.
    id: &'static str,
    label: M,
    /// The words of the first option (nothing picked); "—" without them.
    #[prop(optional)]
    none: Option<M>,
    /// The ids and their names, in the order shown.
    #[prop(into)]
    options: Signal<Vec<(Id, String)>>,
    value: RwSignal<Option<Id>>,
    errors: RwSignal<FieldMap<E>>,
    /// The model's field name its message is filed under (none: no message).
    #[prop(optional)]
    field: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{t(label)}</label>
            <select id=id on:change=move |ev| value.set(Id::parse(&event_target_value(&ev)))>
                <option value="" selected=move || value.get().is_none()>{none.map(t)}{none.is_none().then_some("—")}</option>
                {move || options.get().into_iter().map(|(oid, n)| {
                    let v = oid.as_str().to_owned();
                    view! { <option value=v selected=move || value.get().as_ref() == Some(&oid)>{n}</option> }
                }).collect_view()}
            </select>
            {field.map(|f| view! { <FieldError id=id field=f errors=errors/> })}
        </div>
    }
}
