//! The history and conflicts of the 归雁 record shown (an appointment, a
//! contact, a lead, a register entry): the shared [`RecordTrail`] for the
//! record `id` in document `doc`, in a card of its own.

use leptos::prelude::*;
use yanzhen_model::Id;
use yanzhen_model::store::Record;
use yanzhen_sync::DocumentId;

use crate::trail::record_trail::RecordTrail;

#[component]
pub fn ReturningTrail<R>(
    #[prop(into)] doc: Signal<Option<DocumentId>>,
    #[prop(into)] id: Signal<Option<Id>>,
    #[prop(optional)] _record: std::marker::PhantomData<R>,
) -> impl IntoView
where
    R: Record + Send + Sync + 'static,
{
    view! {
        <div class="ret-trail">
            <RecordTrail<R> doc=doc id=id/>
        </div>
    }
}
