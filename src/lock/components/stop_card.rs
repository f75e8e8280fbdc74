//! The card of a screen that stops the app until something is done (the
//! tablet was wiped, it must be enrolled again): its icon, title (`<id>-title`)
//! and why (`<id>-why`), then what the screen adds.

use leptos::prelude::*;

use crate::i18n::t;
use crate::lock::messages::LockMsg;

#[component]
pub fn StopCard(
    /// The screen's id prefix (`<id>-screen`, `<id>-title`, `<id>-why`).
    id: &'static str,
    /// The one character in the icon.
    icon: &'static str,
    title: LockMsg,
    why: LockMsg,
    children: Children,
) -> impl IntoView {
    view! {
        <main class="lock-screen" id=format!("{id}-screen")>
            <section class="card lock-card wiped-card" role="alert">
                <div class="lock-icon wiped-icon" aria-hidden="true">{icon}</div>
                <h1 id=format!("{id}-title")>{t(title)}</h1>
                <p id=format!("{id}-why")>{t(why)}</p>
                {children()}
            </section>
        </main>
    }
}
