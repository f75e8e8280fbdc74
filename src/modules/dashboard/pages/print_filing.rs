//! The A4 print layout of a village/community party secretary's filing
//! form (备案表) at `/print/filing/{unit document}/{person}`: the person's
//! particulars, the current secretary post, résumé, rewards, assessments,
//! filing records and the three opinion boxes (village, township, district)
//! to sign and seal; a print button; navigation hidden when printing.

use leptos::prelude::*;

use crate::data::clock::today;
use crate::i18n::{Msg, t};
use crate::modules::dashboard::components::print_sections::{
    PrintFacts, PrintRecordTables, PrintTable,
};
use crate::modules::dashboard::components::print_toolbar::PrintToolbar;
use crate::modules::dashboard::messages::DashMsg;
use crate::modules::dashboard::pages::print_person::{print_state, use_print};
use crate::modules::dashboard::print::Label;
use crate::routes::PersonRoute;

#[component]
pub fn PrintFilingPage() -> impl IntoView {
    let (content, ids, loaded) = use_print();
    let back = Signal::derive(move || {
        ids.with(|(u, p)| {
            PersonRoute::File {
                unit: u.clone(),
                person: p.clone(),
            }
            .path()
        })
    });
    let printed = today().to_string();
    let opinion = |title: DashMsg| {
        view! {
            <div class="print-opinion">
                <h3>{t(title)}</h3>
                <p class="print-seal">{t(DashMsg::PrintSeal)}</p>
            </div>
        }
    };
    view! {
        <PrintToolbar back=back/>
        {move || match content.get() {
            None => print_state(loaded.get()).into_any(),
            Some(p) => {
                let post = match p.secretary_post.clone() {
                    Some(row) => view! {
                        <PrintTable id="print-secretary-post" title=Label::Dash(DashMsg::PrintSecretaryPost)
                            heads=vec![Label::App(Msg::PostStart), Label::App(Msg::PostHow), Label::Dash(DashMsg::PrintConcurrent)]
                            rows=vec![row.to_vec()]/>
                    }.into_any(),
                    None => view! {
                        <section class="print-section" id="print-secretary-post">
                            <h2>{t(DashMsg::PrintSecretaryPost)}</h2>
                            <p class="print-none" id="print-not-secretary">{t(DashMsg::PrintNotSecretary)}</p>
                        </section>
                    }.into_any(),
                };
                let filings = p.filings.iter().map(|r| r.to_vec()).collect();
                view! {
                    <article class="print-page" id="print-filing" data-person=ids.with(|i| i.1.clone())>
                        <header class="print-head">
                            <h1>{t(DashMsg::PrintFilingTitle)}</h1>
                            <p>
                                {t(DashMsg::PrintUnit)} "：" <span id="print-unit">{p.unit_name.clone()}</span>
                                "　" {t(DashMsg::PrintPrintedOn)} "：" {printed.clone()}
                            </p>
                        </header>
                        <PrintFacts facts=p.facts.clone()/>
                        {post}
                        <PrintRecordTables p=p.clone()/>
                        <PrintTable id="print-filings" title=Label::Dash(DashMsg::PrintFilings)
                            heads=vec![Label::Dash(DashMsg::PrintFiled), Label::Dash(DashMsg::PrintNote)]
                            rows=filings/>
                        <div class="print-opinions">
                            {opinion(DashMsg::PrintOpinionVillage)}
                            {opinion(DashMsg::PrintOpinionTownship)}
                            {opinion(DashMsg::PrintOpinionDistrict)}
                        </div>
                    </article>
                }
                .into_any()
            }
        }}
    }
}
