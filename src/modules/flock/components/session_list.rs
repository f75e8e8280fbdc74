//! The training sessions of a year as a table: date, title, kind, class
//! hours, first topic, teachers, place and how many attendances this
//! tablet holds; tapping a row selects the session.

use leptos::prelude::*;
use yanzhen_model::Id;

use crate::i18n::t;
use crate::modules::flock::labels;
use crate::modules::flock::messages::FlockMsg;
use crate::modules::flock::rows::SessionRow;
use crate::ui::empty_note::EmptyNote;
use crate::ui::pick_row::picking;
use crate::ui::table::{Heads, Table};

#[component]
pub fn FlockSessionList(
    rows: Signal<Vec<SessionRow>>,
    selected: RwSignal<Option<Id>>,
) -> impl IntoView {
    view! {
        <Table id="flock-sessions" class="plain-table flock-table" rows=rows
            empty=|| view! { <EmptyNote id="flock-sessions-none" msg=FlockMsg::SessionsNone small=true/> }
            row=move |r: SessionRow| {
                let (data_id, is_selected, pick) = picking(r.id.clone(), selected);
                view! {
                    <tr class="flock-session-row" class:selected=is_selected data-session=data_id
                        data-attended=r.attended.to_string() on:click=pick>
                        <td>{r.date.to_string()}</td>
                        <td class="flock-session-title">
                            {r.title.clone()}
                            {(!r.location.is_empty()).then(|| view! { <br/><small>{r.location.clone()}</small> })}
                            {r.exam_prep.then(|| view! { " " <span class="chip">{t(FlockMsg::SessionExamPrep)}</span> })}
                        </td>
                        <td>{t(labels::training_kind(r.kind))}</td>
                        <td>{r.hours}</td>
                        <td>{if r.first_topic { t(FlockMsg::Yes) } else { t(FlockMsg::No) }}</td>
                        <td>{t(labels::teacher_source(r.teacher))}</td>
                        <td>{r.attended}</td>
                    </tr>
                }
            }
        >
            <Heads words=[FlockMsg::SessionDate, FlockMsg::SessionTitle, FlockMsg::SessionKind, FlockMsg::SessionHours, FlockMsg::SessionFirstTopic, FlockMsg::SessionTeacher, FlockMsg::SessionAttended]/>
        </Table>
    }
}
