//! A studio's placements as a table: mentee (and unit), kind, start, end,
//! outcome and status; tapping a row selects the placement.

use leptos::prelude::*;
use yanzhen_model::Id;

use crate::i18n::t;
use crate::modules::flock::labels;
use crate::modules::flock::messages::FlockMsg;
use crate::modules::flock::rows::PlacementRow;
use crate::ui::empty_note::EmptyNote;
use crate::ui::pick_row::picking;
use crate::ui::table::{Heads, Table};

#[component]
pub fn FlockPlacements(
    rows: Signal<Vec<PlacementRow>>,
    selected: RwSignal<Option<Id>>,
) -> impl IntoView {
    view! {
        <Table id="flock-placements" class="plain-table flock-table" rows=rows
            empty=|| view! { <EmptyNote id="flock-placements-none" msg=FlockMsg::PlacementsNone small=true/> }
            row=move |r: PlacementRow| {
                let (data_id, is_selected, pick) = picking(r.id.clone(), selected);
                view! {
                    <tr class="flock-placement-row" class:selected=is_selected data-placement=data_id on:click=pick>
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
            }
        >
            <Heads words=[FlockMsg::PlacementMentee, FlockMsg::PlacementKind, FlockMsg::PlacementStart, FlockMsg::PlacementEnd, FlockMsg::PlacementOutcome]/>
        </Table>
    }
}
