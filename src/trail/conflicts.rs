//! A record's conflicts: each field changed on two tablets at once, with
//! every value, who wrote it (office, tablet, time) and a "keep this value"
//! button that resolves the field to it. Nothing when there are none.

use automerge::ScalarValue;
use leptos::prelude::*;

use crate::data::clock::local_time;
use crate::i18n::{Msg, t};
use crate::trail::changes::ConflictView;
use crate::trail::shown_text::ShownText;

#[component]
pub fn RecordConflicts(
    conflicts: Signal<Vec<ConflictView>>,
    on_keep: Callback<(String, ScalarValue)>,
) -> impl IntoView {
    view! {
        <Show when=move || !conflicts.with(Vec::is_empty)>
            <section class="card conflicts" id="person-conflicts" role="alert">
                <h2>{t(Msg::ConflictsTitle)}</h2>
                <p>{t(Msg::ConflictsIntro)}</p>
                {move || conflicts.get().into_iter().map(|c| {
                        let field = c.field.clone();
                        view! {
                            <div class="conflict" data-field=c.field.clone()>
                                <h3><ShownText value=c.label.clone()/></h3>
                                <ul class="conflict-values">
                                    {c.values.into_iter().enumerate().map(|(i, v)| {
                                        let field = field.clone();
                                        let keep = v.keep.clone();
                                        view! {
                                            <li class="conflict-value" data-index=i>
                                                <span class="conflict-text"><ShownText value=v.shown/></span>
                                                <span class="conflict-who">
                                                    <span>{if v.person.is_empty() { None } else { Some(v.person.clone()) }}</span>
                                                    <span>
                                                        <span class="label">{t(Msg::DeviceLabel)}</span>
                                                        {match v.device {
                                                            Some(d) => d.into_any(),
                                                            None => t(Msg::ConflictUnknownWriter).into_any(),
                                                        }}
                                                    </span>
                                                    <span>{v.time_ms.map(local_time)}</span>
                                                </span>
                                                {keep.map(|k| view! {
                                                    <button
                                                        type="button"
                                                        class="button primary conflict-keep"
                                                        on:click=move |_| on_keep.run((field.clone(), k.clone()))
                                                    >
                                                        {t(Msg::ConflictKeep)}
                                                    </button>
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </div>
                        }
                }).collect_view()}
            </section>
        </Show>
    }
}
