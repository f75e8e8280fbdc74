//! The city admin's screen (区县管理, `/admin/districts`): the city's
//! districts, a new one with its first district-admin code, another code
//! for a district. Linked for a city-admin tablet only; any other tablet
//! that opens the address is told it may not, and the server refuses the
//! calls anyway.

use crate::access::districts::DistrictEntry;
use crate::access::messages::access_text;
use crate::app::use_settings;
use crate::i18n::{Msg, use_i18n};
use crate::modules::admin::components::district_form::DistrictCreateForm;
use crate::modules::admin::components::district_list::DistrictList;
use crate::modules::admin::district_api;
use crate::routes::Screen;
use crate::sync::api::{self, ApiError};
use crate::sync::repo::use_sync;
use crate::ui::screen_header::ScreenHeader;
use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn DistrictsPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let settings = use_settings();
    let allowed = move || {
        sync.enrolment.with(|e| {
            e.as_ref()
                .and_then(|e| e.device.role())
                .is_some_and(|r| r.manages_districts())
        })
    };
    let token = Signal::derive(move || {
        sync.enrolment
            .with(|e| e.as_ref().map(|e| e.token.clone()))
            .unwrap_or_default()
    });
    let base = Signal::derive(move || settings.saved.with(api::base_url));
    let districts = RwSignal::new(None::<Vec<DistrictEntry>>);
    let problem = RwSignal::new(None::<ApiError>);
    let load = Callback::new(move |()| {
        let (b, tk) = (base.get_untracked(), token.get_untracked());
        spawn_local(async move {
            match district_api::list(&b, &tk).await {
                Ok(l) => {
                    districts.set(Some(l));
                    problem.set(None);
                }
                Err(e) => problem.set(Some(e)),
            }
        });
    });
    Effect::new(move |_| {
        if allowed() {
            load.run(());
        }
    });
    let intro = Signal::derive(move || Msg::DistrictsIntro.text(i18n.lang.get()).to_owned());
    view! {
        <ScreenHeader screen=Screen::AdminDistricts intro=intro/>
        {move || if allowed() {
            Either::Left(view! {
                <DistrictCreateForm base=base token=token created=load/>
                <DistrictList districts=districts problem=problem base=base token=token/>
            })
        } else {
            Either::Right(view! {
                <p class="notice notice-error" id="districts-forbidden" role="alert">
                    {move || access_text("access.forbidden", i18n.lang.get())}
                </p>
            })
        }}
    }
}
