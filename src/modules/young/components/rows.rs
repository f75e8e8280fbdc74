//! A list of 雏雁 records, one big row per record (a unit's reserve
//! cadres or career moves, the district's pool or home-coming cases): the
//! hint, the four columns' words, the rows; in their place, why there are
//! none (no unit, loading, none yet).

use std::hash::Hash;

use leptos::prelude::*;
use leptos::tachys::view::keyed::SerializableKey;

use crate::i18n::t;
use crate::modules::young::messages::YoungMsg;
use crate::ui::empty_note::EmptyNote;

#[component]
pub fn YoungRows<T, KF, K, RF, V>(
    /// The list's id (its `data-count` is the number of rows).
    id: &'static str,
    /// The id of the note in the rows' place.
    note_id: &'static str,
    /// Why there are no rows, if so.
    #[prop(into)]
    note: Signal<Option<YoungMsg>>,
    /// The columns' words.
    heads: [YoungMsg; 4],
    #[prop(into)] rows: Signal<Vec<T>>,
    /// What tells the rows apart (and a row's change).
    key: KF,
    /// One row.
    row: RF,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    KF: Fn(&T) -> K + Clone + Send + Sync + 'static,
    K: Eq + Hash + SerializableKey + 'static,
    RF: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    move || {
        if let Some(msg) = note.get() {
            return view! { <EmptyNote id=note_id msg=msg/> }.into_any();
        }
        let (key, row) = (key.clone(), row.clone());
        view! {
            <p class="hint">{t(YoungMsg::RowHint)}</p>
            <div class="young-rows" id=id data-count=move || rows.with(Vec::len).to_string()>
                <div class="young-row young-head">
                    {heads.map(|h| view! { <span>{t(h)}</span> }).into_iter().collect_view()}
                </div>
                <For each=move || rows.get() key=key children=row/>
            </div>
        }
        .into_any()
    }
}
