//! One big figure of a 雏雁 screen: the number (id given, also in
//! `data-count`) above its label.

use leptos::prelude::*;

use crate::i18n::t;
use crate::modules::young::messages::YoungMsg;

#[component]
pub fn YoungFigure(
    id: &'static str,
    label: YoungMsg,
    #[prop(into)] value: Signal<usize>,
    /// Highlighted (the figure the screen is about).
    #[prop(optional)]
    main: bool,
) -> impl IntoView {
    view! {
        <div class="young-figure" class:main=main>
            <strong id=id data-count=move || value.get().to_string()>{move || value.get()}</strong>
            <span>{t(label)}</span>
        </div>
    }
}
