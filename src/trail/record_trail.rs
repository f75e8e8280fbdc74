//! Any record's trail, wherever a screen shows the record: its conflicts
//! (fields changed on two tablets at once, with "keep this value") and its
//! change history (who, when, which fields; a tap shows the record as it
//! was after that change). Generic over the record type; field names and
//! enum values are worded by the screen's [`FieldNames`].

use automerge::{ChangeHash, ScalarValue};
use leptos::prelude::*;
use yanzhen_model::Id;
use yanzhen_model::store::Record;
use yanzhen_sync::DocumentId;

use crate::data::edit;
use crate::data::write::{Written, change_meta, write_doc};
use crate::i18n::Msg;
use crate::sync::repo::use_sync;
use crate::trail::changes::{FieldNames, conflict_views_with, history_rows_with, record_facts};
use crate::trail::conflicts::RecordConflicts;
use crate::trail::history::RecordHistory;
use crate::ui::notice::Notice;

#[component]
pub fn RecordTrail<R>(
    /// The document holding the record (None while loading).
    #[prop(into)]
    doc: Signal<Option<DocumentId>>,
    /// The record's id (None: nothing selected).
    #[prop(into)]
    id: Signal<Option<Id>>,
    /// How fields and values are worded (default: as stored).
    #[prop(optional)]
    names: Option<FieldNames>,
    /// Only the type parameter matters.
    #[prop(optional)]
    _record: std::marker::PhantomData<R>,
) -> impl IntoView
where
    R: Record + Send + Sync + 'static,
{
    let sync = use_sync();
    let names = names.unwrap_or(FieldNames::RAW);
    let problem = RwSignal::new(None::<Msg>);
    let conflicts = Signal::derive(move || {
        let (Some(d), Some(id)) = (doc.get(), id.get()) else {
            return Vec::new();
        };
        sync.revision(&d);
        sync.with_document(&d, |am| edit::record_conflicts::<R>(am, &id).ok())
            .flatten()
            .map(|c| conflict_views_with(&c, names))
            .unwrap_or_default()
    });
    let history = Signal::derive(move || {
        let (Some(d), Some(id)) = (doc.get(), id.get()) else {
            return Vec::new();
        };
        sync.revision(&d);
        sync.with_document(&d, |am| edit::record_history::<R>(am, &id).ok())
            .flatten()
            .map(|h| history_rows_with(&h, names))
            .unwrap_or_default()
    });
    let selected = RwSignal::new(None::<ChangeHash>);
    // Another record: nothing of the previous one stays selected.
    Effect::new(move |_| {
        id.track();
        selected.set(None);
        problem.set(None);
    });
    let at = Signal::derive(move || {
        let (Some(d), Some(id), Some(h)) = (doc.get(), id.get(), selected.get()) else {
            return None;
        };
        sync.with_document(&d, |am| edit::record_at::<R>(am, &id, &h).ok().flatten())
            .flatten()
            .map(|r| record_facts(&r, names))
    });
    let on_keep = Callback::new(move |(field, value): (String, ScalarValue)| {
        let (Some(d), Some(id)) = (doc.get_untracked(), id.get_untracked()) else {
            return;
        };
        let meta = change_meta();
        problem.set(
            match write_doc(sync, d, |am| {
                edit::resolve_record::<R>(am, &id, &field, value, &meta)
            }) {
                Written::Saved(_) => None,
                Written::Refused(_) => Some(Msg::TrailKeepRefused),
                Written::Failed(_) => Some(Msg::SyncErrStorage),
            },
        );
    });
    view! {
        <Show when=move || id.with(Option::is_some)>
            <section class="record-trail">
                {move || problem.get().map(|m| view! { <Notice msg=m/> })}
                <div class="record-conflicts">
                    <RecordConflicts conflicts=conflicts on_keep=on_keep/>
                </div>
                <RecordHistory rows=history selected=selected at=at/>
            </section>
        </Show>
    }
}
