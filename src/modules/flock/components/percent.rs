//! A share as the big figure of a 群雁 card: the percent above its words,
//! then how many of how many (the caller adds the `data-*` attributes the
//! browser tests read).

use leptos::prelude::*;

use crate::i18n::t;
use crate::modules::flock::messages::FlockMsg;

#[component]
pub fn FlockPercent(
    id: &'static str,
    /// The percent as shown (without the sign).
    #[prop(into)]
    percent: Signal<String>,
    label: FlockMsg,
    /// The part's words and number.
    part: FlockMsg,
    #[prop(into)] part_count: Signal<usize>,
    /// The whole's words and number.
    whole: FlockMsg,
    #[prop(into)] whole_count: Signal<usize>,
) -> impl IntoView {
    view! {
        <div class="flock-figure" id=id>
            <strong>{move || format!("{}%", percent.get())}</strong>
            <span>{t(label)}</span>
            <small>
                {t(part)} " " {move || part_count.get()}
                " / " {t(whole)} " " {move || whole_count.get()}
            </small>
        </div>
    }
}
