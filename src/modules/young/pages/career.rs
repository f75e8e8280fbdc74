//! 职业发展 (career posts): how many cadres were brought into career-post
//! (事业岗位) management and recruited into the civil service, over every
//! unit document on this tablet; per unit, its career moves (a tapped one
//! shows its conflicts and history) and the form that records one (person
//! of the unit, kind, date, post). Career moves live in the unit's
//! document: a tablet that may only read it is offered no form, with the
//! reason.

// Writes return the model's (large) `ModelError`, as in the person file.
#![allow(clippy::result_large_err)]

use leptos::prelude::*;

use crate::data::docs::{pick_the_only_unit, unit_choice_list};

use crate::data::clock::today;
use yanzhen_model::Id;
use yanzhen_model::entities::{CareerMove, CareerMoveKind, PersonStatus};
use yanzhen_model::young::{career_summary, new_career_move};

use crate::data::docs::{parse_doc, unit_docs_here, use_district, use_unit};
use crate::data::edit::edit_unit;
use crate::data::ids::new_id;
use crate::data::save::{SaveState, show_write};
use crate::data::write::change_meta;
use crate::i18n::t;
use crate::modules::young::components::field::YoungField;
use crate::modules::young::components::figure::YoungFigure;
use crate::modules::young::components::locked::YoungLocked;
use crate::modules::young::data::{settle, unit_collections};
use crate::modules::young::form::{CareerForm, YErrors};
use crate::modules::young::labels::{NAMES, career_kind};
use crate::modules::young::messages::YoungMsg;
use crate::routes::Screen;
use crate::sync::repo::use_sync;
use crate::trail::record_trail::RecordTrail;
use crate::ui::field_error::FieldError;
use crate::ui::save_note::SaveNote;
use crate::ui::screen_header::ScreenHeader;
use crate::ui::unit_picker::UnitPicker;

#[component]
pub fn YoungCareerPage() -> impl IntoView {
    let sync = use_sync();
    let district = use_district(sync);
    let here = unit_docs_here(sync);
    let all = unit_collections(|u| u.career_moves.clone());
    let summary = Signal::derive(move || {
        all.with(|v| career_summary(v.iter().flat_map(|p| p.items.values())))
    });
    let choices = unit_choice_list(district, here);
    let unit = RwSignal::new(None::<String>);
    pick_the_only_unit(choices, unit);
    let doc = Signal::derive(move || unit.get().as_deref().and_then(parse_doc));
    let data = use_unit(sync, doc);
    let can_write = Signal::derive(move || doc.get().is_some_and(|d| sync.may_write(&d)));
    let picked = RwSignal::new(None::<Id>);
    let rows = Memo::new(move |_| {
        let mut v: Vec<(CareerMove, String)> = data.with(|d| {
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
        v.sort_by(|a, b| (b.0.date, &a.1).cmp(&(a.0.date, &b.1)));
        v
    });
    let people = Memo::new(move |_| {
        data.with(|d| {
            d.as_ref()
                .map(|d| {
                    d.people
                        .values()
                        .filter(|p| p.status == PersonStatus::Active)
                        .map(|p| (p.id.clone(), p.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    Effect::new(move |_| {
        unit.track();
        picked.set(None);
    });

    let person = RwSignal::new(None::<Id>);
    let kind = RwSignal::new(None::<CareerMoveKind>);
    let date = RwSignal::new(today().to_string());
    let post = RwSignal::new(String::new());
    let errors = RwSignal::new(YErrors::default());
    let state = RwSignal::new(SaveState::Idle);
    settle(sync, move || doc.get().into_iter().collect(), vec![state]);

    let on_save = move |_| {
        let form = CareerForm {
            person: person.get_untracked(),
            kind: kind.get_untracked(),
            date: date.get_untracked(),
            post_name: post.get_untracked(),
        };
        let next = form.to_move(new_id()).and_then(|m| {
            data.with_untracked(|d| {
                let people = d.as_ref().map(|d| d.people.clone()).unwrap_or_default();
                new_career_move(&people, m).map_err(|e| YErrors::from_validation(&e, "post_name"))
            })
        });
        let mv = match next {
            Err(e) => {
                errors.set(e);
                state.set(SaveState::Invalid);
                return;
            }
            Ok(m) => m,
        };
        let Some(d) = doc.get_untracked() else {
            state.set(SaveState::Failed);
            return;
        };
        let meta = change_meta();
        if show_write(
            sync.change(d, |am| edit_unit(am, |u| u.put(&mv, &meta))),
            errors,
            state,
            |v| YErrors::from_validation(v, "post_name"),
        ) {
            post.set(String::new());
            person.set(None);
            picked.set(Some(mv.id.clone()));
        }
    };

    let list = move || {
        if unit.get().is_none() {
            let msg = if choices.with(Vec::is_empty) {
                YoungMsg::NoUnits
            } else {
                YoungMsg::PickUnitFirst
            };
            return view! { <p class="empty-state" id="career-state">{t(msg)}</p> }.into_any();
        }
        if data.with(Option::is_none) {
            return view! { <p class="empty-state" id="career-state">{t(YoungMsg::Loading)}</p> }
                .into_any();
        }
        if rows.with(Vec::is_empty) {
            return view! { <p class="empty-state" id="career-state">{t(YoungMsg::CareerNone)}</p> }.into_any();
        }
        view! {
            <p class="hint">{t(YoungMsg::RowHint)}</p>
            <div class="young-rows" id="career-list" data-count=move || rows.with(Vec::len).to_string()>
                <div class="young-row young-head">
                    <span>{t(YoungMsg::ColPerson)}</span>
                    <span>{t(YoungMsg::FieldDate)}</span>
                    <span>{t(YoungMsg::ColKind)}</span>
                    <span>{t(YoungMsg::ColPost)}</span>
                </div>
                <For each=move || rows.get() key=|(m, _)| (m.id.clone(), m.kind, m.date) let:row>
                    {
                        let (m, n) = row;
                        let id = m.id.clone();
                        let id2 = m.id.clone();
                        view! {
                            <button
                                type="button"
                                class="young-row career-row"
                                class:selected=move || picked.get().as_ref() == Some(&id2)
                                data-id=m.id.as_str().to_owned()
                                on:click=move |_| picked.set(Some(id.clone()))
                            >
                                <span class="young-name">{n}</span>
                                <span>{m.date.to_string()}</span>
                                <span>{t(career_kind(m.kind))}</span>
                                <span>{m.post_name.clone()}</span>
                            </button>
                        }
                    }
                </For>
            </div>
        }
        .into_any()
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
            <UnitPicker choices=choices.into() selected=unit/>
        </section>
        <div class="young-split">
            <section class="card young-list">
                <h2>{t(YoungMsg::CareerListTitle)}</h2>
                {list}
            </section>
            <div class="young-side">
                <RecordTrail<CareerMove> doc=doc id=picked names=NAMES/>
                <Show when=move || unit.get().is_some()>
                    <section class="card young-add" id="career-add">
                        <h2>{t(YoungMsg::AddCareerTitle)}</h2>
                        <Show
                            when=move || can_write.get()
                            fallback=|| view! { <YoungLocked id="career-locked" reason=YoungMsg::LockedUnit/> }
                        >
                            <div class="form">
                                <div class="field-grid">
                                    <div class="field">
                                        <label for="career-person">{t(YoungMsg::FieldPerson)}</label>
                                        <select id="career-person" on:change=move |ev| person.set(Id::parse(&event_target_value(&ev)))>
                                            <option value="" selected=move || person.get().is_none()>"—"</option>
                                            {move || people.get().into_iter().map(|(id, n)| {
                                                let v = id.as_str().to_owned();
                                                view! { <option value=v selected=move || person.get().as_ref() == Some(&id)>{n}</option> }
                                            }).collect_view()}
                                        </select>
                                        <FieldError id="career-person" field="person_id" errors=errors/>
                                    </div>
                                    <div class="field">
                                        <label for="career-kind">{t(YoungMsg::FieldKind)}</label>
                                        <select
                                            id="career-kind"
                                            on:change=move |ev| {
                                                kind.set(event_target_value(&ev).parse::<usize>().ok().and_then(|i| CareerMoveKind::ALL.get(i)).copied());
                                            }
                                        >
                                            <option value="" selected=move || kind.get().is_none()>"—"</option>
                                            {CareerMoveKind::ALL.iter().enumerate().map(|(i, k)| {
                                                let k = *k;
                                                view! { <option value=i.to_string() selected=move || kind.get() == Some(k)>{t(career_kind(k))}</option> }
                                            }).collect_view()}
                                        </select>
                                        <FieldError id="career-kind" field="kind" errors=errors/>
                                    </div>
                                    <YoungField id="career-date" label=YoungMsg::FieldDate field="date" value=date errors=errors date=true/>
                                    <YoungField id="career-post" label=YoungMsg::FieldPost field="post_name" value=post errors=errors/>
                                </div>
                                <div class="form-actions">
                                    <button type="button" class="button primary" id="career-save" on:click=on_save>
                                        {t(YoungMsg::SaveCareer)}
                                    </button>
                                    <SaveNote id="career-save-state" state=state words=crate::modules::young::messages::SAVE_WORDS/>
                                </div>
                            </div>
                        </Show>
                    </section>
                </Show>
            </div>
        </div>
    }
}
