//! The village home screen's list of honorary secretaries and advisors
//! due for contact this month or overdue, computed on the tablet from
//! today's date (`yanzhen_model::returning::due_list`), with one-tap
//! contact logging. Shown only when the tablet's own unit is known (a
//! village tablet, or a tablet with exactly one unit); otherwise nothing.

use leptos::prelude::*;

use crate::data::save::settle;
use crate::data::write::put_record;
use yanzhen_model::Id;
use yanzhen_model::entities::ContactKind;
use yanzhen_model::returning::{Due, due_list};

use crate::data::docs::use_district;
use crate::data::ids::new_id;
use crate::data::save::SaveState;
use crate::i18n::t;
use crate::modules::returning::components::due_list::ReturningDueList;
use crate::modules::returning::data::{home_unit, use_today, use_units_here};
use crate::modules::returning::form::contact;
use crate::modules::returning::messages::ReturningMsg as M;
use crate::sync::repo::use_sync;
use crate::ui::empty_note::EmptyNote;
use crate::ui::save_note::SaveNote;

#[component]
pub fn ContactDue() -> impl IntoView {
    let sync = use_sync();
    let district = use_district(sync);
    let units = use_units_here(sync);
    let own = home_unit(sync, district, units);
    let today = use_today(sync);
    let unit = Memo::new(move |_| {
        let d = own.get()?;
        units.with(|u| u.iter().find(|u| u.doc == d).cloned())
    });
    let rows = Signal::derive(move || {
        unit.with(|u| u.as_ref().map(|u| due_list(&u.data, today.get())))
            .unwrap_or_default()
    });
    let can_log = Signal::derive(move || unit.with(|u| u.as_ref().is_some_and(|u| !u.read_only)));
    let state = RwSignal::new(SaveState::Idle);
    settle(sync, move || own.get(), vec![state]);
    let on_log = Callback::new(move |(appointment, kind): (Id, ContactKind)| {
        let Some(doc) = own.get_untracked() else {
            state.set(SaveState::Failed);
            return;
        };
        let c = contact(new_id(), &appointment, kind, today.get_untracked(), "");
        state.set(SaveState::after(&put_record(sync, doc, &c)));
    });
    let overdue = move || {
        rows.with(|r| {
            r.iter()
                .filter(|r| matches!(r.due, Due::Overdue { .. }))
                .count()
        })
    };
    move || {
        unit.with(Option::is_some).then(|| {
            view! {
                <section class="card contact-due" id="contact-due">
                    <div class="card-head">
                        <h2>{t(M::DueTitle)}</h2>
                        <span class="due-counts">
                            <span class="label">{t(M::DueCount)}</span>
                            <strong id="contact-due-count" data-count=move || rows.with(Vec::len).to_string()>
                                {move || rows.with(Vec::len)}
                            </strong>
                            <span class="label">{t(M::DueOverdueCount)}</span>
                            <strong id="contact-due-overdue">{overdue}</strong>
                        </span>
                    </div>
                    <p class="hint">{t(M::DueIntro)}</p>
                    <Show
                        when=move || !rows.with(Vec::is_empty)
                        fallback=|| view! { <EmptyNote id="contact-due-none" msg=M::DueNone small=true/> }
                    >
                        <ReturningDueList id="contact-due-list" rows=rows can_log=can_log on_log=on_log/>
                    </Show>
                    <Show when=move || !can_log.get()>
                        <p class="hint readonly-reason" id="contact-due-readonly">{t(M::ReadOnlyUnit)}</p>
                    </Show>
                    <SaveNote id="contact-due-state" state=state words=crate::modules::returning::messages::SAVE_WORDS/>
                </section>
            }
        })
    }
}
