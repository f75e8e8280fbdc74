//! This tablet's enrolment in plain words: its role, its unit and its name
//! (or that it is not enrolled yet). The token is never shown.

use crate::access::directory;
use crate::access::role::Role;
use crate::i18n::{Msg, t};
use crate::sync::repo::use_sync;
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn DeviceSummary() -> impl IntoView {
    let sync = use_sync();
    let device = move || {
        sync.enrolment
            .with(|e| e.as_ref().map(|e| e.device.clone()))
    };
    // The unit's name: from the enrolment's documents, else the directory.
    let unit = move || {
        let d = device()?;
        let role = d.role()?;
        if !role.needs_unit() {
            return Some(Either::Left(t(Msg::DeviceWholeDistrict)));
        }
        let id = d.unit_id.clone()?;
        let name = d.unit_name().map(str::to_owned).or_else(|| {
            let district = d.district_document_id.as_deref()?.parse().ok()?;
            let _ = sync.revision(&district);
            sync.with_document(&district, |am| {
                directory::unit_name(&directory::units(am), &id)
            })
            .flatten()
        });
        Some(Either::Right(name.unwrap_or(id)))
    };
    view! {
        {move || match device() {
            None => Either::Left(view! {
                <p id="device-not-enrolled">{t(Msg::DeviceNotEnrolled)}</p>
            }),
            Some(d) => {
                let role = d.role().map(Role::msg);
                Either::Right(view! {
                    <dl class="facts device-summary">
                        <dt>{t(Msg::DeviceRole)}</dt>
                        <dd id="device-role" data-role=d.role.clone()>
                            {role.map(t)}
                        </dd>
                        <dt>{t(Msg::DeviceUnit)}</dt>
                        <dd id="device-unit">{unit}</dd>
                        <dt>{t(Msg::DeviceName)}</dt>
                        <dd id="device-name">{d.name.clone()}</dd>
                    </dl>
                })
            }
        }}
    }
}
