//! 后备干部 (village reserve cadres): the funnel selected → mentored →
//! entered the two committees over every unit document on this tablet; per
//! unit, the list of reserve cadres and a new selection record; a tapped
//! cadre opens the 传帮带 log (a common entry in one tap, or typed text),
//! the outcome (entered the two committees or left, with a date not before
//! the selection) and the record's conflicts and history. Reserve cadres
//! live in the unit's document: a tablet that may only read it is offered
//! no form, with the reason.

// Writes return the model's (large) `ModelError`, as in the person file.
#![allow(clippy::result_large_err)]

use leptos::prelude::*;

use crate::data::docs::{pick_the_only_unit, unit_choice_list};

use crate::data::clock::today;
use yanzhen_model::Id;
use yanzhen_model::entities::{PersonCategory, PersonStatus, ReserveCadre, ReserveOutcome, Sex};
use yanzhen_model::young::{add_note, record_outcome, reserve_funnel};

use crate::data::docs::{parse_doc, unit_docs_here, use_district, use_unit};
use crate::data::edit::edit_unit;
use crate::data::ids::new_id;
use crate::data::save::{SaveState, show_write};
use crate::data::write::change_meta;
use crate::i18n::labels;
use crate::i18n::t;
use crate::modules::young::components::field::YoungField;
use crate::modules::young::components::figure::YoungFigure;
use crate::modules::young::components::funnel::YoungFunnel;
use crate::modules::young::components::locked::YoungLocked;
use crate::modules::young::data::{settle, unit_collections};
use crate::modules::young::form::{NoteForm, OutcomeForm, ReserveForm, YErrors};
use crate::modules::young::labels::{NAMES, outcome};
use crate::modules::young::messages::YoungMsg;
use crate::routes::Screen;
use crate::sync::repo::use_sync;
use crate::trail::record_trail::RecordTrail;
use crate::ui::field_error::FieldError;
use crate::ui::save_note::SaveNote;
use crate::ui::screen_header::ScreenHeader;
use crate::ui::unit_picker::UnitPicker;

const QUICK: [YoungMsg; 4] = [
    YoungMsg::Quick1,
    YoungMsg::Quick2,
    YoungMsg::Quick3,
    YoungMsg::Quick4,
];

#[component]
pub fn YoungReservePage() -> impl IntoView {
    let sync = use_sync();
    let i18n = crate::i18n::use_i18n();
    let district = use_district(sync);
    let here = unit_docs_here(sync);
    let all = unit_collections(|u| u.reserve_cadres.clone());
    let funnel = Signal::derive(move || {
        all.with(|v| reserve_funnel(v.iter().flat_map(|p| p.items.values())))
    });
    let choices = unit_choice_list(district, here);
    let unit = RwSignal::new(None::<String>);
    pick_the_only_unit(choices, unit);
    let doc = Signal::derive(move || unit.get().as_deref().and_then(parse_doc));
    let data = use_unit(sync, doc);
    let can_write = Signal::derive(move || doc.get().is_some_and(|d| sync.may_write(&d)));
    let locked = Signal::derive(move || !can_write.get());
    let picked = RwSignal::new(None::<Id>);
    Effect::new(move |_| {
        unit.track();
        picked.set(None);
    });
    let cadre = Memo::new(move |_| {
        let id = picked.get()?;
        data.with(|d| d.as_ref().and_then(|d| d.reserve_cadres.get(&id).cloned()))
    });
    let rows = Memo::new(move |_| {
        let mut v: Vec<ReserveCadre> = data.with(|d| {
            d.as_ref()
                .map(|d| d.reserve_cadres.values().cloned().collect())
                .unwrap_or_default()
        });
        v.sort_by(|a, b| (b.selected, &a.name).cmp(&(a.selected, &b.name)));
        v
    });
    // Two-committee members of the unit can mentor.
    let mentors = Memo::new(move |_| {
        data.with(|d| {
            d.as_ref()
                .map(|d| {
                    d.people
                        .values()
                        .filter(|p| {
                            p.status == PersonStatus::Active
                                && p.category == PersonCategory::TwoCommitteeMember
                        })
                        .map(|p| (p.id.clone(), p.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let person_name = move |id: &Option<Id>| -> Option<String> {
        let id = id.as_ref()?;
        data.with(|d| {
            d.as_ref()
                .and_then(|d| d.people.get(id).map(|p| p.name.clone()))
        })
    };

    // ---- new selection record
    let name = RwSignal::new(String::new());
    let sex = RwSignal::new(None::<Sex>);
    let birth = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let selected = RwSignal::new(String::new());
    let mentor = RwSignal::new(None::<Id>);
    let add_errors = RwSignal::new(YErrors::default());
    let add_state = RwSignal::new(SaveState::Idle);
    // ---- note and outcome of the picked cadre
    let note_date = RwSignal::new(today().to_string());
    let note_mentor = RwSignal::new(String::new());
    let note_text = RwSignal::new(String::new());
    let note_errors = RwSignal::new(YErrors::default());
    let note_state = RwSignal::new(SaveState::Idle);
    let out_kind = RwSignal::new(ReserveOutcome::InTraining);
    let out_date = RwSignal::new(String::new());
    let out_errors = RwSignal::new(YErrors::default());
    let out_state = RwSignal::new(SaveState::Idle);
    Effect::new(move |_| {
        picked.track();
        let c = cadre.get_untracked();
        note_date.set(today().to_string());
        note_text.set(String::new());
        note_mentor.set(
            c.as_ref()
                .and_then(|c| person_name(&c.mentor_person_id))
                .unwrap_or_default(),
        );
        let o = c.as_ref().map(OutcomeForm::of);
        out_kind.set(o.as_ref().map_or(ReserveOutcome::InTraining, |o| o.outcome));
        out_date.set(o.map(|o| o.date).unwrap_or_default());
        for e in [note_errors, out_errors] {
            e.set(YErrors::default());
        }
        for s in [note_state, out_state] {
            s.set(SaveState::Idle);
        }
    });
    settle(
        sync,
        move || doc.get().into_iter().collect(),
        vec![add_state, note_state, out_state],
    );

    // Writes one cadre record; problems of the model go to `errors`.
    let put = move |c: ReserveCadre,
                    errors: RwSignal<YErrors>,
                    state: RwSignal<SaveState>,
                    fallback: &'static str|
          -> bool {
        let Some(d) = doc.get_untracked() else {
            state.set(SaveState::Failed);
            return false;
        };
        let meta = change_meta();
        show_write(
            sync.change(d, |am| edit_unit(am, |u| u.put(&c, &meta))),
            errors,
            state,
            |v| YErrors::from_validation(v, fallback),
        )
    };
    let on_add = move |_| {
        let form = ReserveForm {
            name: name.get_untracked(),
            sex: sex.get_untracked(),
            birth_date: birth.get_untracked(),
            id_number: id_number.get_untracked(),
            selected: selected.get_untracked(),
            mentor: mentor.get_untracked(),
        };
        match form.to_cadre(new_id()) {
            Err(e) => {
                add_errors.set(e);
                add_state.set(SaveState::Invalid);
            }
            Ok(c) => {
                let id = c.id.clone();
                if put(c, add_errors, add_state, "name") {
                    for s in [name, birth, id_number, selected] {
                        s.set(String::new());
                    }
                    picked.set(Some(id));
                }
            }
        }
    };
    let on_note = move |_| {
        let Some(c) = cadre.get_untracked() else {
            return;
        };
        let form = NoteForm {
            date: note_date.get_untracked(),
            mentor: note_mentor.get_untracked(),
            note: note_text.get_untracked(),
        };
        let next = form
            .to_note()
            .and_then(|n| add_note(&c, n).map_err(|e| YErrors::from_validation(&e, "log.note")));
        match next {
            Err(e) => {
                note_errors.set(e);
                note_state.set(SaveState::Invalid);
            }
            Ok(c) => {
                if put(c, note_errors, note_state, "log.note") {
                    note_text.set(String::new());
                }
            }
        }
    };
    let on_outcome = move |_| {
        let Some(c) = cadre.get_untracked() else {
            return;
        };
        let form = OutcomeForm {
            outcome: out_kind.get_untracked(),
            date: out_date.get_untracked(),
        };
        let next = form.parse().and_then(|(o, d)| {
            record_outcome(&c, o, d).map_err(|e| YErrors::from_validation(&e, "outcome_date"))
        });
        match next {
            Err(e) => {
                out_errors.set(e);
                out_state.set(SaveState::Invalid);
            }
            Ok(c) => {
                put(c, out_errors, out_state, "outcome_date");
            }
        }
    };

    let list = move || {
        if unit.get().is_none() {
            let msg = if choices.with(Vec::is_empty) {
                YoungMsg::NoUnits
            } else {
                YoungMsg::PickUnitFirst
            };
            return view! { <p class="empty-state" id="reserve-state">{t(msg)}</p> }.into_any();
        }
        if data.with(Option::is_none) {
            return view! { <p class="empty-state" id="reserve-state">{t(YoungMsg::Loading)}</p> }
                .into_any();
        }
        if rows.with(Vec::is_empty) {
            return view! { <p class="empty-state" id="reserve-state">{t(YoungMsg::ReserveNone)}</p> }
                .into_any();
        }
        view! {
            <p class="hint">{t(YoungMsg::RowHint)}</p>
            <div class="young-rows" id="reserve-list" data-count=move || rows.with(Vec::len).to_string()>
                <div class="young-row young-head">
                    <span>{t(YoungMsg::ColName)}</span>
                    <span>{t(YoungMsg::ColSelected)}</span>
                    <span>{t(YoungMsg::ColNotes)}</span>
                    <span>{t(YoungMsg::ColOutcome)}</span>
                </div>
                <For each=move || rows.get() key=|c| (c.id.clone(), c.log.len(), c.outcome) let:c>
                    {
                        let id = c.id.clone();
                        let id2 = c.id.clone();
                        view! {
                            <button
                                type="button"
                                class="young-row reserve-row"
                                class:selected=move || picked.get().as_ref() == Some(&id2)
                                data-id=c.id.as_str().to_owned()
                                on:click=move |_| picked.set(Some(id.clone()))
                            >
                                <span class="young-name">{c.name.clone()}</span>
                                <span>{c.selected.to_string()}</span>
                                <span>{c.log.len()}</span>
                                <span class=format!("young-outcome outcome-{:?}", c.outcome)>{t(outcome(c.outcome))}</span>
                            </button>
                        }
                    }
                </For>
            </div>
        }
        .into_any()
    };

    let detail = move || {
        cadre.get().map(|c| {
            let mentor_name = person_name(&c.mentor_person_id);
            let log = c.log.clone();
            let n_notes = log.len().to_string();
            view! {
                <section class="card young-detail" id="reserve-detail" data-id=c.id.as_str().to_owned()>
                    <div class="card-head">
                        <h2 id="reserve-detail-name">{c.name.clone()}</h2>
                        <button type="button" class="button" id="reserve-close" on:click=move |_| picked.set(None)>
                            {t(YoungMsg::Close)}
                        </button>
                    </div>
                    <dl class="facts">
                        <dt>{t(YoungMsg::FieldSex)}</dt><dd>{t(labels::sex(c.sex))}</dd>
                        <dt>{t(YoungMsg::FieldBirth)}</dt><dd>{c.birth_date.to_string()}</dd>
                        <dt>{t(YoungMsg::FieldSelected)}</dt><dd id="reserve-detail-selected">{c.selected.to_string()}</dd>
                        <dt>{t(YoungMsg::FieldMentor)}</dt><dd>{mentor_name.unwrap_or_default()}</dd>
                        <dt>{t(YoungMsg::ColOutcome)}</dt>
                        <dd id="reserve-detail-outcome">
                            {t(outcome(c.outcome))}" "{c.outcome_date.map(|d| d.to_string())}
                        </dd>
                    </dl>
                    <h3>{t(YoungMsg::LogTitle)}</h3>
                    {if log.is_empty() {
                        view! { <p class="empty-state small">{t(YoungMsg::LogNone)}</p> }.into_any()
                    } else {
                        view! {
                            <ol class="young-log" id="reserve-log" data-count=n_notes>
                                {log.into_iter().map(|n| view! {
                                    <li class="note-row">
                                        <span class="history-when">{n.date.to_string()}</span>
                                        <span>{n.mentor}</span>
                                        <span>{n.note}</span>
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                    <Show
                        when=move || can_write.get()
                        fallback=|| view! { <YoungLocked id="reserve-locked-detail" reason=YoungMsg::LockedUnit/> }
                    >
                        <div class="form young-note-form">
                            <p class="hint">{t(YoungMsg::QuickHint)}</p>
                            <div class="young-quick">
                                {QUICK.into_iter().map(|m| view! {
                                    <button
                                        type="button"
                                        class="button note-quick"
                                        data-text=m.text(crate::i18n::Lang::ZhCn)
                                        on:click=move |_| note_text.set(m.text(i18n.lang.get_untracked()).to_owned())
                                    >
                                        {t(m)}
                                    </button>
                                }).collect_view()}
                            </div>
                            <div class="field-grid">
                                <YoungField id="note-date" label=YoungMsg::NoteDate field="log.date" value=note_date errors=note_errors date=true/>
                                <YoungField id="note-mentor" label=YoungMsg::NoteMentor field="log.mentor" value=note_mentor errors=note_errors/>
                                <div class="field-wide">
                                    <YoungField id="note-text" label=YoungMsg::NoteText field="log.note" value=note_text errors=note_errors/>
                                </div>
                            </div>
                            <div class="form-actions">
                                <button type="button" class="button primary" id="note-save" on:click=on_note>
                                    {t(YoungMsg::SaveNote)}
                                </button>
                                <SaveNote id="note-save-state" state=note_state words=crate::modules::young::messages::SAVE_WORDS/>
                            </div>
                        </div>
                        <div class="form young-outcome-form">
                            <h3>{t(YoungMsg::OutcomeTitle)}</h3>
                            <div class="field-grid">
                                <div class="field">
                                    <label for="outcome-kind">{t(YoungMsg::OutcomeKind)}</label>
                                    <select
                                        id="outcome-kind"
                                        on:change=move |ev| {
                                            if let Some(o) = event_target_value(&ev).parse::<usize>().ok().and_then(|i| ReserveOutcome::ALL.get(i)) {
                                                out_kind.set(*o);
                                            }
                                        }
                                    >
                                        {ReserveOutcome::ALL.iter().enumerate().map(|(i, o)| {
                                            let o = *o;
                                            view! { <option value=i.to_string() selected=move || out_kind.get() == o>{t(outcome(o))}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <YoungField id="outcome-date" label=YoungMsg::OutcomeDate field="outcome_date" value=out_date errors=out_errors date=true/>
                            </div>
                            <div class="form-actions">
                                <button type="button" class="button primary" id="outcome-save" on:click=on_outcome>
                                    {t(YoungMsg::SaveOutcome)}
                                </button>
                                <SaveNote id="outcome-save-state" state=out_state words=crate::modules::young::messages::SAVE_WORDS/>
                            </div>
                        </div>
                    </Show>
                </section>
            }
        })
    };

    view! {
        <ScreenHeader screen=Screen::YoungReserve/>
        <section class="card young-summary">
            <h2>{t(YoungMsg::FunnelTitle)}</h2>
            <div class="young-figures">
                <YoungFigure id="funnel-selected" label=YoungMsg::FunnelSelected value=Signal::derive(move || funnel.get().selected)/>
                <YoungFigure id="funnel-mentored" label=YoungMsg::FunnelMentored value=Signal::derive(move || funnel.get().mentored)/>
                <YoungFigure id="funnel-entered" label=YoungMsg::FunnelEntered value=Signal::derive(move || funnel.get().entered) main=true/>
            </div>
            <YoungFunnel funnel=funnel/>
            <p class="hint">{t(YoungMsg::ScopeHint)}</p>
        </section>
        <section class="card roster-tools">
            <UnitPicker choices=choices.into() selected=unit/>
        </section>
        <div class="young-split">
            <section class="card young-list">
                <h2>{t(YoungMsg::ReserveListTitle)}</h2>
                {list}
            </section>
            <div class="young-side">
                {detail}
                <RecordTrail<ReserveCadre> doc=doc id=Signal::derive(move || cadre.with(|c| c.as_ref().map(|c| c.id.clone()))) names=NAMES/>
                <Show when=move || unit.get().is_some()>
                    <section class="card young-add" id="reserve-add">
                        <h2>{t(YoungMsg::AddReserveTitle)}</h2>
                        <Show
                            when=move || can_write.get()
                            fallback=|| view! { <YoungLocked id="reserve-locked" reason=YoungMsg::LockedUnit/> }
                        >
                            <div class="form">
                                <div class="field-grid">
                                    <YoungField id="reserve-name" label=YoungMsg::FieldName field="name" value=name errors=add_errors disabled=locked/>
                                    <div class="field">
                                        <label for="reserve-sex">{t(YoungMsg::FieldSex)}</label>
                                        <select
                                            id="reserve-sex"
                                            on:change=move |ev| {
                                                sex.set(event_target_value(&ev).parse::<usize>().ok().and_then(|i| Sex::ALL.get(i)).copied());
                                            }
                                        >
                                            <option value="" selected=move || sex.get().is_none()>"—"</option>
                                            {Sex::ALL.iter().enumerate().map(|(i, s)| {
                                                let s = *s;
                                                view! { <option value=i.to_string() selected=move || sex.get() == Some(s)>{t(labels::sex(s))}</option> }
                                            }).collect_view()}
                                        </select>
                                        <FieldError id="reserve-sex" field="sex" errors=add_errors/>
                                    </div>
                                    <YoungField id="reserve-birth_date" label=YoungMsg::FieldBirth field="birth_date" value=birth errors=add_errors date=true/>
                                    <YoungField id="reserve-id_number" label=YoungMsg::FieldIdNumber field="id_number" value=id_number errors=add_errors/>
                                    <YoungField id="reserve-selected" label=YoungMsg::FieldSelected field="selected" value=selected errors=add_errors date=true/>
                                    <div class="field">
                                        <label for="reserve-mentor">{t(YoungMsg::FieldMentor)}</label>
                                        <select
                                            id="reserve-mentor"
                                            on:change=move |ev| mentor.set(Id::parse(&event_target_value(&ev)))
                                        >
                                            <option value="" selected=move || mentor.get().is_none()>{t(YoungMsg::MentorNone)}</option>
                                            {move || mentors.get().into_iter().map(|(id, n)| {
                                                let v = id.as_str().to_owned();
                                                view! { <option value=v selected=move || mentor.get().as_ref() == Some(&id)>{n}</option> }
                                            }).collect_view()}
                                        </select>
                                    </div>
                                </div>
                                <div class="form-actions">
                                    <button type="button" class="button primary" id="reserve-save" on:click=on_add>
                                        {t(YoungMsg::SaveReserve)}
                                    </button>
                                    <SaveNote id="reserve-save-state" state=add_state words=crate::modules::young::messages::SAVE_WORDS/>
                                </div>
                            </div>
                        </Show>
                    </section>
                </Show>
            </div>
        </div>
    }
}
