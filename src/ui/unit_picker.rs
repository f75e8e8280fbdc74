//! The unit picker: one large select of the villages and communities whose
//! documents are on this tablet, grouped by township or street. The value
//! is the unit document's id (as in URLs).

use leptos::prelude::*;

use crate::data::choices::UnitChoice;
use crate::data::docs::doc_param;
use crate::i18n::{Msg, t};

#[component]
pub fn UnitPicker(
    choices: Signal<Vec<UnitChoice>>,
    selected: RwSignal<Option<String>>,
) -> impl IntoView {
    let groups = move || {
        let mut groups: Vec<(String, Vec<UnitChoice>)> = Vec::new();
        for c in choices.get() {
            match groups.last_mut() {
                Some((p, list)) if *p == c.parent => list.push(c),
                _ => groups.push((c.parent.clone(), vec![c])),
            }
        }
        groups
    };
    let current = move || selected.get().unwrap_or_default();
    view! {
        <div class="unit-picker">
            <label for="roster-unit">{t(Msg::RosterUnit)}</label>
            <select
                id="roster-unit"
                prop:value=current
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    selected.set((!v.is_empty()).then_some(v));
                }
            >
                <option value="" disabled=true selected=move || selected.get().is_none()>
                    {t(Msg::RosterPickUnit)}
                </option>
                {move || {
                    groups()
                        .into_iter()
                        .map(|(parent, list)| {
                            view! {
                                <optgroup label=parent>
                                    {list
                                        .into_iter()
                                        .map(|c| {
                                            let v = doc_param(&c.doc);
                                            let sel = v.clone();
                                            view! {
                                                <option
                                                    value=v
                                                    selected=move || selected.get().as_deref() == Some(sel.as_str())
                                                >
                                                    {c.name}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </optgroup>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}
