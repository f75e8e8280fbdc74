//! One figure of a 群雁 card: the number (its id given, for the browser
//! tests) above its words.

use leptos::prelude::*;

use crate::i18n::t;
use crate::modules::flock::messages::FlockMsg;

#[component]
pub fn FlockFigure(
    /// The number's id.
    id: &'static str,
    label: FlockMsg,
    #[prop(into)] value: Signal<usize>,
) -> impl IntoView {
    view! {
        <div class="flock-figure">
            <strong id=id>{move || value.get()}</strong>
            <span>{t(label)}</span>
        </div>
    }
}
