//! The parts of an A4 print layout shared by the person file and the
//! filing form: the facts grid (label/value cells, four to a row) and the
//! tables of posts, résumé, rewards, assessments and filings.

use leptos::prelude::*;

use crate::i18n::{Msg, t};
use crate::modules::dashboard::messages::DashMsg;
use crate::modules::dashboard::print::{Label, PersonPrint};

/// The facts as a bordered grid: label, value, label, value per row.
#[component]
pub fn PrintFacts(facts: Vec<(Label, String)>) -> impl IntoView {
    view! {
        <table class="print-grid print-facts">
            <tbody>
                {facts.chunks(2).map(|pair| {
                    let cells = pair.iter().cloned().map(|(l, v)| view! {
                        <th scope="row">{t(l)}</th>
                        <td>{v}</td>
                    }).collect_view();
                    let pad = (pair.len() == 1).then(|| view! { <th></th><td></td> });
                    view! { <tr>{cells}{pad}</tr> }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A titled table: header labels and rows (a "none" row when empty).
#[component]
pub fn PrintTable(
    id: &'static str,
    title: Label,
    heads: Vec<Label>,
    rows: Vec<Vec<String>>,
) -> impl IntoView {
    let cols = heads.len();
    view! {
        <section class="print-section" id=id>
            <h2>{t(title)}</h2>
            <table class="print-grid">
                <thead>
                    <tr>{heads.into_iter().map(|h| view! { <th scope="col">{t(h)}</th> }).collect_view()}</tr>
                </thead>
                <tbody>
                    {if rows.is_empty() {
                        view! { <tr><td colspan=cols.to_string() class="print-none">{t(DashMsg::PrintNone)}</td></tr> }.into_any()
                    } else {
                        rows.into_iter().map(|r| view! {
                            <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr>
                        }).collect_view().into_any()
                    }}
                </tbody>
            </table>
        </section>
    }
}

/// Posts, résumé, rewards and assessments of a person.
#[component]
pub fn PrintRecordTables(p: PersonPrint, #[prop(optional)] with_posts: bool) -> impl IntoView {
    use Label::{App, Dash};
    view! {
        {with_posts.then(|| view! {
            <PrintTable id="print-posts" title=App(Msg::PostsTitle)
                heads=vec![App(Msg::PostTitleLabel), App(Msg::PostStart), Dash(DashMsg::PrintPostEnd), App(Msg::PostHow), Dash(DashMsg::PrintConcurrent)]
                rows=p.posts.iter().map(|r| r.to_vec()).collect()/>
        })}
        <PrintTable id="print-resume" title=App(Msg::FieldResume)
            heads=vec![Dash(DashMsg::PrintPeriod), App(Msg::ResumeText)]
            rows=p.resume.iter().map(|r| r.to_vec()).collect()/>
        <PrintTable id="print-rewards" title=App(Msg::FieldRewards)
            heads=vec![App(Msg::RewardDate), Dash(DashMsg::PrintKind), App(Msg::RewardText)]
            rows=p.rewards.iter().map(|r| r.to_vec()).collect()/>
        <PrintTable id="print-assessments" title=Dash(DashMsg::PrintAssessments)
            heads=vec![Dash(DashMsg::PrintYear), Dash(DashMsg::PrintScore), Dash(DashMsg::PrintRank), Dash(DashMsg::PrintGrade)]
            rows=p.assessments.iter().map(|r| r.to_vec()).collect()/>
    }
}
