//! A record's change history: one touchable row per change (when, which
//! tablet, office and role, what was done, which fields), newest first; a
//! tap shows the record as it was right after that change.

use automerge::ChangeHash;
use leptos::prelude::*;

use crate::data::clock::local_time;
use crate::i18n::{Msg, t};
use crate::trail::changes::{HistoryRow, Shown};
use crate::trail::shown_text::ShownText;
use crate::ui::empty_note::EmptyNote;

#[component]
pub fn RecordHistory(
    rows: Signal<Vec<HistoryRow>>,
    selected: RwSignal<Option<ChangeHash>>,
    /// The record after the selected change, as facts.
    at: Signal<Option<Vec<(Shown, Shown)>>>,
) -> impl IntoView {
    view! {
        <section class="card" id="person-history">
            <h2>{t(Msg::HistoryTitle)}</h2>
            <Show
                when=move || !rows.with(Vec::is_empty)
                fallback=|| view! { <EmptyNote msg=Msg::HistoryNone small=true/> }
            >
                <p class="hint">{t(Msg::HistoryHint)}</p>
                <ul class="history-list">
                    <For each=move || rows.get() key=|r| r.hash let:r>
                        {
                            let hash = r.hash;
                            let fields = if r.fields.is_empty() {
                                vec![view! { <span class="chip">{t(Msg::HistoryAllFields)}</span> }.into_any()]
                            } else {
                                r.fields
                                    .iter()
                                    .cloned()
                                    .map(|f| view! { <span class="chip"><ShownText value=f/></span> }.into_any())
                                    .collect()
                            };
                            let who = if r.person.is_empty() { None } else { Some(r.person.clone()) };
                            view! {
                                <li>
                                    <button
                                        type="button"
                                        class="history-row"
                                        class:selected=move || selected.get() == Some(hash)
                                        data-hash=hash.to_string()
                                        on:click=move |_| {
                                            selected.update(|s| *s = if *s == Some(hash) { None } else { Some(hash) })
                                        }
                                    >
                                        <span class="history-when">{local_time(r.time_ms)}</span>
                                        <span class="history-who">
                                            <span>{who.unwrap_or_else(|| t(Msg::HistoryUnknown)().to_owned())}</span>
                                            <span>{r.role.clone()}</span>
                                            <span><span class="label">{t(Msg::DeviceLabel)}</span>{r.device.clone()}</span>
                                        </span>
                                        <span class="history-what">
                                            {r.op.map(|m| view! { <strong>{t(m)}</strong> })}
                                            {fields}
                                        </span>
                                    </button>
                                </li>
                            }
                        }
                    </For>
                </ul>
                {move || at.get().map(|facts| view! {
                    <div class="history-at" id="history-at">
                        <h3>{t(Msg::HistoryAsOf)}</h3>
                        <dl class="facts">
                            {facts.into_iter().map(|(label, value)| view! {
                                <dt><ShownText value=label/></dt>
                                <dd><ShownText value=value/></dd>
                            }).collect_view()}
                        </dl>
                        <button type="button" class="button" id="history-close" on:click=move |_| selected.set(None)>
                            {t(Msg::HistoryClose)}
                        </button>
                    </div>
                })}
            </Show>
        </section>
    }
}
