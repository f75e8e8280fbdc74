//! One secretary ranked last two years running: name, unit and group, the
//! two years.

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};
use crate::modules::lead::messages::rank::RankMsg;
use crate::modules::lead::rank::rows::AdjustRow;

#[component]
pub fn RankAdjustCase(row: AdjustRow) -> impl IntoView {
    let i18n = use_i18n();
    let unknown = move || RankMsg::Unknown.text(i18n.lang.get()).to_owned();
    let name = row.name.clone();
    view! {
        <span class="adjust-name">{move || name.clone().unwrap_or_else(unknown)}</span>
        <span class="adjust-unit">{format!("{} · {}", row.unit, row.group)}</span>
        <span class="adjust-years">{t(RankMsg::BottomYears)} " " {format!("{}–{}", row.years.0, row.years.1)}</span>
    }
}
