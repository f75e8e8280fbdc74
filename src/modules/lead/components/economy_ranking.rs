//! The villages ranked by collective income with each one's reward (base,
//! increment, ranking bonus, total); tapping a row picks the village. In
//! place of the table: loading, ranking incomplete (this tablet lacks some
//! villages), no policy that year, no incomes yet.

use leptos::prelude::*;
use yanzhen_model::Id;

use crate::i18n::t;
use crate::modules::lead::messages::rank::RankMsg;
use crate::modules::lead::rank::rows::{EconomyView, yuan};
use crate::ui::empty_note::EmptyNote;
use crate::ui::table::{Heads, Table};

#[component]
pub fn EconomyRanking(
    /// The district document is read.
    #[prop(into)]
    loaded: Signal<bool>,
    /// This tablet holds every village (else no ranking is shown).
    #[prop(into)]
    complete: Signal<bool>,
    /// The ranking (`None`: no policy that year).
    #[prop(into)]
    ranking: Signal<Option<Vec<EconomyView>>>,
    picked_unit: RwSignal<Option<Id>>,
    /// A village tapped: its unit id and its income record of the year.
    #[prop(into)]
    on_pick: Callback<(Id, Option<Id>)>,
) -> impl IntoView {
    move || {
        if !loaded.get() {
            return view! { <EmptyNote id="economy-state" msg=RankMsg::Loading/> }.into_any();
        }
        if !complete.get() {
            return view! { <p class="notice notice-info" id="economy-partial">{t(RankMsg::PartialRanking)}</p> }
                .into_any();
        }
        let Some(rows) = ranking.get() else {
            return view! { <EmptyNote id="economy-state" msg=RankMsg::NoPolicy small=true/> }
                .into_any();
        };
        if rows.is_empty() {
            return view! { <EmptyNote id="economy-state" msg=RankMsg::NoIncomes small=true/> }
                .into_any();
        }
        view! {
            <Table id="economy-table" class="plain-table rank-table economy-table" scroll="rank-scroll tall"
                rows=rows row=move |v: EconomyView| {
                    let unit = v.row.unit.clone();
                    let sel = unit.clone();
                    let income = v.income_id.clone();
                    let r = v.row.clone();
                    view! {
                        <tr
                            class="economy-row"
                            class:selected=move || picked_unit.get().as_ref() == Some(&sel)
                            data-unit=unit.as_str().to_owned()
                            data-rank=r.rank.to_string()
                            data-income=r.income_yuan.to_string()
                            data-total=r.reward.total_yuan().to_string()
                            on:click=move |_| on_pick.run((unit.clone(), income.clone()))
                        >
                            <td class="rank-no">{r.rank}</td>
                            <td>{v.name.clone()}</td>
                            <td class="num">{yuan(r.income_yuan)}</td>
                            <td class="num">{r.previous_yuan.map(yuan).unwrap_or_default()}</td>
                            <td class="num">{yuan(r.increase_yuan)}</td>
                            <td class="num">{yuan(r.reward.base_yuan)}</td>
                            <td class="num">{yuan(r.reward.increment_yuan)}</td>
                            <td class="num">{yuan(r.reward.top_bonus_yuan)}</td>
                            <td class="num"><strong>{yuan(r.reward.total_yuan())}</strong></td>
                        </tr>
                    }
                }
            >
                <Heads words=[RankMsg::RankCol, RankMsg::Unit]/>
                <Heads num=true words=[RankMsg::Income, RankMsg::Previous, RankMsg::Increase, RankMsg::BaseCol, RankMsg::IncrementCol, RankMsg::TopCol, RankMsg::TotalCol]/>
            </Table>
        }
        .into_any()
    }
}
