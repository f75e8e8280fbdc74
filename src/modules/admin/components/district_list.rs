//! The city's districts (name, id, enrolled devices, created), each with
//! a button for another district-admin code (the first one expired or was
//! lost); the code is shown once under the list. The calls are
//! [`crate::modules::admin::district_api`]'s.

use crate::access::device::{IssuedCode, local_datetime};
use crate::access::districts::DistrictEntry;
use crate::i18n::{Msg, t, use_i18n};
use crate::modules::admin::components::issued_code::IssuedCodeCard;
use crate::modules::admin::district_api;
use crate::sync::api::ApiError;
use crate::ui::empty_note::EmptyNote;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn DistrictList(
    /// The districts (`None` while loading).
    #[prop(into)]
    districts: Signal<Option<Vec<DistrictEntry>>>,
    /// Why the list could not be loaded, if so.
    #[prop(into)]
    problem: Signal<Option<ApiError>>,
    base: Signal<String>,
    token: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let issued = RwSignal::new(None::<(IssuedCode, String)>);
    let refused = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let issue = move |d: DistrictEntry| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        issued.set(None);
        refused.set(None);
        let (b, tk) = (base.get_untracked(), token.get_untracked());
        spawn_local(async move {
            match district_api::issue(&b, &tk, &d.district_id).await {
                Ok(c) => issued.set(Some((c, d.name))),
                Err(e) => refused.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let row = move |d: DistrictEntry| {
        let (id, key) = (d.district_id.clone(), d.district_id.clone());
        let entry = d.clone();
        view! {
            <li class="district-row" data-district=key>
                <strong class="district-name">{d.name}</strong> " · " <code>{id}</code>
                <span class="hint">
                    " · " {t(Msg::DistrictDevices)} " " <span class="district-devices">{d.devices}</span>
                    {(d.created_at > 0).then(|| format!(" · {}", local_datetime(d.created_at)))}
                </span>
                <button type="button" class="button district-code" disabled=move || busy.get()
                    on:click=move |_| issue(entry.clone())>
                    {t(Msg::DistrictNewCode)}
                </button>
            </li>
        }
    };
    view! {
        <section class="card" id="district-list">
            <h2>{t(Msg::DistrictListTitle)}</h2>
            {move || problem.get().map(|e| view! {
                <p class="field-error" id="district-list-error" role="alert">{move || e.text(i18n.lang.get())}</p>
            })}
            {move || match districts.get() {
                None => None,
                Some(l) if l.is_empty() => Some(view! { <EmptyNote msg=Msg::DistrictNone small=true/> }.into_any()),
                Some(l) => Some(view! { <ul class="district-rows">{l.into_iter().map(row).collect_view()}</ul> }.into_any()),
            }}
            {move || refused.get().map(|e| view! {
                <p class="field-error" id="district-code-error" role="alert">{move || e.text(i18n.lang.get())}</p>
            })}
            {move || issued.get().map(|(c, name)| view! { <IssuedCodeCard code=c target=Some(name)/> })}
        </section>
    }
}
