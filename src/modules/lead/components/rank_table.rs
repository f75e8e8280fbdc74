//! The ranking of one group and year (年度考核): rank, name, unit, score,
//! grade, votes and whether the rank is shared or adjusted; tapping a row
//! picks its assessment. The tie rule under the table; in place of the
//! table, why there is none (loading, no assessments).

use leptos::prelude::*;
use yanzhen_model::Id;

use crate::i18n::{t, use_i18n};
use crate::modules::lead::messages::rank::RankMsg;
use crate::modules::lead::rank::form::format_score;
use crate::modules::lead::rank::rows::{RankRow, grade_msg};
use crate::ui::empty_note::EmptyNote;
use crate::ui::pick_row::picking;

#[component]
pub fn RankTable(
    /// The district document is read.
    #[prop(into)]
    loaded: Signal<bool>,
    #[prop(into)] ranking: Signal<Vec<RankRow>>,
    selected: RwSignal<Option<Id>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let unknown = move || RankMsg::Unknown.text(i18n.lang.get()).to_owned();
    let rows = move || {
        ranking
            .get()
            .into_iter()
            .map(|r| {
                let name = r.name.clone();
                let (data_id, is_selected, pick) = picking(r.id.clone(), selected);
                view! {
                    <tr
                        class="rank-row"
                        class:selected=is_selected
                        data-id=data_id
                        data-rank=r.rank.to_string()
                        data-person=r.person.person.as_str().to_owned()
                        data-score=format_score(r.score)
                        on:click=pick
                    >
                        <td class="rank-no">{r.rank}</td>
                        <td>{move || name.clone().unwrap_or_else(unknown)}</td>
                        <td>{r.unit.clone()}</td>
                        <td class="num">{format_score(r.score)}</td>
                        <td>{t(grade_msg(r.grade))}</td>
                        <td class="num">{format!("{}/{}", r.votes_for, r.votes_total)}</td>
                        <td>
                            {r.tied.then(|| view! { <span class="badge rank-tied">{t(RankMsg::Tied)}</span> })}
                            {r.adjusted.then(|| view! { <span class="badge rank-adjusted">{t(RankMsg::Adjusted)}</span> })}
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    move || {
        if !loaded.get() {
            return view! { <EmptyNote id="rank-state" msg=RankMsg::Loading/> }.into_any();
        }
        if ranking.with(Vec::is_empty) {
            return view! { <EmptyNote id="rank-state" msg=RankMsg::NoAssessments/> }.into_any();
        }
        view! {
            <table class="plain-table rank-table" id="rank-table">
                <thead>
                    <tr>
                        <th>{t(RankMsg::RankCol)}</th>
                        <th>{t(RankMsg::Name)}</th>
                        <th>{t(RankMsg::Unit)}</th>
                        <th class="num">{t(RankMsg::Score)}</th>
                        <th>{t(RankMsg::Grade)}</th>
                        <th class="num">{t(RankMsg::Votes)}</th>
                        <th>{t(RankMsg::Status)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="hint" id="rank-tie-rule">{t(RankMsg::TieRule)}</p>
        }
        .into_any()
    }
}
