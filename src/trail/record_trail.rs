//! Any record's trail, wherever a screen shows the record: its conflicts
//! (fields changed on two tablets at once, with "keep this value") and its
//! change history (who, when, which fields; a tap shows the record as it
//! was after that change). Generic over the record type; field names and
//! enum values are worded by the screen's [`FieldNames`].

use automerge::{Automerge, ChangeHash, ScalarValue};
use leptos::prelude::*;
use yanzhen_model::history::{ChangeEntry, FieldConflict};
use yanzhen_model::store::Record;
use yanzhen_model::{ChangeMeta, Id, ModelError};
use yanzhen_sync::DocumentId;

use crate::data::edit;
use crate::data::write::{Written, change_meta, write_doc};
use crate::i18n::Msg;
use crate::sync::repo::use_sync;
use crate::trail::changes::{
    FieldNames, Shown, conflict_views_with, history_rows_with, record_facts,
};
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
    trail(
        doc,
        id,
        names.unwrap_or(FieldNames::RAW),
        TrailOps::of::<R>(),
    )
}

/// A record's facts as it was after a change.
type FactsAt = fn(&Automerge, &Id, &ChangeHash, FieldNames) -> Option<Vec<(Shown, Shown)>>;
/// Writes the value kept for a conflicting field.
type Resolve = fn(
    &mut Automerge,
    &Id,
    &str,
    ScalarValue,
    &ChangeMeta,
) -> Result<Option<ChangeHash>, ModelError>;

/// What a trail needs of its record type, as plain functions: the view
/// below is then compiled once, not once per record type (~20 in the app).
#[derive(Clone, Copy)]
struct TrailOps {
    conflicts: fn(&Automerge, &Id) -> Result<Vec<FieldConflict>, ModelError>,
    history: fn(&Automerge, &Id) -> Result<Vec<ChangeEntry>, ModelError>,
    facts_at: FactsAt,
    resolve: Resolve,
}

impl TrailOps {
    fn of<R: Record>() -> Self {
        TrailOps {
            conflicts: edit::record_conflicts::<R>,
            history: edit::record_history::<R>,
            facts_at: |am, id, at, names| {
                let record = edit::record_at::<R>(am, id, at).ok().flatten()?;
                Some(record_facts(&record, names))
            },
            resolve: edit::resolve_record::<R>,
        }
    }
}

fn trail(
    doc: Signal<Option<DocumentId>>,
    id: Signal<Option<Id>>,
    names: FieldNames,
    ops: TrailOps,
) -> impl IntoView {
    let sync = use_sync();
    let problem = RwSignal::new(None::<Msg>);
    let conflicts = Signal::derive(move || {
        let (Some(d), Some(id)) = (doc.get(), id.get()) else {
            return Vec::new();
        };
        sync.revision(&d);
        sync.with_document(&d, |am| (ops.conflicts)(am, &id).ok())
            .flatten()
            .map(|c| conflict_views_with(&c, names))
            .unwrap_or_default()
    });
    let history = Signal::derive(move || {
        let (Some(d), Some(id)) = (doc.get(), id.get()) else {
            return Vec::new();
        };
        sync.revision(&d);
        sync.with_document(&d, |am| (ops.history)(am, &id).ok())
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
        sync.with_document(&d, |am| (ops.facts_at)(am, &id, &h, names))
            .flatten()
    });
    let on_keep = Callback::new(move |(field, value): (String, ScalarValue)| {
        let (Some(d), Some(id)) = (doc.get_untracked(), id.get_untracked()) else {
            return;
        };
        let meta = change_meta();
        problem.set(
            match write_doc(sync, d, |am| (ops.resolve)(am, &id, &field, value, &meta)) {
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
