//! The A4 print layout of a person file (一人一档) at
//! `/print/person/{unit document}/{person}`: every field, posts, résumé,
//! rewards and penalties, annual assessments and filings; a print button;
//! the navigation is hidden when printing (style/main.css, `@media print`).

use leptos::prelude::*;

use crate::i18n::{Msg, t};
use crate::modules::dashboard::components::print_page::PrintPage;
use crate::modules::dashboard::components::print_sections::{PrintFacts, PrintRecordTables};
use crate::modules::dashboard::messages::DashMsg;

#[component]
pub fn PrintPersonPage() -> impl IntoView {
    view! {
        <PrintPage id="print-person" title=DashMsg::PrintPersonTitle sections=|p| {
            view! {
                <h2>{t(Msg::PersonBasics)}</h2>
                <PrintFacts facts=p.facts.clone()/>
                <PrintRecordTables p=p.clone() with_posts=true/>
            }
        }/>
    }
}
