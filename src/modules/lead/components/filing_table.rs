//! Every unit's secretary and filing status (filed / not filed / filed but
//! the secretary changed since), the filed person and date, a link to the
//! A4 filing form, and a tap to see the filing record's history.

use leptos::prelude::*;
use yanzhen_model::Id;

use crate::data::docs::doc_param;
use crate::i18n::t;
use crate::modules::lead::messages::review::ReviewMsg;
use crate::modules::lead::review::labels;
use crate::modules::lead::review::rows::FilingView;
use crate::routes::PrintRoute;
use crate::ui::pick_button::PickButton;
use crate::ui::table::{Heads, Table};

#[component]
pub fn FilingTable(
    views: Signal<Vec<FilingView>>,
    /// The unit whose filing record is shown.
    selected: RwSignal<Option<Id>>,
) -> impl IntoView {
    view! {
        <section class="card filing-all" id="filing-all">
            <h2>{t(ReviewMsg::FilingAllTitle)}</h2>
            <Table id="filing-table" scroll="table-scroll" rows=views row=move |v: FilingView| {
                let unit = v.row.unit.clone();
                let unit2 = v.row.unit.clone();
                let print = v.print_target().map(|(doc, person)| PrintRoute::Filing {
                    unit: doc_param(&doc),
                    person: person.as_str().to_owned(),
                }.path());
                let has_filing = v.row.filing.is_some();
                view! {
                    <tr class="filing-row" data-unit=v.row.unit.as_str().to_owned()
                        data-status=labels::filing_key(v.row.status)
                        class:selected=move || selected.with(|s| s.as_ref() == Some(&unit2))>
                        <td>{v.unit_name.clone()}</td>
                        <td>{v.secretary_name()}</td>
                        <td><span class=format!("badge filing-{}", labels::filing_key(v.row.status))>
                            {t(labels::filing_status(v.row.status))}</span></td>
                        <td>{v.filed_name.clone()}</td>
                        <td>{v.row.filing.as_ref().map(|f| f.filed.to_string())}</td>
                        <td class="row-actions">
                            {print.map(|href| view! {
                                <a class="print-link button" href=href>{t(ReviewMsg::FilingPrint)}</a>
                            })}
                            {has_filing.then(|| view! {
                                <PickButton class="button filing-open" id=unit picked=selected msg=ReviewMsg::FilingShow/>
                            })}
                        </td>
                    </tr>
                }
            }>
                <Heads words=[ReviewMsg::ColUnit, ReviewMsg::ColSecretary, ReviewMsg::ColStatus, ReviewMsg::ColFiledPerson, ReviewMsg::ColFiledDate]/>
                <th></th>
            </Table>
        </section>
    }
}
