//! A person's A4 print page, the frame both print layouts share: the
//! toolbar (back to the person's file, print), then, once the person named
//! by the URL is read, the page with its head (title, unit, printed on),
//! the layout's sections and the person's filings; until then, or if there
//! is no such person, why there is nothing to print.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use yanzhen_model::Id;

use crate::data::clock::today;
use crate::data::docs::{parse_doc, use_district, use_unit};
use crate::i18n::{Msg, t, use_i18n};
use crate::modules::dashboard::components::print_sections::PrintTable;
use crate::modules::dashboard::components::print_toolbar::PrintToolbar;
use crate::modules::dashboard::messages::DashMsg;
use crate::modules::dashboard::print::{Label, PersonPrint, person_print};
use crate::routes::PersonRoute;
use crate::sync::repo::use_sync;
use crate::ui::empty_note::EmptyNote;

#[component]
pub fn PrintPage<F, V>(
    /// The page's id.
    id: &'static str,
    title: DashMsg,
    /// The layout's sections after the head.
    sections: F,
) -> impl IntoView
where
    F: Fn(PersonPrint) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
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
            None => {
                let msg = if unit.with(Option::is_some) { Msg::PersonNotFound } else { Msg::RosterLoading };
                view! { <EmptyNote id="print-state" msg=msg/> }.into_any()
            }
            Some(p) => view! {
                <article class="print-page" id=id data-person=ids.with(|i| i.1.clone())>
                    <header class="print-head">
                        <h1>{t(title)}</h1>
                        <p>
                            {t(DashMsg::PrintUnit)} "：" <span id="print-unit">{p.unit_name.clone()}</span>
                            "　" {t(DashMsg::PrintPrintedOn)} "：" {printed.clone()}
                        </p>
                    </header>
                    {sections(p.clone())}
                    <PrintTable id="print-filings" title=Label::Dash(DashMsg::PrintFilings)
                        heads=vec![Label::Dash(DashMsg::PrintFiled), Label::Dash(DashMsg::PrintNote)]
                        rows=p.filings.iter().map(|r| r.to_vec()).collect()/>
                </article>
            }
            .into_any(),
        }}
    }
}
