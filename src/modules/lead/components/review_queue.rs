//! The district's queue: nominations in the unit documents on this tablet
//! that are not in review yet, each with "accept into the batch" (which
//! writes the candidate's review, same id, into the district document).

use leptos::prelude::*;
use yanzhen_model::review;
use yanzhen_model::store::DistrictData;
use yanzhen_sync::DocumentId;

use crate::data::save::SaveState;
use crate::data::save::settle;
use crate::data::write::{Written, change_meta, write_doc};
use crate::i18n::t;
use crate::modules::lead::components::review_nomination_cells::{
    NOMINATION_HEADS, NominationCells,
};
use crate::modules::lead::messages::review::ReviewMsg;
use crate::modules::lead::review::units::UnitHere;
use crate::modules::lead::review::{rows, write};
use crate::sync::repo::use_sync;
use crate::ui::empty_note::EmptyNote;
use crate::ui::save_note::{self, SaveNote};
use crate::ui::table::{Heads, Table};

#[component]
pub fn ReviewQueue(
    district: Memo<Option<DistrictData>>,
    district_id: Memo<Option<DocumentId>>,
    units: Memo<Vec<UnitHere>>,
) -> impl IntoView {
    let sync = use_sync();
    let state = RwSignal::new(SaveState::Idle);
    settle(sync, move || district_id.get(), vec![state]);
    let open = Memo::new(move |_| {
        district.with(|d| {
            let Some(d) = d else { return Vec::new() };
            units.with(|u| rows::open_nominations(d, u.iter().map(|(_, x)| x.as_ref())))
        })
    });
    let accept = move |id: yanzhen_model::Id| {
        let Some(doc) = district_id.get_untracked() else {
            state.set(SaveState::Failed);
            return;
        };
        let found = units.with_untracked(|u| {
            u.iter().find_map(|(_, x)| {
                x.nominations
                    .get(&id)
                    .map(|n| review::accept(n, &x.unit_id))
            })
        });
        let Some(record) = found else {
            state.set(SaveState::Failed);
            return;
        };
        let meta = change_meta();
        match write_doc(sync, doc, |am| {
            write::edit_district(am, |d| d.put(&record, &meta))
        }) {
            Written::Saved(_) => state.set(SaveState::Saving),
            Written::Refused(_) => state.set(SaveState::Invalid),
            Written::Failed(_) => state.set(SaveState::Failed),
        }
    };
    view! {
        <section class="card review-queue" id="queue">
            <div class="card-head">
                <h2>{t(ReviewMsg::QueueTitle)}</h2>
                <span class="badge" id="queue-count" data-count=move || open.with(Vec::len).to_string()>
                    {move || open.with(Vec::len)}
                </span>
            </div>
            <Table id="open-nominations" rows=open
                empty=|| view! { <EmptyNote id="queue-none" msg=ReviewMsg::QueueNone small=true/> }
                row=move |n: rows::NominationRow| {
                    let id = n.id.clone();
                    view! {
                        <tr class="open-nomination" data-id=n.id.as_str().to_owned()>
                            <td>{n.unit_name.clone()}</td>
                            <NominationCells row=n.clone()/>
                            <td>
                                <button type="button" class="button primary accept-nomination"
                                    on:click=move |_| accept(id.clone())>
                                    {t(ReviewMsg::QueueAccept)}
                                </button>
                            </td>
                        </tr>
                    }
                }
            >
                <th>{t(ReviewMsg::ColUnit)}</th>
                <Heads words=NOMINATION_HEADS/>
                <th>{t(ReviewMsg::ColAction)}</th>
            </Table>
            <SaveNote id="queue-state" state=state words=save_note::ROSTER/>
        </section>
    }
}
