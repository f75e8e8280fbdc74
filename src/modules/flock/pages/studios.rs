//! 名师工作室 (master studios) at `/flock/studios`: how many studios and
//! how many people were trained by shadowing; the studios (tap one: its
//! mentoring and shadowing placements with start, end and outcome); a new
//! placement; tap a placement to record its end and outcome and see its
//! history. Studios and placements live in the district document, written
//! by the district's tablet only; elsewhere the forms are replaced by the
//! reason.

use leptos::prelude::*;

use crate::data::clock::today;
use yanzhen_model::Id;
use yanzhen_model::entities::Mentorship;
use yanzhen_model::flock::shadowing_trained;
use yanzhen_model::store::UnitData;

use crate::data::choices::unit_choices;
use crate::data::docs::{district_doc, parse_doc, unit_docs_here, use_district, use_unit};
use crate::data::ids::new_id;
use crate::data::save::{SaveState, save_form, settle};
use crate::i18n::{t, use_i18n};
use crate::modules::flock::components::placement_form::FlockPlacementForm;
use crate::modules::flock::components::placements::FlockPlacements;
use crate::modules::flock::components::studios::FlockStudios;
use crate::modules::flock::form::{FlockErrors, PlacementForm};
use crate::modules::flock::hooks::all_units;
use crate::modules::flock::messages::FlockMsg;
use crate::modules::flock::{names, rows};
use crate::routes::Screen;
use crate::sync::repo::use_sync;
use crate::trail::record_trail::RecordTrail;
use crate::ui::empty_note::EmptyNote;
use crate::ui::screen_header::ScreenHeader;

#[component]
pub fn FlockStudiosPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let district = use_district(sync);
    let ddoc = district_doc(sync);
    let units = all_units(sync);
    let district_writable = Memo::new(move |_| ddoc.get().is_some_and(|d| sync.may_write(&d)));

    let studios = Memo::new(move |_| {
        district.with(|d| d.as_ref().map(rows::studio_rows).unwrap_or_default())
    });
    let shadowing =
        Memo::new(move |_| district.with(|d| d.as_ref().map(shadowing_trained).unwrap_or(0)));
    let studio_names = Signal::derive(move || {
        studios.with(|s| {
            s.iter()
                .map(|r| (r.id.clone(), r.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let studio = RwSignal::new(None::<Id>);
    Effect::new(move |_| {
        if studio.get_untracked().is_none()
            && let Some(first) = studios.with(|s| s.first().map(|r| r.id.clone()))
        {
            studio.set(Some(first));
        }
    });
    let placements = Memo::new(move |_| {
        let Some(s) = studio.get() else {
            return Vec::new();
        };
        district.with(|d| {
            units.with(|u| {
                let refs: Vec<&UnitData> = u.iter().map(|a| a.as_ref()).collect();
                d.as_ref()
                    .map(|d| rows::placement_rows(d, &refs, &s, today()))
                    .unwrap_or_default()
            })
        })
    });

    // ---- the placement form
    let selected = RwSignal::new(None::<Id>);
    let creating = RwSignal::new(false);
    let fresh_id = StoredValue::new(new_id());
    let errors = RwSignal::new(FlockErrors::default());
    let state = RwSignal::new(SaveState::Idle);
    settle(sync, move || ddoc.get(), vec![state]);
    Effect::new(move |prev: Option<Option<Id>>| {
        let now = selected.get();
        if let Some(Some(p)) = prev
            && now.as_ref() != Some(&p)
        {
            errors.set(FlockErrors::default());
            state.set(SaveState::Idle);
        }
        if now.is_some() {
            creating.set(false);
        }
        now
    });
    // Another studio: a placement of another studio is no longer shown.
    Effect::new(move |prev: Option<Option<Id>>| {
        let now = studio.get();
        let elsewhere = selected.get_untracked().is_some_and(|p| {
            district.with_untracked(|d| {
                d.as_ref()
                    .and_then(|d| d.mentorships.get(&p))
                    .is_some_and(|m| Some(&m.studio_id) != now.as_ref())
            })
        });
        if prev.is_some_and(|p| p != now) && elsewhere {
            selected.set(None);
        }
        now
    });
    let here = unit_docs_here(sync);
    let unit_list = Memo::new(move |_| {
        district.with(|d| {
            d.as_ref()
                .map(|d| here.with(|h| unit_choices(d, h)))
                .unwrap_or_default()
        })
    });
    let unit_choice = RwSignal::new(None::<String>);
    let unit_doc = Signal::derive(move || unit_choice.get().as_deref().and_then(parse_doc));
    let unit = use_unit(sync, unit_doc);
    let mentees = Signal::derive(move || {
        unit.with(|u| u.as_ref().map(rows::mentee_choices).unwrap_or_default())
    });

    let on_save = Callback::new(move |form: PlacementForm| {
        let is_new = creating.get_untracked();
        let id = if is_new {
            fresh_id.get_value()
        } else {
            match selected.get_untracked() {
                Some(id) => id,
                None => return,
            }
        };
        let made: Result<Mentorship, _> = form.to_placement(id.clone());
        let Some(record) = save_form(sync, ddoc.get_untracked(), made, errors, state, |v| {
            FlockErrors::from_validation(v, "start")
        }) else {
            return;
        };
        if is_new {
            fresh_id.set_value(new_id());
            studio.set(Some(record.studio_id.clone()));
            selected.set(Some(id));
        }
    });
    let start_new = move |_| {
        selected.set(None);
        errors.set(FlockErrors::default());
        state.set(SaveState::Idle);
        creating.set(true);
    };

    let form = move || {
        if !district_writable.get() {
            return None;
        }
        if creating.get() {
            let initial = PlacementForm {
                studio: studio.get_untracked(),
                ..PlacementForm::default()
            };
            return Some(
                view! {
                    <FlockPlacementForm initial=initial is_new=true studios=studio_names units=unit_list.into()
                        unit=unit_choice mentees=mentees errors=errors state=state.into() on_save=on_save/>
                }
                .into_any(),
            );
        }
        let id = selected.get()?;
        let m = district
            .with_untracked(|d| d.as_ref().and_then(|d| d.mentorships.get(&id).cloned()))?;
        Some(
            view! {
                <FlockPlacementForm initial=PlacementForm::from_placement(&m) is_new=false studios=studio_names
                    units=unit_list.into() unit=unit_choice mentees=mentees errors=errors state=state.into() on_save=on_save/>
            }
            .into_any(),
        )
    };

    view! {
        <ScreenHeader screen=Screen::FlockStudios intro=Signal::derive(move || FlockMsg::StudiosIntro.text(i18n.lang.get()).to_owned())/>
        <Show
            when=move || district.with(Option::is_some)
            fallback=|| view! { <EmptyNote id="flock-state" msg=FlockMsg::Loading/> }
        >
            <section class="card">
                <div class="flock-figure-row">
                    <div class="flock-figure">
                        <strong id="flock-studios-count">{move || studios.with(Vec::len)}</strong>
                        <span>{t(FlockMsg::StudiosCount)}</span>
                    </div>
                    <div class="flock-figure">
                        <strong id="flock-shadowing-count">{move || shadowing.get()}</strong>
                        <span>{t(FlockMsg::ShadowingCount)}</span>
                    </div>
                </div>
                <FlockStudios rows=studios.into() selected=studio/>
            </section>
            <section class="card" id="flock-placements-card">
                <div class="card-head">
                    <h2>
                        {move || studios.with(|s| studio.with(|id| s.iter().find(|r| Some(&r.id) == id.as_ref()).map(|r| r.name.clone())))}
                        " · " {t(FlockMsg::StudioPlacements)}
                    </h2>
                    <Show
                        when=move || district_writable.get()
                        fallback=|| view! { <p class="notice notice-info" id="flock-placement-readonly">{t(FlockMsg::ReadOnlyDistrict)}</p> }
                    >
                        <button type="button" class="button primary" id="flock-placement-new" on:click=start_new>
                            {t(FlockMsg::PlacementNew)}
                        </button>
                    </Show>
                </div>
                <FlockPlacements rows=placements.into() selected=selected/>
            </section>
            {form}
            <Show when=move || selected.with(Option::is_some)>
                <section class="card" id="flock-placement-trail">
                    <h2>{t(FlockMsg::HistoryOfRecord)}</h2>
                    <RecordTrail<Mentorship> doc=ddoc id=selected names=names::PLACEMENT/>
                </section>
            </Show>
        </Show>
    }
}
