//! How a picked village's reward is computed by the year's policy: the
//! base (income against the threshold), the increment (the rise times the
//! rate, capped), the ranking bonus and the total.

use leptos::prelude::*;
use yanzhen_model::entities::RewardPolicy;

use crate::i18n::t;
use crate::modules::lead::messages::rank::RankMsg;
use crate::modules::lead::rank::rows::{EconomyView, yuan};
use crate::ui::detail_head::DetailHead;

#[component]
pub fn EconomyCompute(
    view: EconomyView,
    policy: RewardPolicy,
    /// Closes the computation.
    #[prop(into)]
    on_close: Callback<()>,
) -> impl IntoView {
    let p = policy;
    let r = view.row;
    view! {
        <section class="card rank-detail" id="economy-detail" data-unit=r.unit.as_str().to_owned()>
            <DetailHead close_id="economy-detail-close" close=RankMsg::Close on_close=on_close>
                <h2>{t(RankMsg::ComputeTitle)} " · " {view.name.clone()}</h2>
            </DetailHead>
            <ol class="economy-steps">
                <li id="compute-base">
                    {t(RankMsg::ComputeBase)}
                    {format!(
                        "{} {} {} → {}",
                        yuan(r.income_yuan),
                        if r.income_yuan >= p.base_threshold_yuan { "≥" } else { "<" },
                        yuan(p.base_threshold_yuan),
                        yuan(r.reward.base_yuan)
                    )}
                </li>
                <li id="compute-increment">
                    {t(RankMsg::ComputeIncrement)}
                    {format!(
                        "{} × {}‰ = {} (≤ {}) → {}",
                        yuan(r.increase_yuan),
                        p.increment_permille,
                        yuan(r.increase_yuan * i64::from(p.increment_permille) / 1000),
                        yuan(p.increment_cap_yuan),
                        yuan(r.reward.increment_yuan)
                    )}
                </li>
                <li id="compute-top">
                    {t(RankMsg::ComputeTop)}
                    {format!(
                        "#{} {} {} → {}",
                        r.rank,
                        if r.rank <= p.top_n { "≤" } else { ">" },
                        p.top_n,
                        yuan(r.reward.top_bonus_yuan)
                    )}
                </li>
                <li id="compute-total">
                    {t(RankMsg::ComputeTotal)}
                    <strong>{yuan(r.reward.total_yuan())}</strong> " " {t(RankMsg::Yuan)}
                </li>
            </ol>
        </section>
    }
}
