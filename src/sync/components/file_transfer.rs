//! Sync by file on the sync-status screen: export the tablet's documents as
//! a sealed `.yanzhen` file (a download link to tap: a `blob:` URL, no
//! script in the page; how many documents carry edits the server has not
//! confirmed, which will not be imported elsewhere), and import one: choose
//! it, see what it will change (and what it leaves out, unconfirmed),
//! confirm.
//! The work is [`crate::sync::repo::SyncContext::export_file`],
//! [`preview_file`](crate::sync::repo::SyncContext::preview_file) and
//! [`import_file`](crate::sync::repo::SyncContext::import_file).

use crate::access::device::local_datetime;
use crate::access::messages::access_text_or_generic;
use crate::app::use_settings;
use crate::i18n::{Msg, t, use_i18n};
use crate::sync::repo::use_sync;
use crate::sync::transfer::{
    ImportPreview, chosen_file, clear_chosen, file_name, object_url, revoke_object_url,
};
use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;

const INPUT_ID: &str = "file-import-input";

/// What the import part shows.
#[derive(Clone, Debug, PartialEq)]
enum ImportState {
    Idle,
    /// Verified; waiting for the person's confirmation.
    Preview(ImportPreview),
    /// Applied.
    Done(ImportPreview),
    /// Refused: the message key (`sync_file.*`), nothing changed.
    Refused(&'static str),
    /// The chosen file could not be read.
    Unreadable,
}

#[component]
pub fn FileTransfer() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let settings = use_settings();
    let download = RwSignal::new(None::<(String, String)>);
    let unconfirmed_docs = RwSignal::new(0usize);
    let vouched = RwSignal::new(0usize);
    let exporting = RwSignal::new(false);
    let export_error = RwSignal::new(None::<&'static str>);
    let empty = RwSignal::new(false);
    let state = RwSignal::new(ImportState::Idle);
    let bytes = StoredValue::new(Vec::<u8>::new());
    on_cleanup(move || {
        if let Some((url, _)) = download.get_untracked() {
            revoke_object_url(&url);
        }
    });

    let label = move || {
        sync.enrolment
            .with_untracked(|e| e.as_ref().map(|e| e.device.name.clone()))
            .filter(|n| !n.is_empty())
            .or_else(|| settings.saved.with_untracked(|s| s.office.clone()))
            .unwrap_or_default()
    };
    let export = move |_| {
        if exporting.get_untracked() {
            return;
        }
        export_error.set(None);
        empty.set(false);
        if let Some((url, _)) = download.get_untracked() {
            revoke_object_url(&url);
        }
        download.set(None);
        exporting.set(true);
        let now = sync.now.get_untracked();
        let origin = label();
        spawn_local(async move {
            match sync.export_file(&origin, now as u64).await {
                Ok(None) => empty.set(true),
                Ok(Some(e)) => {
                    if let Some(url) = object_url(&e.bytes) {
                        unconfirmed_docs.set(e.unconfirmed_docs);
                        vouched.set(e.vouched);
                        download.set(Some((url, file_name(&origin, &local_datetime(now as i64)))));
                    }
                }
                Err(e) => export_error.set(Some(e.message_key())),
            }
            exporting.set(false);
        });
    };
    let chosen = move |_| {
        state.set(ImportState::Idle);
        spawn_local(async move {
            match chosen_file(INPUT_ID).await {
                None => state.set(ImportState::Unreadable),
                Some(b) => {
                    let result = sync.preview_file(&b);
                    bytes.set_value(b);
                    state.set(match result {
                        Ok(p) => ImportState::Preview(p),
                        Err(e) => ImportState::Refused(e.message_key()),
                    });
                }
            }
        });
    };
    let apply = move |_| {
        let result = bytes.with_value(|b| sync.import_file(b));
        clear_chosen(INPUT_ID);
        state.set(match result {
            Ok(p) => ImportState::Done(p),
            Err(e) => ImportState::Refused(e.message_key()),
        });
    };
    let doc_name = move |id: yanzhen_sync::DocumentId| {
        sync.docs.with_untracked(|rows| {
            rows.iter()
                .find(|r| r.id == id)
                .and_then(|r| r.name.clone())
        })
    };
    let preview_table = move |p: ImportPreview| {
        view! {
            <p class="file-origin">
                {t(Msg::FileFrom)} " " <strong id="file-origin">{p.origin.clone()}</strong>
                " · " {local_datetime(p.created_ms as i64)}
            </p>
            <table class="sync-docs" id="file-preview">
                <thead>
                    <tr>
                        <th scope="col">{t(Msg::SyncColDocument)}</th>
                        <th scope="col">{t(Msg::FileColChanges)}</th>
                        <th scope="col">{t(Msg::FileColNew)}</th>
                        <th scope="col">{t(Msg::FileColUnconfirmed)}</th>
                    </tr>
                </thead>
                <tbody>
                    {p.docs.iter().map(|d| {
                        let name = doc_name(d.id);
                        view! {
                            <tr data-doc=d.id.to_string() data-new=d.new.to_string() data-skipped=d.skipped.to_string() data-unconfirmed=d.unconfirmed.to_string()>
                                <td>
                                    {match name {
                                        Some(n) => Either::Left(n),
                                        None => Either::Right(t(Msg::SyncUnnamed)),
                                    }}
                                    {d.skipped.then(|| view! { <br/><small>{t(Msg::FileSkipped)}</small> })}
                                </td>
                                <td>{d.in_file}</td>
                                <td>{d.new}</td>
                                <td>{d.unconfirmed}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {p.waiting().then(|| view! { <p class="notice notice-info" id="file-waiting">{t(Msg::FileWaiting)}</p> })}
            {(p.unconfirmed() > 0).then(|| view! {
                <p class="notice notice-info" id="file-unconfirmed" data-count=p.unconfirmed().to_string()>
                    <strong>{p.unconfirmed()}</strong> " " {t(Msg::FileUnconfirmedChanges)}
                </p>
            })}
            {(p.vouched > 0).then(|| view! {
                <p class="notice notice-info" id="file-vouched" data-count=p.vouched.to_string()>
                    <strong>{p.vouched}</strong> " " {t(Msg::FileVouchedChanges)}
                </p>
            })}
        }
    };

    view! {
        <section class="card file-transfer" id="file-transfer">
            <h2>{t(Msg::FileTitle)}</h2>
            <p>{t(Msg::FileIntro)}</p>
            <div class="form-actions">
                <button type="button" class="button" id="file-export" on:click=export disabled=move || exporting.get()>
                    {t(Msg::FileExport)}
                </button>
            </div>
            {move || empty.get().then(|| view! { <p id="file-export-empty">{t(Msg::FileNoDocs)}</p> })}
            {move || export_error.get().map(|key| view! {
                <p class="field-error" role="alert">{move || access_text_or_generic(key, i18n.lang.get())}</p>
            })}
            {move || download.get().map(|(url, name)| view! {
                <p id="file-export-ready">
                    {t(Msg::FileExportReady)} " "
                    <a id="file-download" class="button primary" href=url download=name.clone()>
                        {t(Msg::FileDownload)}
                    </a>
                    <br/><small class="file-name">{name.clone()}</small>
                </p>
                {move || match unconfirmed_docs.get() {
                    0 => Either::Left(view! { <p id="file-export-confirmed" data-count="0">{t(Msg::FileAllConfirmed)}</p> }),
                    n => Either::Right(view! {
                        <p class="notice notice-info" id="file-export-unconfirmed" role="status" data-count=n.to_string()>
                            <strong>{n}</strong> " " {t(Msg::FileUnconfirmedDocs)}
                        </p>
                    }),
                }}
                {move || (vouched.get() > 0).then(|| view! {
                    <p class="notice notice-info" id="file-export-vouched" data-count=vouched.get().to_string()>
                        <strong>{vouched.get()}</strong> " " {t(Msg::FileExportVouched)}
                    </p>
                })}
            })}
            <h3>{t(Msg::FileImport)}</h3>
            <label for=INPUT_ID class="file-choose">{t(Msg::FileChoose)}</label>
            <input type="file" id=INPUT_ID accept=".yanzhen,application/vnd.yanzhen.sync" on:change=chosen/>
            <div id="file-import-state" data-state=move || match state.get() {
                ImportState::Idle => "idle",
                ImportState::Preview(_) => "preview",
                ImportState::Done(_) => "done",
                ImportState::Refused(_) => "refused",
                ImportState::Unreadable => "unreadable",
            }>
                {move || match state.get() {
                    ImportState::Idle => None,
                    ImportState::Preview(p) => {
                        // A file with vouched edits is kept to pass on, even with nothing new.
                        let nothing = p.nothing_new() && p.vouched == 0;
                        Some(view! {
                            <h3>{t(Msg::FilePreviewTitle)}</h3>
                            {preview_table(p)}
                            {if nothing {
                                Either::Left(view! { <p id="file-nothing-new" role="status">{t(Msg::FileNothingNew)}</p> })
                            } else {
                                Either::Right(view! {
                                    <div class="form-actions">
                                        <button type="button" class="button primary" id="file-apply" on:click=apply>
                                            {t(Msg::FileApply)}
                                        </button>
                                    </div>
                                })
                            }}
                        }.into_any())
                    }
                    ImportState::Done(p) => Some(view! {
                        <p class="saved" id="file-imported" role="status">{t(Msg::FileImported)}</p>
                        {preview_table(p)}
                    }.into_any()),
                    ImportState::Refused(key) => Some(view! {
                        <p class="field-error" id="file-error" role="alert" data-key=key>
                            {move || access_text_or_generic(key, i18n.lang.get())}
                        </p>
                    }.into_any()),
                    ImportState::Unreadable => Some(view! {
                        <p class="field-error" id="file-error" role="alert" data-key="unreadable">{t(Msg::FileReadError)}</p>
                    }.into_any()),
                }}
            </div>
        </section>
    }
}
