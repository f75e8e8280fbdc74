//! A horizontal progress bar with its percentage (0–100) in words.

use leptos::prelude::*;

#[component]
pub fn RankProgressBar(#[prop(into)] pct: Signal<u32>) -> impl IntoView {
    let width = move || format!("width: {}%", pct.get().min(100));
    view! {
        <span class="rank-progress" data-pct=move || pct.get().to_string()>
            <span class="rank-progress-track"><span class="rank-progress-fill" style=width></span></span>
            <span class="rank-progress-text">{move || format!("{}%", pct.get())}</span>
        </span>
    }
}
