//! The secretaries ranked last two years running and already adjusted:
//! the case, then the adjustment's date, who made it and why; tapping one
//! picks its assessment.

use leptos::prelude::*;
use yanzhen_model::Id;

use crate::i18n::t;
use crate::modules::lead::components::rank_adjust_case::RankAdjustCase;
use crate::modules::lead::messages::rank::RankMsg;
use crate::modules::lead::rank::rows::AdjustRow;
use crate::ui::empty_note::EmptyNote;

#[component]
pub fn RankAdjustDone(
    #[prop(into)] rows: Signal<Vec<AdjustRow>>,
    selected: RwSignal<Option<Id>>,
) -> impl IntoView {
    move || {
        let done = rows.get();
        if done.is_empty() {
            return view! { <EmptyNote id="adjust-none-done" msg=RankMsg::NoneDone small=true/> }
                .into_any();
        }
        view! {
            <ul class="adjust-list" id="adjust-done">
                {done
                    .into_iter()
                    .map(|r| {
                        let id = r.id.clone();
                        let a = r.adjustment.clone();
                        let data_id = r.id.as_str().to_owned();
                        view! {
                            <li class="adjusted-row" data-id=data_id on:click=move |_| selected.set(Some(id.clone()))>
                                <div class="adjust-line"><RankAdjustCase row=r/></div>
                                {a.map(|a| view! {
                                    <dl class="facts adjust-facts">
                                        <dt>{t(RankMsg::AdjustDate)}</dt>
                                        <dd class="adjust-date">{a.date.to_string()}</dd>
                                        <dt>{t(RankMsg::AdjustBy)}</dt>
                                        <dd class="adjust-by">{a.by}</dd>
                                        <dt>{t(RankMsg::AdjustReason)}</dt>
                                        <dd class="adjust-reason">{a.reason}</dd>
                                    </dl>
                                })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    }
}
