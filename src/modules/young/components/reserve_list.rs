//! The list of a unit's reserve cadres (后备干部): one big row per cadre
//! (name, selected on, notes, outcome); tapping a row picks the cadre. In
//! place of the rows, why there are none (no unit, loading, none yet).

use leptos::prelude::*;
use yanzhen_model::Id;
use yanzhen_model::entities::ReserveCadre;

use crate::i18n::t;
use crate::modules::young::labels::outcome;
use crate::modules::young::messages::YoungMsg;
use crate::ui::empty_note::EmptyNote;
use crate::ui::pick_row::PickRow;

#[component]
pub fn ReserveList(
    /// Why there are no rows, if so.
    #[prop(into)]
    note: Signal<Option<YoungMsg>>,
    #[prop(into)] rows: Signal<Vec<ReserveCadre>>,
    picked: RwSignal<Option<Id>>,
) -> impl IntoView {
    move || {
        if let Some(msg) = note.get() {
            return view! { <EmptyNote id="reserve-state" msg=msg/> }.into_any();
        }
        view! {
            <p class="hint">{t(YoungMsg::RowHint)}</p>
            <div class="young-rows" id="reserve-list" data-count=move || rows.with(Vec::len).to_string()>
                <div class="young-row young-head">
                    <span>{t(YoungMsg::ColName)}</span>
                    <span>{t(YoungMsg::ColSelected)}</span>
                    <span>{t(YoungMsg::ColNotes)}</span>
                    <span>{t(YoungMsg::ColOutcome)}</span>
                </div>
                <For each=move || rows.get() key=|c| (c.id.clone(), c.log.len(), c.outcome) let:c>
                    <PickRow button=true class="young-row reserve-row" id=c.id.clone() picked=picked>
                        <span class="young-name">{c.name.clone()}</span>
                        <span>{c.selected.to_string()}</span>
                        <span>{c.log.len()}</span>
                        <span class=format!("young-outcome outcome-{:?}", c.outcome)>{t(outcome(c.outcome))}</span>
                    </PickRow>
                </For>
            </div>
        }
        .into_any()
    }
}
