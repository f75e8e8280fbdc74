//! The history and conflicts of the record a 群雁 screen shows (a session,
//! a certificate, a placement): the record's conflicts with "keep this
//! value", then its change history, newest first.
//!
//! TRAIL: the lead's generic `RecordTrail` (src/components/record_trail.rs)
//! replaces this once it is on main; until then this reads the model's
//! history and conflicts for any record type and renders them with the
//! roster's `RecordConflicts` / `RecordHistory`.

use automerge::{ChangeHash, ScalarValue};
use leptos::prelude::*;
use yanzhen_model::history::{self, RecordPath};
use yanzhen_model::store::{Document, Record};
use yanzhen_model::Id;
use yanzhen_sync::DocumentId;

use crate::components::record_conflicts::RecordConflicts;
use crate::components::record_history::RecordHistory;
use crate::flock::hooks::change_meta;
use crate::flock::write::edit;
use crate::roster::changes::{conflict_views, history_rows};
use crate::sync::repo::use_sync;

#[component]
pub fn FlockTrail<R: Record + Send + Sync + 'static>(
    /// The document holding the record (None while loading).
    #[prop(into)]
    doc: Signal<Option<DocumentId>>,
    /// The record's id (None: nothing selected).
    #[prop(into)]
    id: Signal<Option<Id>>,
    /// The record type (inferred from the turbofish).
    #[prop(optional)]
    marker: std::marker::PhantomData<R>,
) -> impl IntoView {
    let _ = marker;
    let sync = use_sync();
    let conflicts = Signal::derive(move || {
        let (Some(d), Some(id)) = (doc.get(), id.get()) else {
            return Vec::new();
        };
        sync.revision(&d);
        sync.with_document(&d, |am| history::conflicts(am, &RecordPath::of::<R>(&id)).ok())
            .flatten()
            .map(|c| conflict_views(&c))
            .unwrap_or_default()
    });
    let rows = Signal::derive(move || {
        let (Some(d), Some(id)) = (doc.get(), id.get()) else {
            return Vec::new();
        };
        sync.revision(&d);
        sync.with_document(&d, |am| history::history(am, &RecordPath::of::<R>(&id)).ok())
            .flatten()
            .map(|mut h| {
                h.reverse();
                history_rows(&h)
            })
            .unwrap_or_default()
    });
    let on_keep = Callback::new(move |(field, value): (String, ScalarValue)| {
        let (Some(d), Some(rid)) = (doc.get_untracked(), id.get_untracked()) else {
            return;
        };
        let meta = change_meta(sync);
        let _ = sync.change(d, |am| {
            edit::<R::Scope, _>(am, |doc: &mut Document<R::Scope>| {
                doc.resolve::<R>(&rid, &field, value, &meta)
            })
        });
    });
    let selected = RwSignal::new(None::<ChangeHash>);
    view! {
        <div class="record-trail flock-trail">
            <RecordConflicts conflicts=conflicts on_keep=on_keep/>
            <RecordHistory rows=rows selected=selected at=Signal::derive(|| None)/>
        </div>
    }
}
