//! The picked assessment of 年度考核: name, unit, year, score, rank and
//! grade, with the close button.

use leptos::prelude::*;
use yanzhen_model::Id;
use yanzhen_model::entities::Assessment;

use crate::i18n::{t, use_i18n};
use crate::modules::lead::messages::rank::RankMsg;
use crate::modules::lead::rank::form::format_score;
use crate::modules::lead::rank::rows::grade_msg;
use crate::ui::detail_head::DetailHead;

#[component]
pub fn RankDetail(
    assessment: Assessment,
    /// The secretary's name, if known.
    name: Option<String>,
    /// The unit's name.
    unit: String,
    selected: RwSignal<Option<Id>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let unknown = move || RankMsg::Unknown.text(i18n.lang.get()).to_owned();
    let a = assessment;
    view! {
        <section class="card rank-detail" id="rank-detail" data-id=a.id.as_str().to_owned()>
            <DetailHead close_id="rank-detail-close" close=RankMsg::Close on_close=move |()| selected.set(None)>
                <h2>{t(RankMsg::RecordTitle)}</h2>
            </DetailHead>
            <dl class="facts">
                <dt>{t(RankMsg::Name)}</dt>
                <dd>{move || name.clone().unwrap_or_else(unknown)}</dd>
                <dt>{t(RankMsg::Unit)}</dt>
                <dd>{unit}</dd>
                <dt>{t(RankMsg::Year)}</dt>
                <dd>{a.year}</dd>
                <dt>{t(RankMsg::Score)}</dt>
                <dd id="rank-detail-score">{format_score(a.score)}</dd>
                <dt>{t(RankMsg::RankCol)}</dt>
                <dd id="rank-detail-rank">{a.rank}</dd>
                <dt>{t(RankMsg::Grade)}</dt>
                <dd>{t(grade_msg(a.grade))}</dd>
            </dl>
        </section>
    }
}
