//! The district's collective-economy reward policy of a year as facts:
//! base reward and its threshold, the incremental reward (per mille of the
//! increase, capped) and the ranking bonus for the top villages.

use leptos::prelude::*;
use yanzhen_model::entities::RewardPolicy;

use crate::i18n::t;
use crate::modules::lead::messages::rank::RankMsg;
use crate::modules::lead::rank::rows::yuan;

#[component]
pub fn EconomyPolicy(policy: RewardPolicy) -> impl IntoView {
    let money = |v: i64| view! { <strong>{yuan(v)}</strong> " " {t(RankMsg::Yuan)} };
    view! {
        <dl class="facts economy-policy" id="economy-policy" data-year=policy.year.to_string()>
            <dt>{t(RankMsg::PolicyBase)}</dt>
            <dd id="policy-base">{money(policy.base_reward_yuan)}</dd>
            <dt>{t(RankMsg::PolicyThreshold)}</dt>
            <dd id="policy-threshold">{money(policy.base_threshold_yuan)}</dd>
            <dt>{t(RankMsg::PolicyPermille)}</dt>
            <dd id="policy-permille"><strong>{policy.increment_permille}</strong></dd>
            <dt>{t(RankMsg::PolicyCap)}</dt>
            <dd id="policy-cap">{money(policy.increment_cap_yuan)}</dd>
            <dt>{t(RankMsg::PolicyTopN)}</dt>
            <dd id="policy-top-n"><strong>{policy.top_n}</strong></dd>
            <dt>{t(RankMsg::PolicyTop)}</dt>
            <dd id="policy-top">{money(policy.top_bonus_yuan)}</dd>
        </dl>
    }
}
