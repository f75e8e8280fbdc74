//! The card with a picked 群雁 record's history and conflicts (the shared
//! record trail), shown while a record is picked.

use leptos::prelude::*;
use yanzhen_model::Id;
use yanzhen_model::store::Record;
use yanzhen_sync::DocumentId;

use crate::i18n::t;
use crate::modules::flock::messages::FlockMsg;
use crate::trail::changes::FieldNames;
use crate::trail::record_trail::RecordTrail;

#[component]
pub fn FlockTrail<R>(
    /// The card's id.
    id: &'static str,
    /// The document holding the record.
    #[prop(into)]
    doc: Signal<Option<DocumentId>>,
    /// The picked record (none: no card).
    #[prop(into)]
    picked: Signal<Option<Id>>,
    names: FieldNames,
    /// Only the type parameter matters.
    #[prop(optional)]
    _record: std::marker::PhantomData<R>,
) -> impl IntoView
where
    R: Record + Send + Sync + 'static,
{
    view! {
        <Show when=move || picked.with(Option::is_some)>
            <section class="card" id=id>
                <h2>{t(FlockMsg::HistoryOfRecord)}</h2>
                <RecordTrail<R> doc=doc id=picked names=names/>
            </section>
        </Show>
    }
}
