//! The toolbar above a print layout (hidden when printing): back to the
//! person file, and "print" (`window.print()`: print or save as PDF).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::t;
use crate::modules::dashboard::messages::DashMsg;

#[component]
pub fn PrintToolbar(
    /// Where "back" goes.
    #[prop(into)]
    back: Signal<String>,
) -> impl IntoView {
    let print = move |_| {
        #[cfg(target_arch = "wasm32")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <div class="print-toolbar no-print">
            <A href=move || back.get() attr:class="button back" attr:id="print-back">{t(DashMsg::PrintBack)}</A>
            <button type="button" class="button primary" id="print-button" on:click=print>{t(DashMsg::PrintButton)}</button>
            <span class="hint">{t(DashMsg::PrintHint)}</span>
        </div>
    }
}
