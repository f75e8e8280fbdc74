//! The cells a nomination shows in both its lists (the unit's own and the
//! district's queue): name, masked ID number, seat, batch, submitted on;
//! and their column words.

use leptos::prelude::*;

use crate::i18n::labels as roster_labels;
use crate::i18n::t;
use crate::modules::lead::messages::review::ReviewMsg;
use crate::modules::lead::review::rows::NominationRow;

/// The column words of [`NominationCells`], in order.
pub const NOMINATION_HEADS: [ReviewMsg; 5] = [
    ReviewMsg::ColName,
    ReviewMsg::ColIdNumber,
    ReviewMsg::ColSeat,
    ReviewMsg::ColBatch,
    ReviewMsg::SubmittedOn,
];

#[component]
pub fn NominationCells(row: NominationRow) -> impl IntoView {
    view! {
        <td>{row.name}</td>
        <td class="id-masked">{row.id_masked}</td>
        <td>{t(roster_labels::post_title(row.seat))}</td>
        <td>{row.batch_name}</td>
        <td>{row.submitted.to_string()}</td>
    }
}
