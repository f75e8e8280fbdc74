//! The history and conflicts of the 归雁 record shown (an appointment, a
//! contact, a lead, a register entry): the shared record trail for the
//! record `id` in document `doc`.

use leptos::prelude::*;
use yanzhen_model::Id;
use yanzhen_model::store::Record;
use yanzhen_sync::DocumentId;

// RECORD-TRAIL: replaced by the shared `RecordTrail` once it is on main.
#[component]
pub fn ReturningTrail<R>(
    #[prop(into)] doc: Signal<Option<DocumentId>>,
    #[prop(into)] id: Signal<Option<Id>>,
    #[prop(optional)] _record: std::marker::PhantomData<R>,
) -> impl IntoView
where
    R: Record + Send + Sync + 'static,
{
    let _ = (doc, id);
    view! { <section class="record-trail" hidden=true></section> }
}
