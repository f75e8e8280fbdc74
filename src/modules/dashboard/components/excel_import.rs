//! The roster import card: pick the unit (only units this tablet may
//! write), choose an `.xlsx` or `.csv` file, see every row checked
//! ([`crate::modules::dashboard::roster_sheet::plan_import`]) with its problems by row and
//! column; only a file with no problem can be imported, all rows in one
//! change ([`yanzhen_model::bulk`]), or nothing.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use yanzhen_model::validate::mask_id_number;
use yanzhen_sync::DocumentId;

use crate::data::docs::{parse_doc, unsaved, use_district, use_unit};
use crate::data::ids::new_id;
use crate::data::write::change_meta;
use crate::i18n::{model_text, t, use_i18n};
use crate::modules::dashboard::excel::read_table;
use crate::modules::dashboard::messages::DashMsg;
use crate::modules::dashboard::roster_sheet::{COLUMNS, ImportPlan, PlanError, apply_import};
use crate::sync::repo::use_sync;
use crate::sync::transfer::{chosen_file, clear_chosen};

const INPUT_ID: &str = "excel-file";

/// Where the import stands.
#[derive(Clone, Debug, PartialEq)]
enum Done {
    /// Written: how many people (IndexedDB may still be writing).
    Imported(usize),
    /// The write failed: the model's message key.
    Failed(&'static str),
}

#[component]
pub fn ExcelImport(
    /// (unit document as in URLs, label) of the units this tablet may write.
    #[prop(into)]
    units: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let district = use_district(sync);
    let unit_doc = RwSignal::new(String::new());
    // One writable unit: it is the choice.
    Effect::new(move |_| {
        let u = units.get();
        if unit_doc.get_untracked().is_empty()
            && let Some((d, _)) = u.first()
        {
            unit_doc.set(d.clone());
        }
    });
    let doc = Signal::derive(move || parse_doc(&unit_doc.get()));
    let unit = use_unit(sync, doc);
    let bytes = RwSignal::new(None::<Arc<Vec<u8>>>);
    let unreadable = RwSignal::new(false);
    let done = RwSignal::new(None::<Done>);
    let plan = Memo::new(move |_| -> Option<Result<ImportPlan, DashMsg>> {
        let b = bytes.get()?;
        let grid = match read_table(&b) {
            Ok(g) => g,
            Err(_) => return Some(Err(DashMsg::ExcelUnreadable)),
        };
        let d = district.get();
        unit.with(|u| {
            let u = u.as_ref()?;
            Some(
                crate::modules::dashboard::roster_sheet::plan_import(&grid, d.as_ref(), u, new_id)
                    .map_err(PlanError::msg),
            )
        })
    });
    let chosen = move |_| {
        done.set(None);
        unreadable.set(false);
        bytes.set(None);
        spawn_local(async move {
            match chosen_file(INPUT_ID).await {
                Some(b) => bytes.set(Some(Arc::new(b))),
                None => unreadable.set(true),
            }
        });
    };
    let apply = move |_| {
        let Some(Ok(p)) = plan.get_untracked() else {
            return;
        };
        let people = p.people();
        let Some(d) = doc.get_untracked() else {
            return;
        };
        if people.is_empty() {
            return;
        }
        let meta = change_meta();
        let result = sync.change(d, |am| apply_import(am, &people, &meta));
        done.set(Some(match result {
            Ok(Ok(n)) => Done::Imported(n),
            Ok(Err(key)) => Done::Failed(key),
            Err(_) => Done::Failed("model.document.corrupt"),
        }));
        bytes.set(None);
        clear_chosen(INPUT_ID);
    };
    let saved = move |d: Option<DocumentId>| d.is_some_and(|d| !unsaved(sync, &d));

    let preview = move |p: ImportPlan| {
        let bad = p.bad_rows().count();
        let total = p.rows.len();
        let ignored = p.ignored.join("、");
        let lang = i18n.lang;
        view! {
            <h3>{t(DashMsg::ExcelPreviewTitle)}</h3>
            {(!p.ignored.is_empty()).then(|| view! {
                <p class="hint" id="excel-ignored">{t(DashMsg::ExcelIgnored)} " " {ignored.clone()}</p>
            })}
            {if bad > 0 {
                view! {
                    <p class="notice notice-error" id="excel-bad" data-count=bad.to_string() role="alert">
                        <strong>{bad}</strong> " / " {total} " " {t(DashMsg::ExcelBadRows)}
                    </p>
                }.into_any()
            } else {
                view! {
                    <p class="notice notice-info" id="excel-good" data-count=total.to_string()>
                        <strong>{total}</strong> " " {t(DashMsg::ExcelGoodRows)}
                    </p>
                    <div class="form-actions">
                        <button type="button" class="button primary" id="excel-apply" on:click=apply>
                            {t(DashMsg::ExcelApply)} " (" {total} ")"
                        </button>
                    </div>
                }.into_any()
            }}
            <div class="table-scroll">
                <table class="plain-table excel-preview" id="excel-preview">
                    <thead>
                        <tr>
                            <th scope="col">{t(DashMsg::ExcelColRow)}</th>
                            <th scope="col">{COLUMNS[0].header}</th>
                            <th scope="col">{COLUMNS[5].header}</th>
                            <th scope="col">{COLUMNS[1].header}</th>
                            <th scope="col">{COLUMNS[20].header}</th>
                            <th scope="col">{t(DashMsg::ExcelColProblems)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {p.rows.into_iter().map(|r| {
                            let ok = r.problems.is_empty();
                            let id = if r.cells[5].len() == 18 { mask_id_number(&r.cells[5]) } else { r.cells[5].clone() };
                            view! {
                                <tr class="excel-row" class:bad=!ok data-line=r.line.to_string() data-ok=ok.to_string()>
                                    <td>{r.line}</td>
                                    <td>{r.cells[0].clone()}</td>
                                    <td class="id-masked">{id}</td>
                                    <td>{r.cells[1].clone()}</td>
                                    <td>{r.cells[20].clone()}</td>
                                    <td>
                                        {if ok {
                                            view! { <span class="saved">{t(DashMsg::ExcelRowOk)}</span> }.into_any()
                                        } else {
                                            view! {
                                                <ul class="excel-problems">
                                                    {r.problems.into_iter().map(|pr| view! {
                                                        <li class="excel-problem field-error" data-header=pr.header data-key=pr.text.key()>
                                                            {pr.header} "：" {move || pr.text.text(lang.get())}
                                                        </li>
                                                    }).collect_view()}
                                                </ul>
                                            }.into_any()
                                        }}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    };

    view! {
        <section class="card excel-import" id="excel-import">
            <h2>{t(DashMsg::ExcelImportTitle)}</h2>
            <p class="hint">{t(DashMsg::ExcelImportIntro)}</p>
            {move || if units.with(Vec::is_empty) {
                view! { <p class="notice notice-info" id="excel-no-writable">{t(DashMsg::ExcelNoWritable)}</p> }.into_any()
            } else {
                view! {
                    <div class="excel-choices">
                        <div class="excel-choice">
                            <label for="excel-unit">{t(DashMsg::ExcelImportUnit)}</label>
                            <select id="excel-unit" on:change=move |ev| {
                                unit_doc.set(event_target_value(&ev));
                                done.set(None);
                            }>
                                {move || units.get().into_iter().map(|(d, label)| {
                                    let v = d.clone();
                                    view! { <option value=d selected=move || unit_doc.get() == v>{label}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="excel-choice">
                            <label for=INPUT_ID>{t(DashMsg::ExcelChoose)}</label>
                            <input type="file" id=INPUT_ID
                                accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                                on:change=chosen/>
                        </div>
                    </div>
                }.into_any()
            }}
            <div id="excel-import-state">
                {move || unreadable.get().then(|| view! {
                    <p class="field-error" id="excel-error" role="alert">{t(DashMsg::ExcelUnreadable)}</p>
                })}
                {move || match plan.get() {
                    None => None,
                    Some(Err(m)) => Some(view! { <p class="field-error" id="excel-error" role="alert">{t(m)}</p> }.into_any()),
                    Some(Ok(p)) => Some(preview(p).into_any()),
                }}
                {move || done.get().map(|d| match d {
                    Done::Imported(n) => view! {
                        <p class="saved" id="excel-imported" data-count=n.to_string() role="status"
                            data-state=move || if saved(doc.get()) { "saved" } else { "saving" }>
                            {t(DashMsg::ExcelImported)} " " {n}
                        </p>
                    }.into_any(),
                    Done::Failed(key) => view! {
                        <p class="field-error" id="excel-import-failed" role="alert">
                            {t(DashMsg::ExcelImportFailed)} " " {move || model_text(key, i18n.lang.get()).unwrap_or(key)}
                        </p>
                    }.into_any(),
                })}
            </div>
        </section>
    }
}
