//! The head of a card listing district records: its title, then the
//! button that starts a new record, or, where this tablet may only read
//! the district document, the reason.

use leptos::prelude::*;

use crate::i18n::t;
use crate::modules::flock::messages::FlockMsg;

#[component]
pub fn FlockCardHead(
    /// This tablet may write the district document.
    #[prop(into)]
    writable: Signal<bool>,
    /// The id of the reason shown instead of the button.
    readonly_id: &'static str,
    button_id: &'static str,
    /// The button's words.
    label: FlockMsg,
    on_new: Callback<()>,
    /// The title (`<h2>`).
    children: Children,
) -> impl IntoView {
    view! {
        <div class="card-head">
            <h2>{children()}</h2>
            <Show
                when=move || writable.get()
                fallback=move || view! { <p class="notice notice-info" id=readonly_id>{t(FlockMsg::ReadOnlyDistrict)}</p> }
            >
                <button type="button" class="button primary" id=button_id on:click=move |_| on_new.run(())>
                    {t(label)}
                </button>
            </Show>
        </div>
    }
}
