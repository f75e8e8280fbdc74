//! The administrator's list of enrolled tablets (name, role, unit,
//! enrolled, last seen, active or revoked) with a "revoke" button that asks
//! for confirmation first; this tablet is marked and cannot revoke itself.
//! The calls are [`crate::sync::api::devices`] and
//! [`crate::sync::api::revoke`].

use crate::access::device::{DeviceEntry, local_datetime};
use crate::access::directory::{UnitChoice, unit_name};
use crate::access::role::Role;
use crate::i18n::{Msg, t, use_i18n};
use crate::sync::api::{self, ApiError};
use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn DeviceList(
    units: Signal<Vec<UnitChoice>>,
    base: Signal<String>,
    token: Signal<String>,
    /// This tablet's device id.
    own: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let devices = RwSignal::new(None::<Vec<DeviceEntry>>);
    let problem = RwSignal::new(None::<ApiError>);
    let confirming = RwSignal::new(None::<String>);
    let load = move || {
        let (b, tk) = (base.get_untracked(), token.get_untracked());
        spawn_local(async move {
            match api::devices(&b, &tk).await {
                Ok(list) => {
                    devices.set(Some(list));
                    problem.set(None);
                }
                Err(e) => problem.set(Some(e)),
            }
        });
    };
    load();
    let revoke = move |id: String| {
        confirming.set(None);
        let (b, tk) = (base.get_untracked(), token.get_untracked());
        spawn_local(async move {
            match api::revoke(&b, &tk, &id).await {
                Ok(()) => load(),
                Err(e) => problem.set(Some(e)),
            }
        });
    };
    let when = move |ms: Option<i64>| match ms {
        Some(ms) => Either::Left(local_datetime(ms)),
        None => Either::Right(t(Msg::AdminNever)),
    };

    view! {
        <section class="card" id="device-list">
            <div class="card-head">
                <h2>{t(Msg::AdminDevicesTitle)}</h2>
                <button type="button" class="button" id="devices-refresh" on:click=move |_| load()>
                    {t(Msg::AdminRefresh)}
                </button>
            </div>
            {move || problem.get().map(|e| view! {
                <p class="field-error" id="devices-error" role="alert">
                    {move || e.text(i18n.lang.get())} " " {t(Msg::AdminErrLoad)}
                </p>
            })}
            {move || match devices.get() {
                None => None,
                Some(list) if list.is_empty() => Some(Either::Left(view! {
                    <p id="devices-empty">{t(Msg::AdminNoDevices)}</p>
                })),
                Some(list) => Some(Either::Right(view! {
                    <table class="sync-docs devices" id="devices">
                        <thead>
                            <tr>
                                <th scope="col">{t(Msg::AdminColName)}</th>
                                <th scope="col">{t(Msg::AdminRole)}</th>
                                <th scope="col">{t(Msg::AdminUnit)}</th>
                                <th scope="col">{t(Msg::AdminColCreated)}</th>
                                <th scope="col">{t(Msg::AdminColLastSeen)}</th>
                                <th scope="col">{t(Msg::AdminColStatus)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {list.into_iter().map(|d| {
                                let id = d.device_id.clone();
                                let row_id = id.clone();
                                let id2 = id.clone();
                                let id3 = id.clone();
                                let revoked = d.revoked_at.is_some();
                                let mine = own.with(|o| *o == d.device_id);
                                let role = Role::parse(&d.role);
                                let unit = d.unit_id.clone().map(|u| units.with(|all| unit_name(all, &u)).unwrap_or(u));
                                view! {
                                    <tr data-device=row_id data-revoked=revoked.to_string()>
                                        <td class="device-name">{d.name.clone()}</td>
                                        <td>{role.map(|r| t(r.msg()))}</td>
                                        <td>{match unit {
                                            Some(u) => Either::Left(u),
                                            None => Either::Right(t(Msg::DeviceWholeDistrict)),
                                        }}</td>
                                        <td>{local_datetime(d.created_at)}</td>
                                        <td>{when(d.last_seen_at)}</td>
                                        <td>
                                            {if mine {
                                                Either::Left(Either::Left(view! {
                                                    <span class="badge">{t(Msg::AdminActive)}</span>
                                                    <br/><small class="this-tablet">{t(Msg::AdminThisTablet)}</small>
                                                }))
                                            } else if revoked {
                                                Either::Left(Either::Right(view! {
                                                    <span class="badge revoked">{t(Msg::AdminRevoked)}</span>
                                                    <br/><small>{when(d.revoked_at)}</small>
                                                }))
                                            } else {
                                                Either::Right(view! {
                                                    <span class="badge">{t(Msg::AdminActive)}</span> " "
                                                    <Show when=move || confirming.get().as_deref() != Some(id2.as_str())>
                                                        {
                                                            let id = id.clone();
                                                            view! {
                                                                <button type="button" class="button danger revoke"
                                                                    on:click=move |_| confirming.set(Some(id.clone()))>
                                                                    {t(Msg::AdminRevoke)}
                                                                </button>
                                                            }
                                                        }
                                                    </Show>
                                                    {
                                                        let id3 = id3.clone();
                                                        move || (confirming.get().as_deref() == Some(id3.as_str())).then(|| {
                                                            let id = id3.clone();
                                                            view! {
                                                                <div class="confirm" role="alertdialog">
                                                                    <p>{t(Msg::AdminRevokeConfirm)}</p>
                                                                    <button type="button" class="button danger revoke-yes"
                                                                        on:click=move |_| revoke(id.clone())>
                                                                        {t(Msg::AdminRevokeYes)}
                                                                    </button>
                                                                    " "
                                                                    <button type="button" class="button revoke-no"
                                                                        on:click=move |_| confirming.set(None)>
                                                                        {t(Msg::AdminCancel)}
                                                                    </button>
                                                                </div>
                                                            }
                                                        })
                                                    }
                                                })
                                            }}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                })),
            }}
        </section>
    }
}
