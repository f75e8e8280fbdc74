//! The secretaries not filed yet (never filed, or the secretary changed
//! since the filing), each with a one-tap "file" for the district's tablet
//! (disabled, with the reason, elsewhere).

use leptos::prelude::*;
use yanzhen_model::Id;

use crate::i18n::t;
use crate::modules::lead::messages::review::ReviewMsg;
use crate::modules::lead::review::labels;
use crate::modules::lead::review::rows::FilingView;
use crate::ui::empty_note::EmptyNote;

#[component]
pub fn FilingTodo(
    views: Signal<Vec<FilingView>>,
    /// This tablet may write the district document.
    writable: Signal<bool>,
    on_file: Callback<Id>,
) -> impl IntoView {
    let todo = Memo::new(move |_| {
        views.with(|v| {
            v.iter()
                .filter(|v| v.row.needs_filing())
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="card filing-todo" id="filing-todo-card">
            <div class="card-head">
                <h2>{t(ReviewMsg::FilingTodoTitle)}</h2>
                <span class="badge" id="filing-todo-count" data-count=move || todo.with(Vec::len).to_string()>
                    {move || todo.with(Vec::len)}
                </span>
            </div>
            <Show when=move || !writable.get()>
                <p class="hint" id="filing-readonly">{t(ReviewMsg::ReadOnlyDistrict)}</p>
            </Show>
            <Show
                when=move || !todo.with(Vec::is_empty)
                fallback=|| view! { <EmptyNote id="filing-todo-none" msg=ReviewMsg::FilingTodoNone small=true/> }
            >
                <ul class="filing-todo-list" id="filing-todo">
                    {move || todo.get().into_iter().map(|v| {
                        let unit = v.row.unit.clone();
                        view! {
                            <li class="filing-todo-row" data-unit=v.row.unit.as_str().to_owned()
                                data-status=labels::filing_key(v.row.status)>
                                <span class="filing-unit">{v.unit_name.clone()}</span>
                                <span class="filing-secretary">{v.secretary_name()}</span>
                                <span class=format!("badge filing-{}", labels::filing_key(v.row.status))>
                                    {t(labels::filing_status(v.row.status))}
                                </span>
                                <button type="button" class="button primary file-secretary"
                                    disabled=move || !writable.get()
                                    on:click=move |_| on_file.run(unit.clone())>
                                    {t(ReviewMsg::FilingFile)}
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}
