//! 回家工程 (home-coming): community workers whose residence unit (现居住地
//! in their file) differs from the unit they work in, computed from the
//! people of every unit document on this tablet, cross-street cases first
//! and marked; a tapped worker shows the suggested move to where they live
//! and, on a tablet that may write the district document and both units'
//! documents, the form that records the move (the worker's file arrives in
//! the residence unit, is marked moved-out in the old one, and the district
//! case is closed as moved); with the case's conflicts and history. The
//! moved count is the district's cases recorded as moved.

use leptos::prelude::*;

use crate::data::clock::today;
use yanzhen_model::Id;
use yanzhen_model::entities::{HomecomingCase, PersonRef};
use yanzhen_model::store::UnitData;
use yanzhen_model::young::{HomecomingRow, homecoming_rows, moved_count, plan_move};

use crate::data::docs::{district_doc, use_district};
use crate::data::edit::{edit_district, edit_unit};
use crate::data::ids::new_id;
use crate::data::save::{SaveState, settle_all};
use crate::data::write::{change_meta, write_doc};
use crate::i18n::t;
use crate::modules::young::components::field::YoungField;
use crate::modules::young::components::figure::YoungFigure;
use crate::modules::young::components::locked::YoungLocked;
use crate::modules::young::components::rows::YoungRows;
use crate::modules::young::data::{district_note, unit_collections, unit_doc, unit_name};
use crate::modules::young::form::{YErrors, parse_opt_date};
use crate::modules::young::labels::{NAMES, case_status};
use crate::modules::young::messages::{SAVE_WORDS, YoungMsg};
use crate::routes::Screen;
use crate::sync::repo::use_sync;
use crate::trail::record_trail::RecordTrail;
use crate::ui::detail_head::DetailHead;
use crate::ui::pick_row::choosing;
use crate::ui::save_actions::SaveActions;
use crate::ui::save_note::SaveNote;
use crate::ui::screen_header::ScreenHeader;

#[component]
pub fn YoungHomecomingPage() -> impl IntoView {
    let sync = use_sync();
    let ddoc = district_doc(sync);
    let district = use_district(sync);
    let people = unit_collections(|u| u.people.clone());
    let rows = Memo::new(move |_| {
        let units: Vec<UnitData> = people.with(|v| {
            v.iter()
                .map(|p| UnitData {
                    unit_id: p.unit_id.clone(),
                    people: p.items.clone(),
                    ..Default::default()
                })
                .collect()
        });
        district.with(|d| {
            d.as_ref()
                .map(|d| homecoming_rows(d, units.iter()))
                .unwrap_or_default()
        })
    });
    let moved = Signal::derive(move || district.with(|d| d.as_ref().map_or(0, moved_count)));
    let open = Signal::derive(move || rows.with(Vec::len));
    let cross =
        Signal::derive(move || rows.with(|r| r.iter().filter(|r| r.mismatch.cross_street).count()));
    let name_of = move |u: &Id| district.with_untracked(|d| unit_name(d.as_ref(), u));

    let picked = RwSignal::new(None::<PersonRef>);
    let row = Memo::new(move |_| {
        let p = picked.get()?;
        rows.with(|r| r.iter().find(|r| r.mismatch.person == p).cloned())
    });
    // The case shown in the trail: the picked worker's open case, or the
    // case just closed by a move.
    let done_case = RwSignal::new(None::<Id>);
    let trail_id = Signal::derive(move || {
        row.with(|r| r.as_ref().and_then(|r| r.open_case.clone()))
            .or_else(|| done_case.get())
    });
    let case = Memo::new(move |_| {
        let id = trail_id.get()?;
        district.with(|d| d.as_ref().and_then(|d| d.homecoming.get(&id).cloned()))
    });
    // The documents a move writes, and whether this tablet may write them all.
    let docs = Memo::new(move |_| {
        let r = row.get()?;
        district.with(|d| {
            let d = d.as_ref()?;
            Some((
                unit_doc(d, &r.mismatch.residence_unit)?,
                unit_doc(d, &r.mismatch.work_unit)?,
            ))
        })
    });
    let can_move = Signal::derive(move || {
        let Some(dd) = ddoc.get() else { return false };
        let Some((to, from)) = docs.get() else {
            return false;
        };
        sync.may_write(&dd) && sync.may_write(&to) && sync.may_write(&from)
    });

    let date = RwSignal::new(today().to_string());
    let errors = RwSignal::new(YErrors::default());
    let state = RwSignal::new(SaveState::Idle);
    Effect::new(move |_| {
        if picked.get().is_some() {
            done_case.set(None);
            date.set(today().to_string());
            errors.set(YErrors::default());
            state.set(SaveState::Idle);
        }
    });
    settle_all(
        sync,
        move || {
            let mut v: Vec<_> = ddoc.get().into_iter().collect();
            if let Some((a, b)) = docs.get() {
                v.extend([a, b]);
            }
            v
        },
        vec![state],
    );

    let on_move = move |()| {
        let (Some(r), Some(dd), Some((to, from))) = (
            row.get_untracked(),
            ddoc.get_untracked(),
            docs.get_untracked(),
        ) else {
            state.set(SaveState::Failed);
            return;
        };
        let person = people.with_untracked(|v| {
            v.iter()
                .find(|p| p.unit_id == r.mismatch.work_unit)
                .and_then(|p| p.items.get(&r.mismatch.person.person).cloned())
        });
        let Some(person) = person else {
            state.set(SaveState::Failed);
            return;
        };
        let plan = parse_opt_date(&date.get_untracked(), "moved_date").and_then(|d| {
            district.with_untracked(|dist| match dist {
                Some(dist) => plan_move(dist, &r, &person, d, new_id())
                    .map_err(|e| YErrors::from_validation(&e, "moved_date")),
                None => Err(YErrors::default()),
            })
        });
        let mv = match plan {
            Err(e) => {
                errors.set(e);
                state.set(SaveState::Invalid);
                return;
            }
            Ok(m) => m,
        };
        let meta = change_meta();
        // Everything was validated above; three documents, three writes.
        let written = write_doc(sync, to, |am| {
            edit_unit(am, |u| u.put(&mv.arrived, &meta).map(|_| ()))
        })
        .and_then(|()| {
            write_doc(sync, from, |am| {
                edit_unit(am, |u| u.put(&mv.left, &meta).map(|_| ()))
            })
        })
        .and_then(|()| {
            write_doc(sync, dd, |am| {
                edit_district(am, |u| u.put(&mv.case, &meta).map(|_| ()))
            })
        });
        if written.is_saved() {
            errors.set(YErrors::default());
            state.set(SaveState::Saving);
            picked.set(None);
            done_case.set(Some(mv.case.id.clone()));
        } else {
            state.set(SaveState::Failed);
        }
    };

    let list = view! {
        <YoungRows id="home-list" note_id="home-state" note=district_note(district, rows, YoungMsg::HomeNone) rows=rows
            heads=[YoungMsg::ColName, YoungMsg::ColWork, YoungMsg::ColResidence, YoungMsg::ColSuggest]
            key=|r: &HomecomingRow| (r.mismatch.person.clone(), r.open_case.clone())
            row=move |r: HomecomingRow| {
                let m = r.mismatch.clone();
                let (is_picked, pick) = choosing(m.person.clone(), picked);
                view! {
                    <button
                        type="button"
                        class="young-row home-row"
                        class:cross=m.cross_street
                        class:selected=is_picked
                        data-person=m.person.person.as_str().to_owned()
                        data-cross=m.cross_street.to_string()
                        on:click=pick
                    >
                        <span class="young-name">{m.name.clone()}</span>
                        <span>{name_of(&m.work_unit)}</span>
                        <span>{name_of(&m.residence_unit)}</span>
                        <span>
                            {if m.cross_street {
                                view! { <span class="badge young-cross">{t(YoungMsg::CrossBadge)}</span> }.into_any()
                            } else {
                                view! { <span class="badge">{t(YoungMsg::SameBadge)}</span> }.into_any()
                            }}
                        </span>
                    </button>
                }
            }
        />
    };

    let detail = move || {
        row.get().map(|r| {
            let m = r.mismatch.clone();
            view! {
                <section class="card young-detail" id="home-detail" data-person=m.person.person.as_str().to_owned()>
                    <DetailHead close_id="home-close" close=YoungMsg::Close on_close=move |()| picked.set(None)>
                        <h2 id="home-detail-name">{m.name.clone()}</h2>
                    </DetailHead>
                    <dl class="facts">
                        <dt>{t(YoungMsg::ColWork)}</dt><dd>{name_of(&m.work_unit)}</dd>
                        <dt>{t(YoungMsg::ColResidence)}</dt><dd>{name_of(&m.residence_unit)}</dd>
                    </dl>
                    <p class="young-suggest" id="home-suggest">
                        {m.cross_street.then(|| view! { <span class="badge young-cross">{t(YoungMsg::CrossBadge)}</span>" " })}
                        {t(YoungMsg::SuggestMove)}
                        <strong>{name_of(&m.residence_unit)}</strong>
                    </p>
                    {r.open_case.is_none().then(|| view! { <p class="hint">{t(YoungMsg::HomeCaseNone)}</p> })}
                    <Show
                        when=move || can_move.get()
                        fallback=|| view! { <YoungLocked id="home-locked" reason=YoungMsg::LockedMove/> }
                    >
                        <div class="form young-move-form">
                            <h3>{t(YoungMsg::MoveTitle)}</h3>
                            <div class="field-grid">
                                <YoungField id="move-date" label=YoungMsg::MoveDate field="moved_date" value=date errors=errors date=true/>
                            </div>
                            <SaveActions button_id="move-save" label=YoungMsg::SaveMove on_click=on_move state_id="move-save-state" state=state words=SAVE_WORDS/>
                        </div>
                    </Show>
                </section>
            }
        })
    };
    let done = move || {
        (picked.get().is_none() && done_case.get().is_some()).then(|| {
            view! {
                <section class="card young-detail" id="home-done">
                    <p class="saved">{t(YoungMsg::HomeMovedDone)}</p>
                    <SaveNote id="move-save-state" state=state words=SAVE_WORDS/>
                </section>
            }
        })
    };
    let case_facts = move || {
        case.get().map(|c| {
            view! {
                <section class="card" id="home-case">
                    <h2>{t(YoungMsg::HomeCaseTitle)}</h2>
                    <dl class="facts">
                        <dt>{t(YoungMsg::TrailStatus)}</dt><dd id="home-case-status">{t(case_status(c.status))}</dd>
                        <dt>{t(YoungMsg::TrailIdentified)}</dt><dd id="home-case-identified">{c.identified.to_string()}</dd>
                        <dt>{t(YoungMsg::TrailMovedDate)}</dt><dd>{c.moved_date.map(|d| d.to_string())}</dd>
                    </dl>
                </section>
            }
        })
    };

    view! {
        <ScreenHeader screen=Screen::YoungHomecoming/>
        <section class="card young-summary">
            <div class="young-figures">
                <YoungFigure id="home-moved" label=YoungMsg::HomeMoved value=moved main=true/>
                <YoungFigure id="home-open" label=YoungMsg::HomeOpen value=open/>
                <YoungFigure id="home-cross" label=YoungMsg::HomeCross value=cross/>
            </div>
            <p class="hint">{t(YoungMsg::ScopeHint)}</p>
        </section>
        <div class="young-split">
            <section class="card young-list">
                <h2>{t(YoungMsg::HomeListTitle)}</h2>
                {list}
            </section>
            <div class="young-side">
                {detail}
                {done}
                {case_facts}
                <RecordTrail<HomecomingCase> doc=ddoc id=trail_id names=NAMES/>
            </div>
        </div>
    }
}
