//! A community's workers' pay of a year: the average annual rise over the
//! district's communities, then each worker's pay of the year before and
//! this year and the rise; tapping a row picks its pay record.

use leptos::prelude::*;
use yanzhen_model::Id;
use yanzhen_model::rank::PayRow;
use yanzhen_model::rules::PayGrowth;
use yanzhen_sync::DocumentId;

use crate::i18n::t;
use crate::modules::lead::messages::rank::RankMsg;
use crate::modules::lead::rank::rows::yuan;
use crate::ui::empty_note::EmptyNote;

#[component]
pub fn EconomyPayTable(
    /// The pay growth of the picked year.
    #[prop(into)]
    growth: Signal<Option<PayGrowth>>,
    /// The picked community's workers, each with their pay record of the year.
    #[prop(into)]
    rows: Signal<Vec<(PayRow, Option<Id>)>>,
    /// The picked community's document.
    #[prop(into)]
    unit: Signal<Option<DocumentId>>,
    picked_pay: RwSignal<Option<(DocumentId, Id)>>,
) -> impl IntoView {
    let summary = move || {
        match growth.get().and_then(|g| g.average_yuan().map(|a| (a, g.rises))) {
        Some((avg, n)) => view! {
            <dl class="facts pay-summary" id="pay-average" data-yuan=avg.to_string() data-rises=n.to_string()>
                <dt>{t(RankMsg::PayAverage)}</dt>
                <dd class="pay-average-value">{yuan(avg)} " " {t(RankMsg::Yuan)}</dd>
                <dt>{t(RankMsg::PayRises)}</dt>
                <dd>{n}</dd>
            </dl>
        }
        .into_any(),
        None => view! { <EmptyNote id="pay-none" msg=RankMsg::PayNone small=true/> }.into_any(),
    }
    };
    let table = move || {
        let rows = rows.get();
        if rows.is_empty() {
            return view! { <EmptyNote id="pay-empty" msg=RankMsg::PayNoWorkers small=true/> }
                .into_any();
        }
        let d = unit.get();
        view! {
            <div class="rank-scroll">
                <table class="plain-table rank-table" id="pay-table">
                    <thead>
                        <tr>
                            <th>{t(RankMsg::Name)}</th>
                            <th class="num">{t(RankMsg::PayPrevious)}</th>
                            <th class="num">{t(RankMsg::PayThis)}</th>
                            <th class="num">{t(RankMsg::PayRise)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|(r, rec)| {
                                let sel = rec.clone();
                                view! {
                                    <tr
                                        class="pay-row"
                                        class:selected=move || sel.is_some() && picked_pay.get().map(|(_, x)| x) == sel
                                        data-person=r.person_id.as_str().to_owned()
                                        data-pay=r.pay_yuan.map(|v| v.to_string())
                                        on:click=move |_| picked_pay.set(d.zip(rec.clone()))
                                    >
                                        <td>{r.name.clone()}</td>
                                        <td class="num">{r.previous_yuan.map(yuan).unwrap_or_default()}</td>
                                        <td class="num">{r.pay_yuan.map(yuan).unwrap_or_default()}</td>
                                        <td class="num">{r.rise_yuan.map(yuan).unwrap_or_default()}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        {summary}
        {table}
    }
}
