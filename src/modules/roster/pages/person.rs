//! The person file (一人一档) at `/roster/{unit}/{person}` and the new-person
//! form at `/roster/{unit}/new`: every field of the model's `Person`, the
//! posts held, the record's conflicts (keep one value per field) and its
//! history (tap a change to see the record after it). Writes go through the
//! model ([`crate::data::edit::edit_unit`]); a refused write shows its
//! message next to the field and changes nothing; "saved" appears only
//! once the repo has the document's writes in IndexedDB.

use automerge::{ChangeHash, ScalarValue};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use yanzhen_model::Id;
use yanzhen_model::entities::Person;
use yanzhen_model::validate::ValidationError;

use crate::data::choices::residence_choices;
use crate::data::docs::{parse_doc, use_district, use_unit};
use crate::data::edit;
use crate::data::ids::new_id;
use crate::data::person_form::{FieldErrors, PersonForm, PostForm};
use crate::data::save::settle;
use crate::data::save::{SaveState, show_write};
use crate::data::write::{Written, change_meta, write_doc};
use crate::i18n::{Msg, t};
use crate::modules::roster::components::person_form::PersonForm as PersonFormView;
use crate::modules::roster::components::post_list::PostList;
use crate::modules::roster::search::all_posts;
use crate::routes::{PersonRoute, PrintRoute, Route};
use crate::sync::repo::use_sync;
use crate::trail::changes::{conflict_views, history_rows, person_facts};
use crate::trail::conflicts::RecordConflicts;
use crate::trail::history::RecordHistory;
use crate::ui::empty_note::EmptyNote;

/// What a write's outcome means for the form.
fn refused(v: &ValidationError, fallback: &str) -> FieldErrors {
    FieldErrors::from_validation(v, fallback)
}

#[component]
pub fn PersonPage() -> impl IntoView {
    let sync = use_sync();
    let params = use_params_map();
    let route = Memo::new(move |_| {
        params.with(|p| {
            PersonRoute::from_params(
                &p.get(PersonRoute::UNIT_PARAM).unwrap_or_default(),
                &p.get(PersonRoute::PERSON_PARAM).unwrap_or_default(),
            )
        })
    });
    let unit_param = Memo::new(move |_| match route.get() {
        PersonRoute::File { unit, .. } | PersonRoute::New { unit } => unit,
    });
    let doc = Signal::derive(move || parse_doc(&unit_param.get()));
    let data = use_unit(sync, doc);
    let district = use_district(sync);
    // A new person's id is made once per form.
    let fresh_id = StoredValue::new(new_id());
    let person_id = Memo::new(move |_| match route.get() {
        PersonRoute::File { person, .. } => Id::parse(&person),
        PersonRoute::New { .. } => None,
    });
    let person = Memo::new(move |_| {
        let id = person_id.get()?;
        data.with(|d| d.as_ref().and_then(|d| d.people.get(&id).cloned()))
    });
    let residences = Signal::derive(move || {
        let mut list = district.with(|d| d.as_ref().map(residence_choices).unwrap_or_default());
        // The current residence stays choosable even if not in the directory.
        let current = person
            .with(|p| p.as_ref().map(|p| p.residence_unit.clone()))
            .or_else(|| data.with(|d| d.as_ref().map(|d| d.unit_id.clone())));
        if let Some(c) = current
            && !list.iter().any(|(id, _)| *id == c.as_str())
        {
            list.insert(0, (c.as_str().to_owned(), c.as_str().to_owned()));
        }
        list
    });

    let errors = RwSignal::new(FieldErrors::default());
    let state = RwSignal::new(SaveState::Idle);
    let post_errors = RwSignal::new(FieldErrors::default());
    let post_state = RwSignal::new(SaveState::Idle);
    // "Saved" only once IndexedDB has every write of the document.
    settle(sync, move || doc.get(), vec![state, post_state]);

    let navigate = use_navigate();
    let on_save = Callback::new(move |form: PersonForm| {
        let Some(d) = doc.get_untracked() else {
            state.set(SaveState::Failed);
            return;
        };
        let is_new = person_id.get_untracked().is_none();
        let id = person_id
            .get_untracked()
            .unwrap_or_else(|| fresh_id.get_value());
        let record: Person = match form.to_person(id.clone()) {
            Ok(p) => p,
            Err(e) => {
                errors.set(e);
                state.set(SaveState::Invalid);
                return;
            }
        };
        let meta = change_meta();
        let written = write_doc(sync, d, |am| edit::edit_unit(am, |u| u.put(&record, &meta)));
        if show_write(written, errors, state, |v| refused(v, "name")) && is_new {
            let to = PersonRoute::File {
                unit: unit_param.get_untracked(),
                person: id.as_str().to_owned(),
            };
            navigate(&to.path(), Default::default());
        }
    });
    let on_add_post = Callback::new(move |form: PostForm| {
        let (Some(d), Some(pid)) = (doc.get_untracked(), person_id.get_untracked()) else {
            post_state.set(SaveState::Failed);
            return;
        };
        let post = match form.to_post(new_id(), &pid) {
            Ok(p) => p,
            Err(e) => {
                post_errors.set(e);
                post_state.set(SaveState::Invalid);
                return;
            }
        };
        let meta = change_meta();
        let written = write_doc(sync, d, |am| edit::edit_unit(am, |u| u.put(&post, &meta)));
        show_write(written, post_errors, post_state, |v| refused(v, "title"));
    });
    let on_keep = Callback::new(move |(field, value): (String, ScalarValue)| {
        let (Some(d), Some(pid)) = (doc.get_untracked(), person_id.get_untracked()) else {
            return;
        };
        let meta = change_meta();
        match write_doc(sync, d, |am| {
            edit::edit_unit(am, |u| u.resolve::<Person>(&pid, &field, value, &meta))
        }) {
            Written::Saved(_) => state.set(SaveState::Saving),
            w @ Written::Refused(_) => {
                if let Some(v) = w.invalid() {
                    errors.set(refused(v, "name"));
                }
                state.set(SaveState::Invalid);
            }
            Written::Failed(_) => state.set(SaveState::Failed),
        }
    });

    let posts = Signal::derive(move || {
        let Some(id) = person_id.get() else {
            return Vec::new();
        };
        data.with(|d| d.as_ref().map(|d| all_posts(d, &id)).unwrap_or_default())
    });
    let conflicts = Signal::derive(move || {
        let (Some(d), Some(id)) = (doc.get(), person_id.get()) else {
            return Vec::new();
        };
        sync.revision(&d);
        sync.with_document(&d, |am| edit::person_conflicts(am, &id).ok())
            .flatten()
            .map(|c| conflict_views(&c))
            .unwrap_or_default()
    });
    let history = Signal::derive(move || {
        let (Some(d), Some(id)) = (doc.get(), person_id.get()) else {
            return Vec::new();
        };
        sync.revision(&d);
        sync.with_document(&d, |am| edit::person_history(am, &id).ok())
            .flatten()
            .map(|h| history_rows(&h))
            .unwrap_or_default()
    });
    let selected = RwSignal::new(None::<ChangeHash>);
    let at = Signal::derive(move || {
        let (Some(d), Some(id), Some(h)) = (doc.get(), person_id.get(), selected.get()) else {
            return None;
        };
        sync.with_document(&d, |am| edit::person_at(am, &id, &h).ok().flatten())
            .flatten()
            .map(|p| person_facts(&p))
    });

    let title = move || match person.with(|p| p.as_ref().map(|p| p.name.clone())) {
        Some(n) => n.into_any(),
        None => t(Msg::PersonNewTitle).into_any(),
    };
    let form = move || {
        let loaded = data.with(Option::is_some);
        if !loaded {
            return view! { <EmptyNote id="person-state" msg=Msg::RosterLoading/> }.into_any();
        }
        match (person_id.get(), person.get()) {
            (None, _) => {
                let unit = data.with_untracked(|d| d.as_ref().map(|d| d.unit_id.clone()));
                let initial = PersonForm::new_in(&unit.unwrap_or_default());
                view! {
                    <PersonFormView initial=initial is_new=true residences=residences errors=errors state=state.into() on_save=on_save/>
                }
                .into_any()
            }
            (Some(_), Some(p)) => view! {
                <RecordConflicts conflicts=conflicts on_keep=on_keep/>
                <PersonFormView initial=PersonForm::from_person(&p) is_new=false residences=residences errors=errors state=state.into() on_save=on_save/>
                <PostList posts=posts errors=post_errors state=post_state.into() on_add=on_add_post/>
                <RecordHistory rows=history selected=selected at=at/>
            }
            .into_any(),
            (Some(_), None) => {
                view! { <EmptyNote id="person-state" msg=Msg::PersonNotFound/> }
                    .into_any()
            }
        }
    };

    view! {
        <header class="page-header person-header">
            <A href=Route::Roster.path() attr:class="button back" attr:id="person-back">
                {t(Msg::PersonBack)}
            </A>
            <h1 id="page-title">{title}</h1>
            {move || match route.get() {
                PersonRoute::File { unit, person } => Some(view! {
                    <A href=PrintRoute::Person { unit, person }.path() attr:class="button" attr:id="person-print-link">
                        {t(Msg::PersonPrintLink)}
                    </A>
                }),
                PersonRoute::New { .. } => None,
            }}
        </header>
        {form}
    }
}
