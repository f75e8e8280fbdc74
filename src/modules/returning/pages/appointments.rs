//! 荣誉书记与发展顾问 (appointments): the totals over the villages on the
//! tablet, then one village's appointees (kind, name, where they work now,
//! certificate number, date, term); tap one for the details, history and
//! conflicts; add an appointment (certificate number required and unique,
//! the term ends after it starts — `yanzhen_model::returning`). Appointments
//! live in the village's document: a tablet that may only read it is told
//! so instead of being offered the form.

use leptos::prelude::*;

use crate::data::save::settle;
use crate::data::write::put_record;

use crate::data::save::show_write;
use yanzhen_model::Id;
use yanzhen_model::entities::{Appointment, AppointmentKind};

use crate::data::docs::use_district;
use crate::data::ids::new_id;
use crate::data::save::SaveState;
use crate::i18n::t;
use crate::modules::returning::components::field::RetField;
use crate::modules::returning::components::trail::ReturningTrail;
use crate::modules::returning::data::{chosen, home_unit, use_unit_choice, use_units_here};
use crate::modules::returning::form::{AppointmentForm, Errors};
use crate::modules::returning::labels;
use crate::modules::returning::messages::ReturningMsg as M;
use crate::modules::returning::messages::SAVE_WORDS;
use crate::modules::returning::rows::{appointment_rows, appointment_totals};
use crate::routes::Screen;
use crate::sync::repo::use_sync;
use crate::ui::choice_field::ChoiceField;
use crate::ui::detail_head::DetailHead;
use crate::ui::empty_note::EmptyNote;
use crate::ui::pick_row::PickRow;
use crate::ui::save_actions::SaveActions;
use crate::ui::screen_header::ScreenHeader;
use crate::ui::unit_picker::UnitPicker;

#[component]
pub fn ReturningAppointmentsPage() -> impl IntoView {
    let sync = use_sync();
    let district = use_district(sync);
    let units = use_units_here(sync);
    let own = home_unit(sync, district, units);
    let (choices, selected) = use_unit_choice(district, units, own);
    let unit = chosen(units, selected);
    let doc = Signal::derive(move || unit.with(|u| u.as_ref().map(|u| u.doc)));
    let can_add = Signal::derive(move || unit.with(|u| u.as_ref().is_some_and(|u| !u.read_only)));
    let totals =
        Signal::derive(move || units.with(|u| appointment_totals(u.iter().map(|u| &*u.data))));
    let rows = Signal::derive(move || {
        unit.with(|u| {
            u.as_ref()
                .map(|u| appointment_rows(&u.data))
                .unwrap_or_default()
        })
    });
    let picked = RwSignal::new(None::<Id>);
    Effect::new(move |_| {
        selected.track();
        picked.set(None);
    });
    let current = Memo::new(move |_| {
        let id = picked.get()?;
        rows.with(|r| r.iter().find(|a| a.id == id).cloned())
    });

    // The new-appointment form.
    let kind = RwSignal::new(AppointmentKind::DevelopmentAdvisor);
    let name = RwSignal::new(String::new());
    let origin = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let cert = RwSignal::new(String::new());
    let appointed = RwSignal::new(String::new());
    let term_end = RwSignal::new(String::new());
    let errors = RwSignal::new(Errors::default());
    let state = RwSignal::new(SaveState::Idle);
    settle(sync, move || doc.get(), vec![state]);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(d) = doc.get_untracked() else {
            state.set(SaveState::Failed);
            return;
        };
        let form = AppointmentForm {
            kind: kind.get_untracked(),
            name: name.get_untracked(),
            origin: origin.get_untracked(),
            phone: phone.get_untracked(),
            certificate_no: cert.get_untracked(),
            appointed: appointed.get_untracked(),
            term_end: term_end.get_untracked(),
        };
        // Certificate numbers are unique over every village on this tablet.
        let others: Vec<Appointment> = units.with_untracked(|u| {
            u.iter()
                .flat_map(|u| u.data.appointments.values().cloned())
                .collect()
        });
        let a = match form.to_appointment(new_id(), &others) {
            Ok(a) => a,
            Err(e) => {
                errors.set(e);
                state.set(SaveState::Invalid);
                return;
            }
        };
        if show_write(put_record(sync, d, &a), errors, state, |v| {
            Errors::from_validation(v, "name")
        }) {
            for s in [name, origin, phone, cert] {
                s.set(String::new());
            }
            picked.set(Some(a.id.clone()));
        }
    };
    let input = move |id: &'static str,
                      field: &'static str,
                      label: M,
                      value: RwSignal<String>,
                      kind: &'static str| {
        view! { <RetField id=id field=field label=label value=value kind=kind errors=errors/> }
    };
    let term = |a: &Appointment| match a.term_end {
        Some(d) => d.to_string().into_any(),
        None => t(M::ApptTermNone).into_any(),
    };

    let detail = move || {
        current.get().map(|a| {
            let name = a.name.clone();
            view! {
                <section class="card ret-detail" id="ret-appt-detail" data-id=a.id.as_str().to_owned()>
                    <DetailHead close_id="ret-appt-close" close=M::Close on_close=move |()| picked.set(None)>
                        <h2>{t(M::ApptDetail)} " · " {name}</h2>
                    </DetailHead>
                    <dl class="facts">
                        <dt>{t(M::ApptKind)}</dt><dd>{t(labels::appointment_kind(a.kind))}</dd>
                        <dt>{t(M::ApptOrigin)}</dt><dd>{a.origin.clone()}</dd>
                        <dt>{t(M::ApptPhone)}</dt><dd>{a.phone.clone()}</dd>
                        <dt>{t(M::ApptCertificate)}</dt><dd>{a.certificate_no.clone()}</dd>
                        <dt>{t(M::ApptAppointed)}</dt><dd>{a.appointed.to_string()}</dd>
                        <dt>{t(M::ApptTermEnd)}</dt><dd>{term(&a)}</dd>
                    </dl>
                </section>
            }
        })
    };

    view! {
        <ScreenHeader screen=Screen::ReturningAppointments/>
        <section class="card ret-totals">
            <h2>{t(M::ApptTotals)}</h2>
            <div class="ret-figures">
                <div class="ret-figure">
                    <strong id="ret-honorary" data-count=move || totals.get().0.to_string()>{move || totals.get().0}</strong>
                    <span>{t(M::KindHonorary)}</span>
                </div>
                <div class="ret-figure">
                    <strong id="ret-advisors" data-count=move || totals.get().1.to_string()>{move || totals.get().1}</strong>
                    <span>{t(M::KindAdvisor)}</span>
                </div>
            </div>
        </section>
        <section class="card">
            <h2>{t(M::ApptListTitle)}</h2>
            <Show when=move || choices.with(|c| c.len() > 1)>
                <UnitPicker choices=choices.into() selected=selected/>
            </Show>
            {move || {
                if unit.with(Option::is_none) {
                    let msg = if choices.with(Vec::is_empty) { M::NoUnits } else { M::Loading };
                    return view! { <EmptyNote id="ret-appt-state" msg=msg/> }.into_any();
                }
                if rows.with(Vec::is_empty) {
                    return view! { <EmptyNote id="ret-appt-state" msg=M::NoneYet small=true/> }.into_any();
                }
                view! {
                    <table class="plain-table ret-table" id="ret-appointments" data-count=move || rows.with(Vec::len).to_string()>
                        <thead>
                            <tr>
                                <th>{t(M::ApptKind)}</th>
                                <th>{t(M::ApptName)}</th>
                                <th>{t(M::ApptOrigin)}</th>
                                <th>{t(M::ApptCertificate)}</th>
                                <th>{t(M::ApptAppointed)}</th>
                                <th>{t(M::ApptTermEnd)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || rows.get().into_iter().map(|a| {
                                let (id, cert) = (a.id.clone(), a.certificate_no.clone());
                                view! {
                                    <PickRow class="ret-row ret-appt-row" id=id picked=picked attr:data-certificate=cert>
                                        <td><span class="chip">{t(labels::appointment_kind(a.kind))}</span></td>
                                        <td>{a.name.clone()}</td>
                                        <td>{a.origin.clone()}</td>
                                        <td>{a.certificate_no.clone()}</td>
                                        <td>{a.appointed.to_string()}</td>
                                        <td>{term(&a)}</td>
                                    </PickRow>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        {detail}
        <ReturningTrail<Appointment> doc=doc id=Signal::derive(move || picked.get())/>
        <section class="card">
            <h2>{t(M::ApptAddTitle)}</h2>
            <Show
                when=move || can_add.get()
                fallback=move || view! { <p class="hint readonly-reason" id="ret-appt-readonly">{t(M::ReadOnlyUnit)}</p> }
            >
                <form class="form field-grid" id="ret-appt-form" on:submit=save novalidate=true>
                    <ChoiceField id="ret-appt-kind" label=M::ApptKind all=AppointmentKind::ALL value=kind name=labels::appointment_kind/>
                    {input("ret-appt-name", "name", M::ApptName, name, "text")}
                    {input("ret-appt-origin", "origin", M::ApptOrigin, origin, "text")}
                    {input("ret-appt-phone", "phone", M::ApptPhone, phone, "tel")}
                    {input("ret-appt-certificate", "certificate_no", M::ApptCertificate, cert, "text")}
                    {input("ret-appt-appointed", "appointed", M::ApptAppointed, appointed, "date")}
                    {input("ret-appt-term", "term_end", M::ApptTermEnd, term_end, "date")}
                    <SaveActions button_id="ret-appt-save" label=M::ApptSave state_id="ret-appt-save-state" state=state words=SAVE_WORDS wide=true/>
                </form>
            </Show>
        </section>
    }
}
