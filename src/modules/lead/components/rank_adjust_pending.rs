//! The secretaries ranked last two years running and not adjusted yet:
//! tapping one picks its assessment; on a tablet that may write, the adjust
//! button opens the adjust form (given as children) under the row.

use leptos::prelude::*;
use yanzhen_model::Id;

use crate::i18n::t;
use crate::modules::lead::components::rank_adjust_case::RankAdjustCase;
use crate::modules::lead::messages::rank::RankMsg;
use crate::modules::lead::rank::rows::AdjustRow;
use crate::ui::empty_note::EmptyNote;

#[component]
pub fn RankAdjustPending(
    #[prop(into)] rows: Signal<Vec<AdjustRow>>,
    selected: RwSignal<Option<Id>>,
    /// The assessment whose adjust form is open.
    adjusting: RwSignal<Option<Id>>,
    #[prop(into)] may_write: Signal<bool>,
    /// Opens the adjust form of an assessment.
    #[prop(into)]
    on_open: Callback<Id>,
    /// The adjust form.
    children: ChildrenFn,
) -> impl IntoView {
    let form = StoredValue::new(children);
    move || {
        let pending = rows.get();
        if pending.is_empty() {
            return view! { <EmptyNote id="adjust-none-pending" msg=RankMsg::NonePending small=true/> }
                .into_any();
        }
        view! {
            <ul class="adjust-list" id="adjust-pending">
                {pending
                    .into_iter()
                    .map(|r| {
                        let id = r.id.clone();
                        let open = r.id.clone();
                        let is_open = r.id.clone();
                        let data_id = r.id.as_str().to_owned();
                        view! {
                            <li class="adjust-row" data-id=data_id>
                                <div class="adjust-line" on:click=move |_| selected.set(Some(id.clone()))>
                                    <RankAdjustCase row=r/>
                                    {move || {
                                        if may_write.get() {
                                            let open = open.clone();
                                            view! {
                                                <button type="button" class="button adjust-open" on:click=move |ev| {
                                                    ev.stop_propagation();
                                                    on_open.run(open.clone());
                                                }>{t(RankMsg::Adjust)}</button>
                                            }
                                            .into_any()
                                        } else {
                                            ().into_any()
                                        }
                                    }}
                                </div>
                                <Show when=move || adjusting.get().as_ref() == Some(&is_open)>
                                    {form.with_value(|f| f())}
                                </Show>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    }
}
