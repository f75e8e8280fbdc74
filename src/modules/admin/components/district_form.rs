//! The city admin's form for a new district: its id and name, checked
//! before anything is sent ([`crate::access::districts::DistrictForm`]);
//! the district's first district-admin code comes back and is shown once.
//! The call is [`crate::modules::admin::district_api::create`].

use crate::access::districts::{CreatedDistrict, DistrictForm};
use crate::i18n::{Msg, t, use_i18n};
use crate::modules::admin::components::issued_code::IssuedCodeCard;
use crate::modules::admin::district_api;
use crate::sync::api::ApiError;
use crate::ui::form_errors::FieldMap;
use crate::ui::text_field::TextField;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// `created`: told when a district was created (to reload the list).
#[component]
pub fn DistrictCreateForm(
    base: Signal<String>,
    token: Signal<String>,
    created: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldMap::<Msg>::default());
    let refused = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<CreatedDistrict>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        refused.set(None);
        done.set(None);
        let form = DistrictForm {
            id: id.get_untracked(),
            name: name.get_untracked(),
        };
        let (i, n) = match form.validate() {
            Ok(ok) => ok,
            Err(e) => {
                errors.set(FieldMap(e.fields()));
                return;
            }
        };
        errors.set(FieldMap::default());
        busy.set(true);
        let (b, tk) = (base.get_untracked(), token.get_untracked());
        spawn_local(async move {
            match district_api::create(&b, &tk, &i, &n).await {
                Ok(d) => {
                    done.set(Some(d));
                    id.set(String::new());
                    name.set(String::new());
                    created.run(());
                }
                Err(e) => refused.set(Some(e)),
            }
            busy.set(false);
        });
    };

    view! {
        <form class="card form" id="district-form" on:submit=submit novalidate=true>
            <h2>{t(Msg::DistrictNewTitle)}</h2>
            <TextField id="district-id" label=Msg::DistrictId field="districtId" value=id errors=errors
                placeholder="hexi"/>
            <TextField id="district-name" label=Msg::DistrictName field="name" value=name errors=errors/>
            {move || refused.get().map(|e| view! {
                <p class="field-error" id="district-error" role="alert">{move || e.text(i18n.lang.get())}</p>
            })}
            <div class="form-actions">
                <button type="submit" class="button primary" id="district-submit" disabled=move || busy.get()>
                    {t(Msg::DistrictCreate)}
                </button>
            </div>
            {move || done.get().map(|d| view! {
                <IssuedCodeCard code=d.code target=Some(d.district.name) title=Msg::DistrictCreated/>
            })}
        </form>
    }
}
