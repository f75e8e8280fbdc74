//! 职业发展 (career posts): how many cadres were brought into career-post
//! (事业岗位) management and recruited into the civil service, over every
//! unit document on this tablet; per unit, its career moves (a tapped one
//! shows its conflicts and history) and the form that records one (person
//! of the unit, kind, date, post). Career moves live in the unit's
//! document: a tablet that may only read it is offered no form, with the
//! reason.

use leptos::prelude::*;

use crate::data::clock::today;
use yanzhen_model::Id;
use yanzhen_model::entities::{CareerMove, CareerMoveKind, PersonStatus};
use yanzhen_model::young::{career_summary, new_career_move};

use crate::data::docs::{use_district, use_picked_unit};
use crate::data::ids::new_id;
use crate::data::save::{SaveState, settle};
use crate::i18n::t;
use crate::modules::young::components::field::YoungField;
use crate::modules::young::components::figure::YoungFigure;
use crate::modules::young::components::locked::YoungLocked;
use crate::modules::young::components::rows::YoungRows;
use crate::modules::young::data::{picked_in, save_young, unit_collections, unit_note};
use crate::modules::young::form::{CareerForm, YErrors, people_where};
use crate::modules::young::labels::{NAMES, career_kind};
use crate::modules::young::messages::{SAVE_WORDS, YoungMsg};
use crate::routes::Screen;
use crate::sync::repo::use_sync;
use crate::trail::record_trail::RecordTrail;
use crate::ui::id_pick_field::IdPickField;
use crate::ui::opt_choice_field::OptChoiceField;
use crate::ui::pick_row::PickRow;
use crate::ui::save_actions::SaveActions;
use crate::ui::screen_header::ScreenHeader;
use crate::ui::unit_picker::UnitPicker;

#[component]
pub fn YoungCareerPage() -> impl IntoView {
    let sync = use_sync();
    let district = use_district(sync);
    let all = unit_collections(|u| u.career_moves.clone());
    let summary = Signal::derive(move || {
        all.with(|v| career_summary(v.iter().flat_map(|p| p.items.values())))
    });
    let u = use_picked_unit(sync, district);
    let picked = picked_in(u);
    let rows = Memo::new(move |_| {
        let mut v: Vec<(CareerMove, String)> = u.data.with(|d| {
            d.as_ref()
                .map(|d| {
                    d.career_moves
                        .values()
                        .map(|m| {
                            let n = d
                                .people
                                .get(&m.person_id)
                                .map(|p| p.name.clone())
                                .unwrap_or_default();
                            (m.clone(), n)
                        })
                        .collect()
                })
                .unwrap_or_default()
        });
        yanzhen_model::sorting::sort_by(&mut v, |a, b| (b.0.date, &a.1).cmp(&(a.0.date, &b.1)));
        v
    });
    let people = Memo::new(move |_| {
        u.data.with(|d| {
            d.as_ref()
                .map(|d| people_where(d, |p| p.status == PersonStatus::Active))
                .unwrap_or_default()
        })
    });

    let person = RwSignal::new(None::<Id>);
    let kind = RwSignal::new(None::<CareerMoveKind>);
    let date = RwSignal::new(today().to_string());
    let post = RwSignal::new(String::new());
    let errors = RwSignal::new(YErrors::default());
    let state = RwSignal::new(SaveState::Idle);
    settle(sync, move || u.doc.get(), vec![state]);

    let on_save = move |()| {
        let form = CareerForm {
            person: person.get_untracked(),
            kind: kind.get_untracked(),
            date: date.get_untracked(),
            post_name: post.get_untracked(),
        };
        let next = form.to_move(new_id()).and_then(|m| {
            u.data.with_untracked(|d| {
                let people = d.as_ref().map(|d| d.people.clone()).unwrap_or_default();
                new_career_move(&people, m).map_err(|e| YErrors::from_validation(&e, "post_name"))
            })
        });
        if let Some(mv) = save_young(
            sync,
            u.doc.get_untracked(),
            next,
            errors,
            state,
            "post_name",
        ) {
            post.set(String::new());
            person.set(None);
            picked.set(Some(mv.id.clone()));
        }
    };

    let list = view! {
        <YoungRows id="career-list" note_id="career-state" note=unit_note(u, rows, YoungMsg::CareerNone) rows=rows
            heads=[YoungMsg::ColPerson, YoungMsg::FieldDate, YoungMsg::ColKind, YoungMsg::ColPost]
            key=|(m, _): &(CareerMove, String)| (m.id.clone(), m.kind, m.date)
            row=move |(m, n): (CareerMove, String)| view! {
                <PickRow button=true class="young-row career-row" id=m.id.clone() picked=picked>
                    <span class="young-name">{n}</span>
                    <span>{m.date.to_string()}</span>
                    <span>{t(career_kind(m.kind))}</span>
                    <span>{m.post_name.clone()}</span>
                </PickRow>
            }
        />
    };

    view! {
        <ScreenHeader screen=Screen::YoungCareer/>
        <section class="card young-summary">
            <div class="young-figures">
                <YoungFigure id="career-posts" label=YoungMsg::CareerPosts value=Signal::derive(move || summary.get().career_post) main=true/>
                <YoungFigure id="career-civil" label=YoungMsg::CareerCivil value=Signal::derive(move || summary.get().civil_service)/>
            </div>
            <p class="hint">{t(YoungMsg::ScopeHint)}</p>
        </section>
        <section class="card roster-tools">
            <UnitPicker choices=u.choices.into() selected=u.unit/>
        </section>
        <div class="young-split">
            <section class="card young-list">
                <h2>{t(YoungMsg::CareerListTitle)}</h2>
                {list}
            </section>
            <div class="young-side">
                <RecordTrail<CareerMove> doc=u.doc id=picked names=NAMES/>
                <Show when=move || u.unit.get().is_some()>
                    <section class="card young-add" id="career-add">
                        <h2>{t(YoungMsg::AddCareerTitle)}</h2>
                        <Show
                            when=move || u.can_write.get()
                            fallback=|| view! { <YoungLocked id="career-locked" reason=YoungMsg::LockedUnit/> }
                        >
                            <div class="form">
                                <div class="field-grid">
                                    <IdPickField id="career-person" label=YoungMsg::FieldPerson options=people value=person errors=errors field="person_id"/>
                                    <OptChoiceField id="career-kind" label=YoungMsg::FieldKind all=CareerMoveKind::ALL value=kind name=career_kind errors=errors field="kind"/>
                                    <YoungField id="career-date" label=YoungMsg::FieldDate field="date" value=date errors=errors date=true/>
                                    <YoungField id="career-post" label=YoungMsg::FieldPost field="post_name" value=post errors=errors/>
                                </div>
                                <SaveActions button_id="career-save" label=YoungMsg::SaveCareer on_click=on_save state_id="career-save-state" state=state words=SAVE_WORDS/>
                            </div>
                        </Show>
                    </section>
                </Show>
            </div>
        </div>
    }
}
