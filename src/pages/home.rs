//! The home screen: the tablet's office, its enrolment (role and unit) and
//! a tile for each programme module.

use crate::access::components::device_summary::DeviceSummary;
use crate::app::use_settings;
use crate::i18n::{Msg, t};
use crate::modules::dashboard::components::unit_figures::UnitFigures;
use crate::modules::returning::components::contact_due::ContactDue;
use crate::routes::Route;
use crate::sync::repo::use_sync;
use crate::ui::module_tile::ModuleTile;
use crate::ui::paint_mark::PaintMark;

/// The performance mark of the home screen painted with the tablet's
/// documents loaded (cold open, `cargo xtask bench`).
pub const HOME_PAINTED_MARK: &str = "yanzhen:home-painted";
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let app_settings = use_settings();
    let loaded = use_sync().docs_loaded;
    let office = move || app_settings.saved.with(|s| s.office.clone());
    let sync = use_sync();
    // A city tablet's work is the city dashboard: its tile comes first.
    let city = move || {
        sync.enrolment.with(|e| {
            e.as_ref()
                .and_then(|e| e.device.role())
                .is_some_and(|r| r.is_city())
        })
    };
    view! {
        <header class="page-header">
            <h1 id="page-title">{t(Msg::HomeWelcome)}</h1>
            <p class="page-intro">{t(Msg::HomeIntro)}</p>
        </header>
        <section class="card">
            <h2>{t(Msg::HomeOffice)}</h2>
            <p id="home-office">
                {move || match office() {
                    Some(name) => name.into_any(),
                    None => t(Msg::HomeOfficeUnset).into_any(),
                }}
            </p>
        </section>
        <section class="card">
            <h2>{t(Msg::HomeDevice)}</h2>
            <DeviceSummary/>
        </section>
        {move || city().then(|| view! {
            <div class="tiles" id="home-city">
                <ModuleTile route=Route::City summary=Msg::CityIntro/>
            </div>
        })}
        <PaintMark name=HOME_PAINTED_MARK when=loaded/>
        <ContactDue/>
        <UnitFigures/>
        <h2>{t(Msg::HomeModules)}</h2>
        <div class="tiles">
            <ModuleTile route=Route::Lead summary=Msg::LeadIntro/>
            <ModuleTile route=Route::Flock summary=Msg::FlockIntro/>
            <ModuleTile route=Route::Returning summary=Msg::ReturningIntro/>
            <ModuleTile route=Route::Young summary=Msg::YoungIntro/>
        </div>
    }
}
