//! 每月联络 (contact duty): pick a village (a village tablet has only its
//! own), see each honorary secretary / advisor with where they stand this
//! month (computed from today's date on the tablet, offline too) and log a
//! contact with one tap (kind), an optional note typed first; the
//! village's recent contacts (tap one for its history and conflicts); and,
//! on a tablet with several villages, each village's compliance this month
//! as a bar chart and a table.

use leptos::prelude::*;

use crate::data::save::settle;
use crate::data::write::put_record;
use yanzhen_model::Id;
use yanzhen_model::entities::{ContactKind, ContactLog};
use yanzhen_model::returning::{compliance, compliance_total, contact_status, district_compliance};

use crate::data::docs::use_district;
use crate::data::ids::new_id;
use crate::data::save::SaveState;
use crate::i18n::t;
use crate::modules::returning::components::bar_chart::ReturningBarChart;
use crate::modules::returning::components::due_list::ReturningDueList;
use crate::modules::returning::components::trail::ReturningTrail;
use crate::modules::returning::data::{
    chosen, home_unit, use_today, use_unit_choice, use_units_here,
};
use crate::modules::returning::messages::ReturningMsg as M;
use crate::modules::returning::{form, labels};
use crate::routes::Screen;
use crate::sync::repo::use_sync;
use crate::ui::empty_note::EmptyNote;
use crate::ui::save_note::SaveNote;
use crate::ui::screen_header::ScreenHeader;
use crate::ui::unit_picker::UnitPicker;

fn pct(p: Option<u32>) -> String {
    p.map_or_else(|| "—".to_owned(), |p| format!("{p}%"))
}

#[component]
pub fn ReturningContactsPage() -> impl IntoView {
    let sync = use_sync();
    let district = use_district(sync);
    let units = use_units_here(sync);
    let own = home_unit(sync, district, units);
    let today = use_today(sync);
    let (choices, selected) = use_unit_choice(district, units, own);
    let unit = chosen(units, selected);
    let doc = Signal::derive(move || unit.with(|u| u.as_ref().map(|u| u.doc)));

    let rows = Signal::derive(move || {
        unit.with(|u| u.as_ref().map(|u| contact_status(&u.data, today.get())))
            .unwrap_or_default()
    });
    let unit_compliance = Signal::derive(move || {
        unit.with(|u| u.as_ref().map(|u| compliance(&u.data, today.get())))
            .unwrap_or_default()
    });
    let can_log = Signal::derive(move || unit.with(|u| u.as_ref().is_some_and(|u| !u.read_only)));
    let note = RwSignal::new(String::new());
    let state = RwSignal::new(SaveState::Idle);
    settle(sync, move || doc.get(), vec![state]);
    let on_log = Callback::new(move |(appointment, kind): (Id, ContactKind)| {
        let Some(d) = doc.get_untracked() else {
            state.set(SaveState::Failed);
            return;
        };
        let c = form::contact(
            new_id(),
            &appointment,
            kind,
            today.get_untracked(),
            &note.get_untracked(),
        );
        let after = SaveState::after(&put_record(sync, d, &c));
        if after == SaveState::Saving {
            note.set(String::new());
        }
        state.set(after);
    });

    // Recent contacts of the village (newest first), one selectable.
    let recent = Signal::derive(move || {
        unit.with(|u| {
            let Some(u) = u else { return Vec::new() };
            let mut v: Vec<(ContactLog, String)> = u
                .data
                .contacts
                .values()
                .map(|c| {
                    let who = u
                        .data
                        .appointments
                        .get(&c.appointment_id)
                        .map(|a| a.name.clone())
                        .unwrap_or_default();
                    (c.clone(), who)
                })
                .collect();
            yanzhen_model::sorting::sort_by(&mut v, |a, b| {
                (b.0.date, &b.0.id).cmp(&(a.0.date, &a.0.id))
            });
            v.truncate(12);
            v
        })
    });
    let picked = RwSignal::new(None::<Id>);
    Effect::new(move |_| {
        selected.track();
        picked.set(None);
    });

    let villages = Memo::new(move |_| {
        let today = today.get();
        district.with(|d| {
            d.as_ref()
                .map(|d| units.with(|u| district_compliance(d, u.iter().map(|u| &*u.data), today)))
                .unwrap_or_default()
        })
    });
    let total = Signal::derive(move || villages.with(|v| compliance_total(v)));

    let village_view = move || {
        if unit.with(Option::is_none) {
            let msg = if choices.with(Vec::is_empty) {
                M::NoUnits
            } else {
                M::Loading
            };
            return view! { <EmptyNote id="ret-contacts-state" msg=msg/> }.into_any();
        }
        view! {
            <div class="ret-summary">
                <span class="label">{t(M::UnitCompliance)}</span>
                <strong
                    id="ret-unit-compliance"
                    data-contacted=move || unit_compliance.get().contacted.to_string()
                    data-appointees=move || unit_compliance.get().appointees.to_string()
                >
                    {move || {
                        let c = unit_compliance.get();
                        format!("{} / {}（{}）", c.contacted, c.appointees, pct(c.percent()))
                    }}
                </strong>
            </div>
            <Show when=move || can_log.get()>
                <div class="form ret-note">
                    <label for="ret-contact-note">{t(M::ContactNote)}</label>
                    <input type="text" id="ret-contact-note" bind:value=note autocomplete="off"/>
                </div>
            </Show>
            <Show when=move || !can_log.get()>
                <p class="hint readonly-reason" id="ret-contacts-readonly">{t(M::ReadOnlyUnit)}</p>
            </Show>
            <SaveNote id="ret-contact-state" state=state words=crate::modules::returning::messages::SAVE_WORDS/>
            <ReturningDueList id="ret-contact-list" rows=rows can_log=can_log on_log=on_log/>
        }
        .into_any()
    };

    view! {
        <ScreenHeader screen=Screen::ReturningContacts/>
        <section class="card">
            <div class="card-head">
                <h2>{t(M::ContactListTitle)}</h2>
            </div>
            <Show when=move || choices.with(|c| c.len() > 1)>
                <UnitPicker choices=choices.into() selected=selected/>
            </Show>
            <p class="hint">{t(M::DueIntro)}</p>
            {village_view}
        </section>
        <section class="card">
            <h2>{t(M::RecentTitle)}</h2>
            <Show
                when=move || !recent.with(Vec::is_empty)
                fallback=|| view! { <EmptyNote msg=M::NoneYet small=true/> }
            >
                <table class="plain-table ret-table" id="ret-recent">
                    <thead>
                        <tr>
                            <th>{t(M::ContactDate)}</th>
                            <th>{t(M::ContactWho)}</th>
                            <th>{t(M::ContactKindLabel)}</th>
                            <th>{t(M::ContactNote)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || recent.get().into_iter().map(|(c, who)| {
                            let id = c.id.clone();
                            let sel = c.id.clone();
                            view! {
                                <tr
                                    class="ret-row ret-recent-row"
                                    class:selected=move || picked.with(|p| p.as_ref() == Some(&sel))
                                    data-id=c.id.as_str().to_owned()
                                    on:click=move |_| picked.set(Some(id.clone()))
                                >
                                    <td>{c.date.to_string()}</td>
                                    <td>{who}</td>
                                    <td>{t(labels::contact_kind(c.kind))}</td>
                                    <td>{c.note.clone()}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </Show>
            <ReturningTrail<ContactLog> doc=doc id=Signal::derive(move || picked.get())/>
        </section>
        <Show when=move || villages.with(|v| v.len() > 1)>
            <section class="card ret-district">
                <h2>{t(M::DistrictTitle)}</h2>
                <p class="hint">{t(M::DistrictIntro)}</p>
                <ReturningBarChart rows=villages.into()/>
                <table class="plain-table ret-table" id="ret-compliance">
                    <thead>
                        <tr>
                            <th>{t(M::ColTownship)}</th>
                            <th>{t(M::ColVillage)}</th>
                            <th class="num">{t(M::ColAppointees)}</th>
                            <th class="num">{t(M::ColContacted)}</th>
                            <th class="num">{t(M::ColPercent)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || villages.get().into_iter().map(|v| view! {
                            <tr
                                class="ret-compliance-row"
                                data-unit=v.unit_id.as_str().to_owned()
                                data-appointees=v.compliance.appointees.to_string()
                                data-contacted=v.compliance.contacted.to_string()
                            >
                                <td>{v.township.clone()}</td>
                                <td>{v.name.clone()}</td>
                                <td class="num">{v.compliance.appointees}</td>
                                <td class="num">{v.compliance.contacted}</td>
                                <td class="num">{pct(v.compliance.percent())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                    <tfoot>
                        <tr id="ret-compliance-total"
                            data-appointees=move || total.get().appointees.to_string()
                            data-contacted=move || total.get().contacted.to_string()>
                            <th colspan="2">{t(M::DistrictTotal)}</th>
                            <th class="num">{move || total.get().appointees}</th>
                            <th class="num">{move || total.get().contacted}</th>
                            <th class="num">{move || pct(total.get().percent())}</th>
                        </tr>
                    </tfoot>
                </table>
            </section>
        </Show>
    }
}
