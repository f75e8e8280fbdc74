//! The Excel screen's help: how a roster file is laid out and every
//! column's Chinese header with what it holds.

use leptos::prelude::*;

use crate::i18n::t;
use crate::modules::dashboard::messages::DashMsg;
use crate::modules::dashboard::roster_sheet::{COLUMNS, Column};
use crate::ui::table::{Heads, Table};

#[component]
pub fn ExcelHelp() -> impl IntoView {
    view! {
        <section class="card excel-help" id="excel-help">
            <h2>{t(DashMsg::ExcelHelpTitle)}</h2>
            <p>{t(DashMsg::ExcelHelpIntro)}</p>
            <Table class="plain-table excel-columns" rows=COLUMNS.to_vec() row=|c: Column| view! {
                <tr class="excel-column" data-header=c.header>
                    <td><code>{c.header}</code></td>
                    <td>
                        {t(c.meaning)}
                        {c.required.then(|| view! { " · " <strong>{t(DashMsg::ExcelRequired)}</strong> })}
                    </td>
                </tr>
            }>
                <Heads scoped=true words=[DashMsg::ExcelColHeader, DashMsg::ExcelColMeaning]/>
            </Table>
        </section>
    }
}
