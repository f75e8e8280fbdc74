//! The roster (花名册): pick a unit (the choice is remembered on the
//! tablet), then search its people by name or pinyin and filter by post and
//! status; each row opens the person's file. Choices come from
//! [`crate::data::choices`], rows from [`crate::modules::roster::search`].

use leptos::prelude::*;

use crate::data::docs::{pick_the_only_unit, unit_choice_list};
use leptos_router::components::A;
use yanzhen_model::entities::{PersonStatus, PostTitle};

use crate::data::docs::{parse_doc, unit_docs_here, use_district, use_unit};
use crate::i18n::labels;
use crate::i18n::{Msg, t, use_i18n};
use crate::modules::roster::components::person_list::PersonList;
use crate::modules::roster::prefs;
use crate::modules::roster::search::{RosterFilter, roster_rows};
use crate::routes::{PersonRoute, Route, Screen};
use crate::sync::repo::use_sync;
use crate::ui::empty_note::EmptyNote;
use crate::ui::page_header::PageHeader;
use crate::ui::unit_picker::UnitPicker;

#[component]
pub fn RosterPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let district = use_district(sync);
    let here = unit_docs_here(sync);
    let choices = unit_choice_list(district, here);
    let selected = RwSignal::new(prefs::load().unit_doc);
    pick_the_only_unit(choices, selected);
    Effect::new(move |prev: Option<Option<String>>| {
        let now = selected.get();
        if prev.is_some_and(|p| p != now) {
            prefs::save(&prefs::RosterPrefs {
                unit_doc: now.clone(),
            });
        }
        now
    });
    let doc = Signal::derive(move || selected.get().as_deref().and_then(parse_doc));
    let data = use_unit(sync, doc);

    let query = RwSignal::new(String::new());
    let post = RwSignal::new(None::<PostTitle>);
    let status = RwSignal::new(Some(PersonStatus::Active));
    let rows = Memo::new(move |_| {
        let filter = RosterFilter {
            query: query.get(),
            post: post.get(),
            status: status.get(),
        };
        data.with(|d| d.as_ref().map(|d| roster_rows(d, &filter)))
            .unwrap_or_default()
    });
    let total = move || data.with(|d| d.as_ref().map_or(0, |d| d.people.len()));
    let unit = Signal::derive(move || selected.get().unwrap_or_default());
    let new_href = move || PersonRoute::New { unit: unit.get() }.path();

    let body = move || {
        if selected.get().is_none() {
            let msg = if choices.with(Vec::is_empty) {
                Msg::RosterNoUnits
            } else {
                Msg::RosterPickUnit
            };
            return view! { <EmptyNote id="roster-state" msg=msg/> }.into_any();
        }
        if data.with(Option::is_none) {
            return view! { <EmptyNote id="roster-state" msg=Msg::RosterLoading/> }.into_any();
        }
        if total() == 0 {
            return view! { <EmptyNote id="roster-state" msg=Msg::RosterNoPeople/> }.into_any();
        }
        if rows.with(Vec::is_empty) {
            return view! { <EmptyNote id="roster-state" msg=Msg::RosterNoMatch/> }.into_any();
        }
        view! { <PersonList rows=rows.into() unit=unit/> }.into_any()
    };

    let post_options =
        move || {
            PostTitle::ALL
        .iter()
        .enumerate()
        .map(|(i, p)| view! { <option value=i.to_string()>{t(labels::post_title(*p))}</option> })
        .collect_view()
        };
    let status_options = move || {
        PersonStatus::ALL
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let s = *s;
                view! {
                    <option value=i.to_string() selected=move || status.get() == Some(s)>
                        {t(labels::status(s))}
                    </option>
                }
            })
            .collect_view()
    };

    view! {
        <PageHeader route=Route::Roster intro=Msg::RosterIntro/>
        <p class="roster-links">
            <A href=Screen::RosterExcel.path() attr:class="button" attr:id="roster-excel-link">{t(Msg::RosterExcelLink)}</A>
        </p>
        <section class="card roster-tools">
            <UnitPicker choices=choices.into() selected=selected/>
            <Show when=move || data.with(Option::is_some)>
                <div class="roster-filters">
                    <div class="roster-search">
                        <label for="roster-search">{t(Msg::RosterSearch)}</label>
                        <input
                            type="search"
                            id="roster-search"
                            autocomplete="off"
                            placeholder=move || Msg::RosterSearchHint.text(i18n.lang.get())
                            bind:value=query
                        />
                    </div>
                    <div>
                        <label for="roster-post">{t(Msg::PostTitleLabel)}</label>
                        <select
                            id="roster-post"
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                post.set(v.parse::<usize>().ok().and_then(|i| PostTitle::ALL.get(i).copied()));
                            }
                        >
                            <option value="">{t(Msg::RosterAllPosts)}</option>
                            {post_options}
                        </select>
                    </div>
                    <div>
                        <label for="roster-status">{t(Msg::FieldStatus)}</label>
                        <select
                            id="roster-status"
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                status.set(v.parse::<usize>().ok().and_then(|i| PersonStatus::ALL.get(i).copied()));
                            }
                        >
                            <option value="" selected=move || status.get().is_none()>{t(Msg::RosterAllStatuses)}</option>
                            {status_options}
                        </select>
                    </div>
                </div>
                <div class="roster-summary">
                    <span id="roster-count" data-count=move || rows.with(Vec::len).to_string()>
                        <strong>{move || rows.with(Vec::len)}</strong>
                        <span>{t(Msg::RosterCount)}</span>
                    </span>
                    <A href=new_href attr:class="button primary" attr:id="roster-add">
                        {t(Msg::RosterAddPerson)}
                    </A>
                </div>
            </Show>
        </section>
        {body}
    }
}
