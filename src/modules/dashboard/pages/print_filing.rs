//! The A4 print layout of a village/community party secretary's filing
//! form (备案表) at `/print/filing/{unit document}/{person}`: the person's
//! particulars, the current secretary post, résumé, rewards, assessments,
//! filing records and the three opinion boxes (village, township, district)
//! to sign and seal; a print button; navigation hidden when printing.

use leptos::prelude::*;

use crate::i18n::{Msg, t};
use crate::modules::dashboard::components::print_page::PrintPage;
use crate::modules::dashboard::components::print_sections::{
    PrintFacts, PrintRecordTables, PrintTable,
};
use crate::modules::dashboard::messages::DashMsg;
use crate::modules::dashboard::print::Label;

#[component]
pub fn PrintFilingPage() -> impl IntoView {
    let opinion = |title: DashMsg| {
        view! {
            <div class="print-opinion">
                <h3>{t(title)}</h3>
                <p class="print-seal">{t(DashMsg::PrintSeal)}</p>
            </div>
        }
    };
    view! {
        <PrintPage id="print-filing" title=DashMsg::PrintFilingTitle sections=move |p| {
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
            view! {
                <PrintFacts facts=p.facts.clone()/>
                {post}
                <PrintRecordTables p=p.clone()/>
                <div class="print-opinions">
                    {opinion(DashMsg::PrintOpinionVillage)}
                    {opinion(DashMsg::PrintOpinionTownship)}
                    {opinion(DashMsg::PrintOpinionDistrict)}
                </div>
            }
        }/>
    }
}
