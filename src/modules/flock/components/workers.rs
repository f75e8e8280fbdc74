//! A unit's community workers, each with their certificates (level,
//! number, date) or "not certified"; tapping a worker selects them.

use leptos::prelude::*;
use yanzhen_model::Id;

use crate::i18n::t;
use crate::modules::flock::labels;
use crate::modules::flock::messages::FlockMsg;
use crate::modules::flock::rows::WorkerRow;
use crate::ui::empty_note::EmptyNote;

#[component]
pub fn FlockWorkers(rows: Signal<Vec<WorkerRow>>, selected: RwSignal<Option<Id>>) -> impl IntoView {
    view! {
        <Show
            when=move || !rows.with(Vec::is_empty)
            fallback=|| view! { <EmptyNote id="flock-workers-none" msg=FlockMsg::WorkersNone small=true/> }
        >
            <div class="flock-workers" id="flock-workers">
                {move || rows.get().into_iter().map(|r| {
                    let id = r.person.clone();
                    let sel = id.clone();
                    let certified = !r.certs.is_empty();
                    view! {
                        <button
                            type="button"
                            class="flock-worker-row"
                            class:certified=certified
                            class:selected=move || selected.get().as_ref() == Some(&sel)
                            data-person=id.as_str().to_owned()
                            data-certs=r.certs.len().to_string()
                            on:click=move |_| selected.set(Some(id.clone()))
                        >
                            <span class="flock-worker-name">{r.name.clone()}</span>
                            <span class="flock-worker-certs">
                                {if certified {
                                    r.certs.iter().map(|c| view! {
                                        <span class="chip">{t(labels::certificate_level(c.level))} " " {c.number.clone()}</span>
                                    }).collect_view().into_any()
                                } else {
                                    view! { <span class="flock-uncertified">{t(FlockMsg::WorkerUncertified)}</span> }.into_any()
                                }}
                            </span>
                        </button>
                    }
                }).collect_view()}
            </div>
        </Show>
    }
}
