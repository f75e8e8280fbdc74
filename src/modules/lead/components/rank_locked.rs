//! Why an action is not offered on this tablet (its role cannot write the
//! document), in plain words, in place of the form.

use leptos::prelude::*;

use crate::i18n::t;
use crate::modules::lead::messages::rank::RankMsg;

#[component]
pub fn RankLocked(id: &'static str, msg: RankMsg) -> impl IntoView {
    view! { <p class="notice notice-info rank-locked" id=id role="note">{t(msg)}</p> }
}
