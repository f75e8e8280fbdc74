//! One labelled text field of a 雏雁 form (dates are typed as YYYY-MM-DD),
//! marked and followed by its message (id `<id>-error`, role="alert") when
//! what was typed is refused: the kit's [`TextField`] with 雏雁's keyboard
//! and date placeholder.

use leptos::prelude::*;

use crate::modules::young::form::YErrors;
use crate::modules::young::messages::YoungMsg;
use crate::ui::text_field::TextField;

#[component]
pub fn YoungField(
    /// The input's element id.
    id: &'static str,
    label: YoungMsg,
    /// The model's field name its problems are filed under.
    field: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<YErrors>,
    /// A date field (placeholder YYYY-MM-DD).
    #[prop(optional)]
    date: bool,
    /// Disabled (the tablet may not write).
    #[prop(optional, into)]
    disabled: Signal<bool>,
) -> impl IntoView {
    view! {
        <TextField
            id=id
            label=label
            field=field
            value=value
            errors=errors
            inputmode=if date { "numeric" } else { "text" }
            placeholder=if date { "YYYY-MM-DD" } else { "" }
            disabled=disabled
        />
    }
}
