//! 后备干部 (village reserve cadres): the funnel selected → mentored →
//! entered the two committees over every unit document on this tablet; per
//! unit, the list of reserve cadres and a new selection record; a tapped
//! cadre opens the 传帮带 log (a common entry in one tap, or typed text),
//! the outcome (entered the two committees or left, with a date not before
//! the selection) and the record's conflicts and history. Reserve cadres
//! live in the unit's document: a tablet that may only read it is offered
//! no form, with the reason.

use leptos::prelude::*;

use crate::data::clock::today;
use yanzhen_model::Id;
use yanzhen_model::entities::{PersonCategory, PersonStatus, ReserveCadre, ReserveOutcome, Sex};
use yanzhen_model::young::{add_note, record_outcome, reserve_funnel};

use crate::data::docs::{PickedUnit, use_district, use_picked_unit};
use crate::data::ids::new_id;
use crate::data::save::{SaveState, settle};
use crate::i18n::t;
use crate::modules::young::components::figure::YoungFigure;
use crate::modules::young::components::funnel::YoungFunnel;
use crate::modules::young::components::reserve_add::{ReserveAdd, ReserveFields};
use crate::modules::young::components::reserve_detail::ReserveDetail;
use crate::modules::young::components::reserve_note_form::ReserveNoteForm;
use crate::modules::young::components::reserve_outcome_form::ReserveOutcomeForm;
use crate::modules::young::components::rows::YoungRows;
use crate::modules::young::data::{picked_in, save_young, unit_collections, unit_note};
use crate::modules::young::form::{NoteForm, OutcomeForm, ReserveForm, YErrors, people_where};
use crate::modules::young::labels::{NAMES, outcome};
use crate::modules::young::messages::YoungMsg;
use crate::routes::Screen;
use crate::sync::repo::use_sync;
use crate::trail::record_trail::RecordTrail;
use crate::ui::pick_row::PickRow;
use crate::ui::screen_header::ScreenHeader;
use crate::ui::unit_picker::UnitPicker;

#[component]
pub fn YoungReservePage() -> impl IntoView {
    let sync = use_sync();
    let district = use_district(sync);
    let all = unit_collections(|u| u.reserve_cadres.clone());
    let funnel = Signal::derive(move || {
        all.with(|v| reserve_funnel(v.iter().flat_map(|p| p.items.values())))
    });
    let picked_unit = use_picked_unit(sync, district);
    let PickedUnit {
        choices,
        unit,
        doc,
        data,
        can_write,
    } = picked_unit;
    let picked = picked_in(picked_unit);
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
        yanzhen_model::sorting::sort_by(&mut v, |a, b| {
            (b.selected, &a.name).cmp(&(a.selected, &b.name))
        });
        v
    });
    // Two-committee members of the unit can mentor.
    let mentors = Memo::new(move |_| {
        data.with(|d| {
            d.as_ref()
                .map(|d| {
                    people_where(d, |p| {
                        p.status == PersonStatus::Active
                            && p.category == PersonCategory::TwoCommitteeMember
                    })
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
        move || doc.get(),
        vec![add_state, note_state, out_state],
    );

    let on_add = move |()| {
        let form = ReserveForm {
            name: name.get_untracked(),
            sex: sex.get_untracked(),
            birth_date: birth.get_untracked(),
            id_number: id_number.get_untracked(),
            selected: selected.get_untracked(),
            mentor: mentor.get_untracked(),
        };
        let made = form.to_cadre(new_id());
        if let Some(c) = save_young(
            sync,
            doc.get_untracked(),
            made,
            add_errors,
            add_state,
            "name",
        ) {
            for s in [name, birth, id_number, selected] {
                s.set(String::new());
            }
            picked.set(Some(c.id));
        }
    };
    let on_note = move |()| {
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
        let doc = doc.get_untracked();
        if save_young(sync, doc, next, note_errors, note_state, "log.note").is_some() {
            note_text.set(String::new());
        }
    };
    let on_outcome = move |()| {
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
        save_young(
            sync,
            doc.get_untracked(),
            next,
            out_errors,
            out_state,
            "outcome_date",
        );
    };

    let mentor_name = Signal::derive(move || {
        cadre.with(|c| c.as_ref().and_then(|c| person_name(&c.mentor_person_id)))
    });
    let fields = ReserveFields {
        name,
        sex,
        birth,
        id_number,
        selected,
        mentor,
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
                <YoungRows id="reserve-list" note_id="reserve-state" note=unit_note(picked_unit, rows, YoungMsg::ReserveNone) rows=rows
                    heads=[YoungMsg::ColName, YoungMsg::ColSelected, YoungMsg::ColNotes, YoungMsg::ColOutcome]
                    key=|c: &ReserveCadre| (c.id.clone(), c.log.len(), c.outcome)
                    row=move |c: ReserveCadre| view! {
                        <PickRow button=true class="young-row reserve-row" id=c.id.clone() picked=picked>
                            <span class="young-name">{c.name.clone()}</span>
                            <span>{c.selected.to_string()}</span>
                            <span>{c.log.len()}</span>
                            <span class=format!("young-outcome outcome-{:?}", c.outcome)>{t(outcome(c.outcome))}</span>
                        </PickRow>
                    }
                />
            </section>
            <div class="young-side">
                <ReserveDetail cadre=cadre mentor_name=mentor_name picked=picked can_write=can_write>
                    <ReserveNoteForm date=note_date mentor=note_mentor text=note_text errors=note_errors state=note_state on_save=on_note/>
                    <ReserveOutcomeForm kind=out_kind date=out_date errors=out_errors state=out_state on_save=on_outcome/>
                </ReserveDetail>
                <RecordTrail<ReserveCadre> doc=doc id=Signal::derive(move || cadre.with(|c| c.as_ref().map(|c| c.id.clone()))) names=NAMES/>
                <Show when=move || unit.get().is_some()>
                    <ReserveAdd fields=fields mentors=mentors errors=add_errors state=add_state can_write=can_write on_save=on_add/>
                </Show>
            </div>
        </div>
    }
}
