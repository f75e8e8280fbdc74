//! The head of a record's detail card: its title (given as children) and
//! the close button (`#<close_id>`), in a module's words.

use leptos::prelude::*;

use crate::i18n::{Text, t};

#[component]
pub fn DetailHead<M: Text>(
    /// The close button's element id.
    close_id: &'static str,
    /// The close button's words.
    close: M,
    /// What closing does (usually: nothing picked).
    #[prop(into)]
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="card-head">
            {children()}
            <button type="button" class="button" id=close_id on:click=move |_| on_close.run(())>
                {t(close)}
            </button>
        </div>
    }
}
