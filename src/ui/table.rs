//! A table of rows (`<table class="plain-table …">`): its head cells (the
//! children; [`Heads`] for a run of column words), one `<tr>` per row
//! from `row`, in a scrolling box with `scroll` (its classes); with
//! `empty`, that view in the table's place while there are no rows.

use leptos::prelude::*;

use crate::i18n::{Text, t};

#[component]
pub fn Table<R, F, V>(
    /// The table's id, if the screen names it.
    #[prop(optional)]
    id: Option<&'static str>,
    /// The table's classes.
    #[prop(default = "plain-table")]
    class: &'static str,
    /// The classes of a box around the table that scrolls it sideways.
    #[prop(optional)]
    scroll: Option<&'static str>,
    /// The rows.
    #[prop(into)]
    rows: Signal<Vec<R>>,
    /// One row's `<tr>`.
    row: F,
    /// Shown instead of the table while there are no rows.
    #[prop(optional, into)]
    empty: Option<ViewFn>,
    /// The head's `<th>` cells.
    children: ChildrenFn,
) -> impl IntoView
where
    R: Clone + Send + Sync + 'static,
    F: Fn(R) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let table = move || {
        let row = row.clone();
        let table = view! {
            <table class=class id=id>
                <thead><tr>{children()}</tr></thead>
                <tbody>{move || rows.get().into_iter().map(row.clone()).collect_view()}</tbody>
            </table>
        };
        match scroll {
            Some(class) => view! { <div class=class>{table}</div> }.into_any(),
            None => table.into_any(),
        }
    };
    match empty {
        Some(empty) => view! {
            <Show when=move || !rows.with(Vec::is_empty) fallback=empty>{table()}</Show>
        }
        .into_any(),
        None => table().into_any(),
    }
}

/// A run of head cells, one `<th>` per word; with `num`, columns of
/// numbers (`class="num"`); with `scoped`, `scope="col"`.
#[component]
pub fn Heads<M: Text>(
    /// The columns' words, in order.
    #[prop(into)]
    words: Vec<M>,
    #[prop(optional)] num: bool,
    #[prop(optional)] scoped: bool,
) -> impl IntoView {
    let class = num.then_some("num");
    let scope = scoped.then_some("col");
    words
        .into_iter()
        .map(|w| view! { <th class=class scope=scope>{t(w)}</th> })
        .collect_view()
}
