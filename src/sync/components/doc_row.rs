//! One document's row on the sync-status screen: its name, when the server
//! last confirmed it, and whether local changes are still unconfirmed; a
//! read-only document says so, and edits of it kept on this tablet are
//! flagged (`data-readonly-edits`).

use crate::i18n::{Msg, t};
use crate::sync::status::{DocKind, DocRow, local_clock};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn SyncDocRow(row: DocRow) -> impl IntoView {
    let district = row.kind == DocKind::District;
    let name = match row.name.clone() {
        Some(n) => Either::Left(n),
        None => Either::Right(t(if district {
            Msg::SyncDistrictDoc
        } else {
            Msg::SyncUnnamed
        })),
    };
    let kind = match row.kind {
        DocKind::District => "district",
        DocKind::Unit => "unit",
        DocKind::Other => "other",
    };
    let last_sync = row.last_sync.map(local_clock);
    view! {
        <tr data-doc=row.id.to_string() data-ack=row.ack.name() data-kind=kind data-unsaved=row.unsaved.to_string()
            data-readonly=row.read_only.to_string() data-readonly-edits=row.readonly_edits.to_string()>
            <td class="sync-doc-name">
                {name}
                {(district && row.name.is_some())
                    .then(|| view! { <br/><small>{t(Msg::SyncDistrictDoc)}</small> })}
                {row.read_only.then(|| view! { " " <span class="badge">{t(Msg::SyncDocReadOnly)}</span> })}
            </td>
            <td class="sync-doc-last">
                {match last_sync {
                    Some(c) => Either::Left(c),
                    None => Either::Right(t(Msg::SyncNever)),
                }}
            </td>
            <td class="sync-doc-state">
                {if row.readonly_edits { t(Msg::SyncDocReadOnlyEdits) } else { t(row.ack.msg()) }}
                {row.unsaved.then(|| view! { <br/><span class="sync-doc-unsaved">{t(Msg::SyncDocUnsaved)}</span> })}
            </td>
        </tr>
    }
}
