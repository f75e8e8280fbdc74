//! A storage failure on this tablet (storage full, database closed, a
//! document that does not load), shown on every screen until it is fixed:
//! the person editing must know that the latest change is not saved yet,
//! wherever they are. Clears itself when a retry succeeds.

use leptos::prelude::*;

use crate::i18n::t;
use crate::sync::repo::use_sync;
use crate::sync::status::Problem;

#[component]
pub fn StorageAlert() -> impl IntoView {
    let sync = use_sync();
    move || {
        sync.last_error
            .get()
            .filter(|p| matches!(p, Problem::Storage(_) | Problem::Document(_)))
            .map(|p| {
                view! {
                    <p class="notice notice-error" id="storage-alert" role="alert">
                        {t(p.msg())}
                    </p>
                }
            })
    }
}
