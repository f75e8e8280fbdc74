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

use crate::data::choices::unit_choices;
use crate::data::docs::{parse_doc, unit_docs_here, use_unit};
use crate::data::save::settle;
use crate::i18n::t;
use crate::modules::flock::components::card_head::FlockCardHead;
use crate::modules::flock::components::figure::FlockFigure;
use crate::modules::flock::components::placement_form::FlockPlacementForm;
use crate::modules::flock::components::placements::FlockPlacements;
use crate::modules::flock::components::screen::FlockScreen;
use crate::modules::flock::components::studios::FlockStudios;
use crate::modules::flock::components::trail::FlockTrail;
use crate::modules::flock::form::PlacementForm;
use crate::modules::flock::hooks::{RecordForm, district_reads, over_units, use_record_form};
use crate::modules::flock::messages::FlockMsg;
use crate::modules::flock::{names, rows};
use crate::routes::Screen;
use crate::sync::repo::use_sync;

#[component]
pub fn FlockStudiosPage() -> impl IntoView {
    let sync = use_sync();
    let (district, ddoc, units, district_writable) = district_reads(sync);

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
    let placements = over_units(district, units, move |d, refs| match studio.get() {
        Some(s) => rows::placement_rows(d, refs, &s, today()),
        None => Vec::new(),
    });

    // ---- the placement form
    let edit = use_record_form();
    let RecordForm {
        selected,
        creating,
        errors,
        state,
        ..
    } = edit;
    settle(sync, move || ddoc.get(), vec![state]);
    // Picking a placement ends a new one.
    Effect::new(move |_| {
        if selected.with(Option::is_some) {
            creating.set(false);
        }
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
        let saved = edit.save(
            sync,
            ddoc.get_untracked(),
            |id| form.to_placement(id),
            "start",
        );
        if let Some((record, true)) = saved {
            studio.set(Some(record.studio_id));
        }
    });

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
        <FlockScreen screen=Screen::FlockStudios intro=FlockMsg::StudiosIntro district=district>
            <section class="card">
                <div class="flock-figure-row">
                    <FlockFigure id="flock-studios-count" label=FlockMsg::StudiosCount value=Signal::derive(move || studios.with(Vec::len))/>
                    <FlockFigure id="flock-shadowing-count" label=FlockMsg::ShadowingCount value=shadowing/>
                </div>
                <FlockStudios rows=studios.into() selected=studio/>
            </section>
            <section class="card" id="flock-placements-card">
                <FlockCardHead writable=district_writable readonly_id="flock-placement-readonly"
                    button_id="flock-placement-new" label=FlockMsg::PlacementNew on_new=Callback::new(move |()| edit.start_new())>
                    {move || studios.with(|s| studio.with(|id| s.iter().find(|r| Some(&r.id) == id.as_ref()).map(|r| r.name.clone())))}
                    " · " {t(FlockMsg::StudioPlacements)}
                </FlockCardHead>
                <FlockPlacements rows=placements.into() selected=selected/>
            </section>
            {form}
            <FlockTrail<Mentorship> id="flock-placement-trail" doc=ddoc picked=selected names=names::PLACEMENT/>
        </FlockScreen>
    }
}
