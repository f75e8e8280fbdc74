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
use crate::ui::table::{Heads, Table};

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
    let table = view! {
        <Table id="pay-table" class="plain-table rank-table" scroll="rank-scroll" rows=rows
            empty=|| view! { <EmptyNote id="pay-empty" msg=RankMsg::PayNoWorkers small=true/> }
            row=move |(r, rec): (PayRow, Option<Id>)| {
                let d = unit.get();
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
            }
        >
            <th>{t(RankMsg::Name)}</th>
            <Heads num=true words=[RankMsg::PayPrevious, RankMsg::PayThis, RankMsg::PayRise]/>
        </Table>
    };
    view! {
        {summary}
        {table}
    }
}
