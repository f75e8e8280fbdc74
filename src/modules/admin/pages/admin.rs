//! The district administrator's screen: issue a one-time enrolment code
//! (shown large for reading aloud) and see or revoke enrolled tablets.
//! Linked only for a district-admin tablet; any other tablet that opens the
//! address is told it may not, and the server refuses the calls anyway.

use crate::access::directory::{UnitChoice, units};
use crate::access::messages::access_text;
use crate::app::use_settings;
use crate::i18n::{Msg, use_i18n};
use crate::modules::admin::components::device_list::DeviceList;
use crate::modules::admin::components::issue_code_form::IssueCodeForm;
use crate::routes::Route;
use crate::sync::api;
use crate::sync::repo::use_sync;
use crate::ui::page_header::PageHeader;
use leptos::either::Either;
use leptos::prelude::*;
use yanzhen_sync::DocumentId;

#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let settings = use_settings();
    let is_admin = move || {
        sync.enrolment.with(|e| {
            e.as_ref()
                .and_then(|e| e.device.role())
                .is_some_and(|r| r.sees_admin())
        })
    };
    let token = Signal::derive(move || {
        sync.enrolment
            .with(|e| e.as_ref().map(|e| e.token.clone()))
            .unwrap_or_default()
    });
    let base = Signal::derive(move || settings.saved.with(api::base_url));
    let own = Signal::derive(move || {
        sync.enrolment
            .with(|e| e.as_ref().map(|e| e.device.device_id.clone()))
            .unwrap_or_default()
    });
    let district = move || {
        sync.enrolment.with(|e| {
            e.as_ref()
                .and_then(|e| e.device.district_document_id.as_deref())
                .and_then(|d| d.parse::<DocumentId>().ok())
        })
    };
    let directory: Signal<Vec<UnitChoice>> = Signal::derive(move || {
        let Some(d) = district() else {
            return Vec::new();
        };
        let _ = sync.revision(&d);
        sync.with_document(&d, units).unwrap_or_default()
    });
    view! {
        <PageHeader route=Route::Admin intro=Msg::AdminIntro/>
        {move || if is_admin() {
            Either::Left(view! {
                <IssueCodeForm units=directory base=base token=token/>
                <DeviceList units=directory base=base token=token own=own/>
            })
        } else {
            Either::Right(view! {
                <p class="notice notice-error" id="admin-forbidden" role="alert">
                    {move || access_text("access.forbidden", i18n.lang.get())}
                </p>
            })
        }}
    }
}
