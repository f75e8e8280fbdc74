//! The administrator's form for a new enrolment code: role, unit (from the
//! district directory, only the units that fit the role) and how long it
//! stays valid. The code comes back large, grouped for reading aloud, with
//! its expiry. Which units fit is [`crate::access::directory::choices_for`];
//! the call is [`crate::sync::api::issue_code`].

use crate::access::device::{EXPIRY_CHOICES, IssuedCode};
use crate::access::directory::{UnitChoice, choices_for, unit_name};
use crate::access::role::Role;
use crate::i18n::{Msg, t, use_i18n};
use crate::modules::admin::components::issued_code::IssuedCodeCard;
use crate::sync::api::{self, ApiError};
use leptos::prelude::*;
use leptos::task::spawn_local;

fn expiry_msg(hours: u32) -> Msg {
    match hours {
        24 => Msg::AdminHours24,
        168 => Msg::AdminHours168,
        _ => Msg::AdminHours72,
    }
}

/// `units`: the directory; `base`/`token`: where and as whom to ask;
/// `issued`: told when a code was issued (to refresh the device list).
#[component]
pub fn IssueCodeForm(
    units: Signal<Vec<UnitChoice>>,
    base: Signal<String>,
    token: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let role = RwSignal::new(Role::Village);
    let unit = RwSignal::new(String::new());
    let hours = RwSignal::new(72u32);
    let unit_error = RwSignal::new(false);
    let refused = RwSignal::new(None::<ApiError>);
    let issued = RwSignal::new(None::<IssuedCode>);
    let busy = RwSignal::new(false);
    let choices = move || units.with(|u| choices_for(u, role.get()));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        refused.set(None);
        issued.set(None);
        let r = role.get_untracked();
        let u = unit.get_untracked();
        let fits = units.with_untracked(|all| choices_for(all, r).iter().any(|c| c.id == u));
        if r.needs_unit() && !fits {
            unit_error.set(true);
            return;
        }
        unit_error.set(false);
        busy.set(true);
        let (b, tk, h) = (
            base.get_untracked(),
            token.get_untracked(),
            hours.get_untracked(),
        );
        spawn_local(async move {
            let unit = r.needs_unit().then_some(u);
            match api::issue_code(&b, &tk, r, unit.as_deref(), h).await {
                Ok(code) => issued.set(Some(code)),
                Err(e) => refused.set(Some(e)),
            }
            busy.set(false);
        });
    };

    view! {
        <form class="card form" id="issue-form" on:submit=submit novalidate=true>
            <h2>{t(Msg::AdminIssueTitle)}</h2>
            <label for="issue-role">{t(Msg::AdminRole)}</label>
            <select id="issue-role" on:change=move |ev| {
                if let Some(r) = Role::parse(&event_target_value(&ev)) {
                    role.set(r);
                    unit.set(String::new());
                }
            }>
                {Role::ISSUABLE.into_iter().map(|r| view! {
                    <option value=r.as_str() selected=move || role.get() == r>{t(r.msg())}</option>
                }).collect_view()}
            </select>
            <Show when=move || role.get().needs_unit()>
                <label for="issue-unit">{t(Msg::AdminUnit)}</label>
                <select id="issue-unit" class:invalid=move || unit_error.get()
                    on:change=move |ev| unit.set(event_target_value(&ev))>
                    <option value="" selected=move || unit.get().is_empty()>{t(Msg::AdminUnitPick)}</option>
                    {move || choices().into_iter().map(|c| {
                        let id = c.id.clone();
                        let label = match &c.parent {
                            Some(p) => format!("{} · {}", c.name, p),
                            None => c.name.clone(),
                        };
                        view! { <option value=c.id.clone() selected=move || unit.get() == id>{label}</option> }
                    }).collect_view()}
                </select>
                {move || unit_error.get().then(|| view! {
                    <p class="field-error" id="issue-unit-error" role="alert">{t(Msg::AdminErrUnit)}</p>
                })}
            </Show>
            <label for="issue-hours">{t(Msg::AdminExpiry)}</label>
            <select id="issue-hours" on:change=move |ev| {
                if let Ok(h) = event_target_value(&ev).parse() { hours.set(h) }
            }>
                {EXPIRY_CHOICES.into_iter().map(|h| view! {
                    <option value=h.to_string() selected=move || hours.get() == h>{t(expiry_msg(h))}</option>
                }).collect_view()}
            </select>
            {move || refused.get().map(|e| view! {
                <p class="field-error" id="issue-error" role="alert">{move || e.text(i18n.lang.get())}</p>
            })}
            <div class="form-actions">
                <button type="submit" class="button primary" id="issue-submit" disabled=move || busy.get()>
                    {t(Msg::AdminIssue)}
                </button>
            </div>
            {move || issued.get().map(|c| {
                let unit = c.unit_id.as_deref().and_then(|id| units.with(|u| unit_name(u, id)));
                view! { <IssuedCodeCard code=c target=unit/> }
            })}
        </form>
    }
}
