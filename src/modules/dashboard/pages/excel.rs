//! 花名册 Excel import and export (`/roster/excel`): export the roster or
//! any register of one unit or every unit here to `.xlsx`; import a unit's
//! roster from `.xlsx` / `.csv` with a row-by-row preview, all or nothing;
//! the columns' Chinese headers explained.

use leptos::prelude::*;
use yanzhen_model::DocId;

use crate::data::choices::unit_choices;
use crate::data::docs::{doc_param, unit_docs_here};
use crate::modules::dashboard::components::excel_export::ExcelExport;
use crate::modules::dashboard::components::excel_help::ExcelHelp;
use crate::modules::dashboard::components::excel_import::ExcelImport;
use crate::modules::dashboard::data::use_dash_data;
use crate::routes::Screen;
use crate::sync::repo::use_sync;
use crate::ui::screen_header::ScreenHeader;

fn label(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent} · {name}")
    }
}

#[component]
pub fn RosterExcelPage() -> impl IntoView {
    let sync = use_sync();
    let data = use_dash_data(sync);
    let here = unit_docs_here(sync);
    let choices = Memo::new(move |_| {
        data.district.with(|d| {
            d.as_deref()
                .map(|d| here.with(|h| unit_choices(d, h)))
                .unwrap_or_default()
        })
    });
    let export_units = Signal::derive(move || {
        choices.with(|c| {
            c.iter()
                .map(|c| (c.unit_id.as_str().to_owned(), label(&c.parent, &c.name)))
                .collect::<Vec<_>>()
        })
    });
    let writable: Memo<Vec<DocId>> = Memo::new(move |_| {
        sync.docs.with(|rows| {
            rows.iter()
                .filter(|r| !r.read_only)
                .map(|r| DocId(*r.id.as_bytes()))
                .collect()
        })
    });
    let import_units = Signal::derive(move || {
        choices.with(|c| {
            writable.with(|w| {
                c.iter()
                    .filter(|c| w.contains(&c.doc))
                    .map(|c| (doc_param(&c.doc), label(&c.parent, &c.name)))
                    .collect::<Vec<_>>()
            })
        })
    });
    view! {
        <ScreenHeader screen=Screen::RosterExcel/>
        <ExcelExport data=data units=export_units/>
        <ExcelImport units=import_units/>
        <ExcelHelp/>
    }
}
