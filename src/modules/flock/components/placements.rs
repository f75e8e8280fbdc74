//! A studio's placements as a table: mentee (and unit), kind, start, end,
//! outcome and status; tapping a row selects the placement.

use leptos::prelude::*;
use yanzhen_model::Id;

use crate::i18n::t;
use crate::modules::flock::labels;
use crate::modules::flock::messages::FlockMsg;
use crate::modules::flock::rows::PlacementRow;
use crate::ui::empty_note::EmptyNote;

#[component]
pub fn FlockPlacements(
    rows: Signal<Vec<PlacementRow>>,
    selected: RwSignal<Option<Id>>,
) -> impl IntoView {
    view! {
        <Show
            when=move || !rows.with(Vec::is_empty)
            fallback=|| view! { <EmptyNote id="flock-placements-none" msg=FlockMsg::PlacementsNone small=true/> }
        >
            <table class="plain-table flock-table" id="flock-placements">
                <thead>
                    <tr>
                        <th>{t(FlockMsg::PlacementMentee)}</th>
                        <th>{t(FlockMsg::PlacementKind)}</th>
                        <th>{t(FlockMsg::PlacementStart)}</th>
                        <th>{t(FlockMsg::PlacementEnd)}</th>
                        <th>{t(FlockMsg::PlacementOutcome)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || rows.get().into_iter().map(|r| {
                        let id = r.id.clone();
                        let sel = id.clone();
                        view! {
                            <tr
                                class="flock-placement-row"
                                class:selected=move || selected.get().as_ref() == Some(&sel)
                                data-placement=id.as_str().to_owned()
                                on:click=move |_| selected.set(Some(id.clone()))
                            >
                                <td>
                                    {match r.mentee.clone() {
                                        Some(n) => n.into_any(),
                                        None => t(FlockMsg::PlacementUnknownMentee).into_any(),
                                    }}
                                    <br/><small>{r.unit.clone()}</small>
                                </td>
                                <td>{t(labels::mentorship_kind(r.kind))}</td>
                                <td>{r.start.to_string()}</td>
                                <td>{r.end.map(|d| d.to_string()).unwrap_or_default()}</td>
                                <td class="flock-outcome">
                                    {t(labels::outcome(r.outcome))}
                                    <br/><small>{t(labels::placement_status(r.status))}</small>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </Show>
    }
}
