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

#[component]
pub fn FlockSessionList(
    rows: Signal<Vec<SessionRow>>,
    selected: RwSignal<Option<Id>>,
) -> impl IntoView {
    view! {
        <Show
            when=move || !rows.with(Vec::is_empty)
            fallback=|| view! { <EmptyNote id="flock-sessions-none" msg=FlockMsg::SessionsNone small=true/> }
        >
            <table class="plain-table flock-table" id="flock-sessions">
                <thead>
                    <tr>
                        <th>{t(FlockMsg::SessionDate)}</th>
                        <th>{t(FlockMsg::SessionTitle)}</th>
                        <th>{t(FlockMsg::SessionKind)}</th>
                        <th>{t(FlockMsg::SessionHours)}</th>
                        <th>{t(FlockMsg::SessionFirstTopic)}</th>
                        <th>{t(FlockMsg::SessionTeacher)}</th>
                        <th>{t(FlockMsg::SessionAttended)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || rows.get().into_iter().map(|r| {
                        let id = r.id.clone();
                        let sel = id.clone();
                        view! {
                            <tr
                                class="flock-session-row"
                                class:selected=move || selected.get().as_ref() == Some(&sel)
                                data-session=id.as_str().to_owned()
                                data-attended=r.attended.to_string()
                                on:click=move |_| selected.set(Some(id.clone()))
                            >
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
                    }).collect_view()}
                </tbody>
            </table>
        </Show>
    }
}
