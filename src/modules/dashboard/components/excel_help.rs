//! The Excel screen's help: how a roster file is laid out and every
//! column's Chinese header with what it holds.

use leptos::prelude::*;

use crate::i18n::t;
use crate::modules::dashboard::messages::DashMsg;
use crate::modules::dashboard::roster_sheet::COLUMNS;

#[component]
pub fn ExcelHelp() -> impl IntoView {
    view! {
        <section class="card excel-help" id="excel-help">
            <h2>{t(DashMsg::ExcelHelpTitle)}</h2>
            <p>{t(DashMsg::ExcelHelpIntro)}</p>
            <table class="plain-table excel-columns">
                <thead>
                    <tr>
                        <th scope="col">{t(DashMsg::ExcelColHeader)}</th>
                        <th scope="col">{t(DashMsg::ExcelColMeaning)}</th>
                    </tr>
                </thead>
                <tbody>
                    {COLUMNS.iter().map(|c| view! {
                        <tr class="excel-column" data-header=c.header>
                            <td><code>{c.header}</code></td>
                            <td>
                                {t(c.meaning)}
                                {c.required.then(|| view! { " · " <strong>{t(DashMsg::ExcelRequired)}</strong> })}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
