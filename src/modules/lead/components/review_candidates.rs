//! The candidates of the chosen batch: unit, name, seat, status, one mark
//! per department (✓ passed, ✗ failed, · pending) and the publicity days
//! left; a tap opens the candidate.

use leptos::prelude::*;
use yanzhen_model::Id;
use yanzhen_model::store::DistrictData;

use crate::data::clock::today;
use crate::i18n::labels as roster_labels;
use crate::i18n::t;
use crate::modules::lead::messages::review::ReviewMsg;
use crate::modules::lead::review::{labels, rows};
use crate::ui::empty_note::EmptyNote;
use crate::ui::pick_button::PickButton;
use crate::ui::table::{Heads, Table};

#[component]
pub fn ReviewCandidates(
    district: Memo<Option<DistrictData>>,
    batch: RwSignal<Option<Id>>,
    selected: RwSignal<Option<Id>>,
) -> impl IntoView {
    let list = Memo::new(move |_| {
        let Some(b) = batch.get() else {
            return Vec::new();
        };
        district.with(|d| {
            d.as_ref()
                .map(|d| rows::candidate_rows(d, &b, today()))
                .unwrap_or_default()
        })
    });
    let batch_name = move || {
        let b = batch.get()?;
        district.with(|d| d.as_ref()?.batches.get(&b).map(|b| b.name.clone()))
    };
    view! {
        <section class="card review-candidates" id="candidates">
            <h2>{t(ReviewMsg::CandidatesTitle)} " " <small class="muted">{batch_name}</small></h2>
            {move || match (batch.with(Option::is_some), list.with(Vec::is_empty)) {
                (false, _) => view! { <EmptyNote msg=ReviewMsg::CandidatesPick small=true/> }.into_any(),
                (true, true) => view! { <EmptyNote id="candidates-none" msg=ReviewMsg::CandidatesNone small=true/> }.into_any(),
                (true, false) => view! {
                    <Table id="candidate-table" scroll="table-scroll" rows=list row=move |c: rows::CandidateRow| {
                                let id = c.id.clone();
                                let id2 = c.id.clone();
                                view! {
                                    <tr class="candidate-row" data-id=c.id.as_str().to_owned()
                                        data-status=labels::status_key(c.status)
                                        class:selected=move || selected.with(|s| s.as_ref() == Some(&id2))>
                                        <td>{c.unit_name.clone()}</td>
                                        <td>{c.name.clone()}</td>
                                        <td>{t(roster_labels::post_title(c.seat))}</td>
                                        <td><span class=format!("badge status-{}", labels::status_key(c.status))>{t(labels::status(c.status))}</span></td>
                                        <td class="mini-board">
                                            {c.board.iter().map(|(d, r)| {
                                                let r = *r;
                                                let d = *d;
                                                view! {
                                                    <span class="mark"
                                                        class:mark-pass=r == yanzhen_model::entities::SignOffResult::Pass
                                                        class:mark-fail=r == yanzhen_model::entities::SignOffResult::Fail
                                                        title=format!("{} {}", t(labels::department(d))(), t(labels::verdict(r))())>
                                                        {labels::verdict_mark(r)}
                                                    </span>
                                                }
                                            }).collect_view()}
                                        </td>
                                        <td class="num">{c.days_left.map(|d| d.to_string())}</td>
                                        <td><PickButton class="button candidate-open" id=id picked=selected msg=ReviewMsg::CandidateShow/></td>
                                    </tr>
                                }
                            }>
                        <Heads words=[ReviewMsg::ColUnit, ReviewMsg::ColName, ReviewMsg::ColSeat, ReviewMsg::ColStatus, ReviewMsg::BoardTitle]/>
                        <Heads num=true words=[ReviewMsg::DaysLeft]/>
                        <th></th>
                    </Table>
                }.into_any(),
            }}
        </section>
    }
}
