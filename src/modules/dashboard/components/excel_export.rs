//! The Excel export card: scope (one unit or every unit here), register
//! (or all of them), "make the file", then a download link to tap (a
//! `blob:` URL of the `.xlsx` bytes, as the sync file's download).

use leptos::prelude::*;
use yanzhen_model::Id;

use crate::data::clock::{local_time, now_ms};
use crate::i18n::{Lang, t, use_i18n};
use crate::modules::dashboard::data::DashData;
use crate::modules::dashboard::excel::{XLSX_MIME, workbook};
use crate::modules::dashboard::export::{export_sheets, file_name, units_in_scope};
use crate::modules::dashboard::messages::DashMsg;
use crate::modules::dashboard::registers::Register;
use crate::sync::transfer::revoke_object_url;

/// A `blob:` URL for `bytes` of type `mime`.
fn blob_url(bytes: &[u8], mime: &str) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        let array = js_sys::Uint8Array::from(bytes);
        let parts = js_sys::Array::of1(&array);
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type(mime);
        let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).ok()?;
        web_sys::Url::create_object_url_with_blob(&blob).ok()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (bytes, mime);
        None
    }
}

/// A made file: its URL, name and number of data rows.
#[derive(Clone, Debug, PartialEq)]
struct Made {
    url: String,
    name: String,
    rows: usize,
}

#[component]
pub fn ExcelExport(
    data: DashData,
    /// (unit id, label) of the units here, in picker order.
    #[prop(into)]
    units: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let scope = RwSignal::new(String::new());
    let register = RwSignal::new(Register::Roster.key().to_owned());
    let made = RwSignal::new(None::<Made>);
    let failed = RwSignal::new(false);
    let empty = RwSignal::new(false);
    let forget = move || {
        if let Some(m) = made.get_untracked() {
            revoke_object_url(&m.url);
        }
        made.set(None);
    };
    on_cleanup(forget);
    // A new choice makes the old file stale.
    Effect::new(move |_| {
        scope.track();
        register.track();
        forget();
    });
    let make = move |_| {
        forget();
        failed.set(false);
        empty.set(false);
        let only = Id::parse(&scope.get_untracked());
        let reg = Register::from_key(&register.get_untracked());
        let district = data.district.get_untracked();
        let all = data.units.get_untracked();
        let refs: Vec<&yanzhen_model::store::UnitData> = all.iter().map(|u| u.as_ref()).collect();
        let picked = units_in_scope(district.as_deref(), &refs, only.as_ref());
        if picked.is_empty() {
            empty.set(true);
            return;
        }
        let sheets = export_sheets(reg, district.as_deref(), &picked, only.is_none());
        let rows = sheets.iter().map(|s| s.rows.len()).sum();
        let scope_name = match &only {
            Some(id) => units
                .with_untracked(|u| {
                    u.iter()
                        .find(|(i, _)| i == id.as_str())
                        .map(|(_, n)| n.clone())
                })
                .unwrap_or_default(),
            None => DashMsg::ExcelScopeAll.text(Lang::ZhCn).to_owned(),
        };
        let what_zh = reg.map_or("全部登记簿", Register::sheet_name);
        match workbook(&sheets) {
            Ok(bytes) => match blob_url(&bytes, XLSX_MIME) {
                Some(url) => made.set(Some(Made {
                    url,
                    name: file_name(what_zh, &scope_name, &local_time(now_ms())),
                    rows,
                })),
                None => failed.set(true),
            },
            Err(_) => failed.set(true),
        }
    };
    view! {
        <section class="card excel-export" id="excel-export">
            <h2>{t(DashMsg::ExcelExportTitle)}</h2>
            <p class="hint">{t(DashMsg::ExcelExportIntro)}</p>
            <div class="excel-choices">
                <div class="excel-choice">
                    <label for="excel-scope">{t(DashMsg::ExcelScope)}</label>
                    <select id="excel-scope" on:change=move |ev| scope.set(event_target_value(&ev))>
                        <option value="" selected=move || scope.get().is_empty()>{t(DashMsg::ExcelScopeAll)}</option>
                        {move || units.get().into_iter().map(|(id, label)| {
                            let v = id.clone();
                            view! { <option value=id selected=move || scope.get() == v>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="excel-choice">
                    <label for="excel-register">{t(DashMsg::ExcelRegister)}</label>
                    <select id="excel-register" on:change=move |ev| register.set(event_target_value(&ev))>
                        {Register::ALL.into_iter().map(|r| view! {
                            <option value=r.key() selected=move || register.get() == r.key()>{t(r.title())}</option>
                        }).collect_view()}
                        <option value="all" selected=move || register.get() == "all">{t(DashMsg::ExcelAllRegisters)}</option>
                    </select>
                </div>
            </div>
            <div class="form-actions">
                <button type="button" class="button primary" id="excel-make" on:click=make>{t(DashMsg::ExcelMake)}</button>
            </div>
            {move || empty.get().then(|| view! { <p class="field-error" id="excel-empty" role="alert">{t(DashMsg::ExcelNoData)}</p> })}
            {move || failed.get().then(|| view! { <p class="field-error" id="excel-failed" role="alert">{t(DashMsg::ExcelMakeFailed)}</p> })}
            {move || made.get().map(|m| view! {
                <p id="excel-ready" data-rows=m.rows.to_string()>
                    {t(DashMsg::ExcelReady)} " " <span class="file-name">{m.name.clone()}</span>
                    " · " {m.rows} " " {move || DashMsg::ExcelRows.text(i18n.lang.get())} " "
                    <a id="excel-download" class="button primary" href=m.url.clone() download=m.name.clone()>
                        {t(DashMsg::ExcelDownload)}
                    </a>
                </p>
            })}
        </section>
    }
}
