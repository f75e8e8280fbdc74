//! The A4 print layout of a person file (一人一档) at
//! `/print/person/{unit document}/{person}`: every field, posts, résumé,
//! rewards and penalties, annual assessments and filings; a print button;
//! the navigation is hidden when printing (style/main.css, `@media print`).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use yanzhen_model::Id;

use crate::data::clock::today;
use crate::data::docs::{parse_doc, use_district, use_unit};
use crate::i18n::{Msg, t, use_i18n};
use crate::modules::dashboard::components::print_sections::{
    PrintFacts, PrintRecordTables, PrintTable,
};
use crate::modules::dashboard::components::print_toolbar::PrintToolbar;
use crate::modules::dashboard::messages::DashMsg;
use crate::modules::dashboard::print::{Label, PersonPrint, person_print};
use crate::routes::PersonRoute;
use crate::sync::repo::use_sync;
use crate::ui::empty_note::EmptyNote;

/// What a print page reads: the content, the route's (unit, person)
/// parameters, and whether the unit document is loaded.
pub type PrintData = (
    Memo<Option<PersonPrint>>,
    Memo<(String, String)>,
    Signal<bool>,
);

/// The print content of the person named by the URL, re-read on change;
/// the route's (unit, person) parameters; whether the unit is loaded.
pub fn use_print() -> PrintData {
    let sync = use_sync();
    let i18n = use_i18n();
    let params = use_params_map();
    let ids = Memo::new(move |_| {
        params.with(|p| {
            (
                p.get(PersonRoute::UNIT_PARAM).unwrap_or_default(),
                p.get(PersonRoute::PERSON_PARAM).unwrap_or_default(),
            )
        })
    });
    let doc = Signal::derive(move || parse_doc(&ids.with(|i| i.0.clone())));
    let unit = use_unit(sync, doc);
    let district = use_district(sync);
    let content = Memo::new(move |_| {
        let person = Id::parse(&ids.with(|i| i.1.clone()))?;
        let lang = i18n.lang.get();
        district.with(|d| unit.with(|u| person_print(d.as_ref(), u.as_ref()?, &person, lang)))
    });
    let loaded = Signal::derive(move || unit.with(Option::is_some));
    (content, ids, loaded)
}

/// "Loading" or "not found" while there is nothing to print.
pub fn print_state(loaded: bool) -> impl IntoView {
    let msg = if loaded {
        Msg::PersonNotFound
    } else {
        Msg::RosterLoading
    };
    view! { <EmptyNote id="print-state" msg=msg/> }
}

#[component]
pub fn PrintPersonPage() -> impl IntoView {
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
    view! {
        <PrintToolbar back=back/>
        {move || match content.get() {
            None => print_state(loaded.get()).into_any(),
            Some(p) => {
                let filings = p.filings.iter().map(|r| r.to_vec()).collect();
                view! {
                    <article class="print-page" id="print-person" data-person=ids.with(|i| i.1.clone())>
                        <header class="print-head">
                            <h1>{t(DashMsg::PrintPersonTitle)}</h1>
                            <p>
                                {t(DashMsg::PrintUnit)} "：" <span id="print-unit">{p.unit_name.clone()}</span>
                                "　" {t(DashMsg::PrintPrintedOn)} "：" {printed.clone()}
                            </p>
                        </header>
                        <h2>{t(Msg::PersonBasics)}</h2>
                        <PrintFacts facts=p.facts.clone()/>
                        <PrintRecordTables p=p.clone() with_posts=true/>
                        <PrintTable id="print-filings" title=Label::Dash(DashMsg::PrintFilings)
                            heads=vec![Label::Dash(DashMsg::PrintFiled), Label::Dash(DashMsg::PrintNote)]
                            rows=filings/>
                    </article>
                }
                .into_any()
            }
        }}
    }
}
