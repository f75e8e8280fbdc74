//! One labelled input of a 归雁 form (text, tel, date), marked and followed
//! by its message when refused: the kit's [`TextField`], leaving the
//! browser's autofill as it is.

use leptos::prelude::*;

use crate::modules::returning::form::Errors;
use crate::modules::returning::messages::ReturningMsg;
use crate::ui::text_field::TextField;

#[component]
pub fn RetField(
    /// The input's element id.
    id: &'static str,
    /// The model's field name its problems are filed under.
    field: &'static str,
    label: ReturningMsg,
    value: RwSignal<String>,
    /// The input's type.
    kind: &'static str,
    errors: RwSignal<Errors>,
) -> impl IntoView {
    let autocomplete: Option<&'static str> = None;
    view! {
        <TextField id=id label=label field=field value=value errors=errors kind=kind autocomplete=autocomplete/>
    }
}
