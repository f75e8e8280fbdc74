//! 持证上岗 (certified social workers) at `/flock/certificates`: the
//! certified share of community workers over the units on this tablet, the
//! exam-preparation lectures (district sessions flagged `exam_prep`), and,
//! for a picked unit, its community workers with their certificates; tap a
//! worker to add a certificate and see its history. Certificates live in
//! the unit's document: the unit's own tablet (or the district's) adds
//! them; elsewhere the form is replaced by the reason.

use leptos::prelude::*;

use yanzhen_model::Id;
use yanzhen_model::entities::Certificate;
use yanzhen_model::store::UnitData;

use crate::data::docs::{use_district, use_picked_unit};
use crate::data::ids::new_id;
use crate::data::save::{SaveState, save_form, settle};
use crate::i18n::t;
use crate::modules::flock::components::cert_form::FlockCertForm;
use crate::modules::flock::components::screen::FlockScreen;
use crate::modules::flock::components::share::FlockShare;
use crate::modules::flock::components::trail::FlockTrail;
use crate::modules::flock::components::workers::FlockWorkers;
use crate::modules::flock::form::{CertForm, FlockErrors};
use crate::modules::flock::hooks::all_units;
use crate::modules::flock::messages::FlockMsg;
use crate::modules::flock::{names, rows};
use crate::routes::Screen;
use crate::sync::repo::use_sync;
use crate::ui::unit_picker::UnitPicker;

#[component]
pub fn FlockCertificatesPage() -> impl IntoView {
    let sync = use_sync();
    let district = use_district(sync);
    let units = all_units(sync);
    let share = Memo::new(move |_| {
        units.with(|u| {
            let refs: Vec<&UnitData> = u.iter().map(|a| a.as_ref()).collect();
            rows::share(&refs)
        })
    });
    let lectures = Memo::new(move |_| {
        district.with(|d| d.as_ref().map(rows::lecture_rows).unwrap_or_default())
    });
    let units_counted = Signal::derive(move || units.with(Vec::len));

    let picked = use_picked_unit(sync, district);
    let workers = Memo::new(move |_| {
        picked
            .data
            .with(|u| u.as_ref().map(rows::worker_rows).unwrap_or_default())
    });

    let selected = RwSignal::new(None::<Id>);
    let errors = RwSignal::new(FlockErrors::default());
    let state = RwSignal::new(SaveState::Idle);
    // Another picked.data or worker: the form starts clean.
    Effect::new(move |prev: Option<(Option<String>, Option<Id>)>| {
        let now = (picked.unit.get(), selected.get());
        if prev.is_some_and(|p| p != now) {
            errors.set(FlockErrors::default());
            state.set(SaveState::Idle);
        }
        now
    });
    Effect::new(move |prev: Option<Option<String>>| {
        let now = picked.unit.get();
        if prev.is_some_and(|p| p != now) {
            selected.set(None);
        }
        now
    });
    settle(sync, move || picked.doc.get(), vec![state]);
    let person = Signal::derive(move || {
        let id = selected.get()?;
        workers.with(|w| {
            w.iter()
                .find(|r| r.person == id)
                .map(|r| (r.person.clone(), r.name.clone()))
        })
    });
    // The certificate shown: the picked worker's newest.
    let shown_cert = Signal::derive(move || {
        let id = selected.get()?;
        workers.with(|w| {
            w.iter()
                .find(|r| r.person == id)
                .and_then(|r| r.certs.first().map(|c| c.id.clone()))
        })
    });
    let on_save = Callback::new(move |form: CertForm| {
        let made: Result<Certificate, _> = form.to_certificate(new_id());
        save_form(sync, picked.doc.get_untracked(), made, errors, state, |v| {
            FlockErrors::from_validation(v, "number")
        });
    });

    view! {
        <FlockScreen screen=Screen::FlockCertificates intro=FlockMsg::CertIntro district=district>
            <FlockShare share=share.into() units_counted=units_counted lectures=lectures.into()/>
            <section class="card" id="flock-workers-card">
                <h2>{t(FlockMsg::WorkersTitle)}</h2>
                <UnitPicker choices=picked.choices.into() selected=picked.unit/>
                <Show when=move || picked.data.with(Option::is_some)>
                    <FlockWorkers rows=workers.into() selected=selected/>
                </Show>
            </section>
            <Show when=move || selected.with(Option::is_some)>
                <Show
                    when=move || picked.can_write.get()
                    fallback=|| view! { <p class="notice notice-info" id="flock-cert-readonly">{t(FlockMsg::ReadOnlyUnit)}</p> }
                >
                    <FlockCertForm person=person errors=errors state=state.into() on_save=on_save/>
                </Show>
                <FlockTrail<Certificate> id="flock-cert-trail" doc=picked.doc picked=shown_cert names=names::CERTIFICATE/>
            </Show>
        </FlockScreen>
    }
}
