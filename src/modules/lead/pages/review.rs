//! 资格联审 (`/lead/review`): a unit tablet nominates candidates into its
//! own document; the district accepts them into a batch, every department
//! signs off (pass, or fail with a reason), publicity runs with its days
//! left, the review is concluded and the seat given — refused for a
//! candidate any department failed. Batch counts and a per-candidate
//! board; the selected candidate's history and conflicts.
//!
//! Also the reactive plumbing shared with the filing screen: today's date
//! on the tablet, who makes a change, whether this tablet may write a
//! document, and the unit documents here read incrementally.

use leptos::prelude::*;

use crate::data::clock::today;
use yanzhen_model::Id;

use crate::i18n::t;
use crate::modules::lead::components::review_batches::ReviewBatches;
use crate::modules::lead::components::review_candidate::ReviewCandidate;
use crate::modules::lead::components::review_candidates::ReviewCandidates;
use crate::modules::lead::components::review_nominate::ReviewNominate;
use crate::modules::lead::components::review_queue::ReviewQueue;
use crate::modules::lead::messages::review::ReviewMsg;
use crate::modules::lead::review::rows;
use crate::modules::lead::review::units::review_reads;
use crate::routes::Screen;
use crate::sync::repo::use_sync;
use crate::ui::empty_note::EmptyNote;
use crate::ui::screen_header::ScreenHeader;

#[component]
pub fn LeadReviewPage() -> impl IntoView {
    let sync = use_sync();
    let (district_id, district, units, district_writable) = review_reads(sync);
    // Unit documents this tablet writes (a village's own, a township's).
    let own_units = Signal::derive(move || {
        units.with(|u| {
            u.iter()
                .filter(|(id, _)| sync.may_write(id))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let batch = RwSignal::new(None::<Id>);
    let candidate = RwSignal::new(None::<Id>);
    // A batch chosen first by default: the newest.
    Effect::new(move |_| {
        if batch.with(Option::is_none)
            && let Some(first) = district.with(|d| {
                d.as_ref()
                    .and_then(|d| rows::batch_rows(d, today()).first().map(|b| b.id.clone()))
            })
        {
            batch.set(Some(first));
        }
    });
    let loaded = move || district.with(Option::is_some);
    view! {
        <ScreenHeader screen=Screen::LeadReview/>
        <p class="page-intro">{t(ReviewMsg::ReviewIntro)}</p>
        <Show
            when=loaded
            fallback=|| view! { <EmptyNote id="review-state" msg=ReviewMsg::Loading/> }
        >
            <Show when=move || !district_writable.get() && !own_units.with(Vec::is_empty)>
                <ReviewNominate district=district own_units=own_units/>
            </Show>
            <Show when=move || !district_writable.get()>
                <p class="notice notice-info" id="review-readonly">{t(ReviewMsg::ReadOnlyDistrict)}</p>
            </Show>
            <Show when=move || district_writable.get()>
                <ReviewQueue district=district district_id=district_id units=units/>
            </Show>
            <ReviewBatches district=district district_id=district_id writable=district_writable selected=batch/>
            <ReviewCandidates district=district batch=batch selected=candidate/>
            <ReviewCandidate
                district=district
                district_id=district_id
                units=units
                writable=district_writable
                selected=candidate
            />
        </Show>
    }
}
