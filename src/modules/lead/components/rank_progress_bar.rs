//! A horizontal progress bar (the browser's own `<progress>`) with its
//! percentage (0–100) in words.

use leptos::prelude::*;

#[component]
pub fn RankProgressBar(#[prop(into)] pct: Signal<u32>) -> impl IntoView {
    view! {
        <span class="rank-progress" data-pct=move || pct.get().to_string()>
            <progress class="rank-progress-bar" max="100" value=move || pct.get().min(100).to_string()></progress>
            <span class="rank-progress-text">{move || format!("{}%", pct.get())}</span>
        </span>
    }
}
