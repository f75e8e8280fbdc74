//! A picked reserve cadre: sex, birth, selected on, mentor and outcome, the
//! 传帮带 log, then its forms (given as children) when this tablet may
//! write the unit's document, or why not.

use leptos::prelude::*;
use yanzhen_model::Id;
use yanzhen_model::entities::ReserveCadre;

use crate::i18n::{labels, t};
use crate::modules::young::components::locked::YoungLocked;
use crate::modules::young::labels::outcome;
use crate::modules::young::messages::YoungMsg;
use crate::ui::detail_head::DetailHead;
use crate::ui::empty_note::EmptyNote;

#[component]
pub fn ReserveDetail(
    #[prop(into)] cadre: Signal<Option<ReserveCadre>>,
    /// The mentor's name, from the unit's people.
    #[prop(into)]
    mentor_name: Signal<Option<String>>,
    picked: RwSignal<Option<Id>>,
    #[prop(into)] can_write: Signal<bool>,
    /// The note and outcome forms.
    children: ChildrenFn,
) -> impl IntoView {
    let children = StoredValue::new(children);
    move || {
        cadre.get().map(|c| {
            let log = c.log.clone();
            let n_notes = log.len().to_string();
            view! {
                <section class="card young-detail" id="reserve-detail" data-id=c.id.as_str().to_owned()>
                    <DetailHead close_id="reserve-close" close=YoungMsg::Close on_close=move |()| picked.set(None)>
                        <h2 id="reserve-detail-name">{c.name.clone()}</h2>
                    </DetailHead>
                    <dl class="facts">
                        <dt>{t(YoungMsg::FieldSex)}</dt><dd>{t(labels::sex(c.sex))}</dd>
                        <dt>{t(YoungMsg::FieldBirth)}</dt><dd>{c.birth_date.to_string()}</dd>
                        <dt>{t(YoungMsg::FieldSelected)}</dt><dd id="reserve-detail-selected">{c.selected.to_string()}</dd>
                        <dt>{t(YoungMsg::FieldMentor)}</dt><dd>{mentor_name.get().unwrap_or_default()}</dd>
                        <dt>{t(YoungMsg::ColOutcome)}</dt>
                        <dd id="reserve-detail-outcome">
                            {t(outcome(c.outcome))}" "{c.outcome_date.map(|d| d.to_string())}
                        </dd>
                    </dl>
                    <h3>{t(YoungMsg::LogTitle)}</h3>
                    {if log.is_empty() {
                        view! { <EmptyNote msg=YoungMsg::LogNone small=true/> }.into_any()
                    } else {
                        view! {
                            <ol class="young-log" id="reserve-log" data-count=n_notes>
                                {log.into_iter().map(|n| view! {
                                    <li class="note-row">
                                        <span class="history-when">{n.date.to_string()}</span>
                                        <span>{n.mentor}</span>
                                        <span>{n.note}</span>
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                    <Show
                        when=move || can_write.get()
                        fallback=|| view! { <YoungLocked id="reserve-locked-detail" reason=YoungMsg::LockedUnit/> }
                    >
                        {children.with_value(|c| c())}
                    </Show>
                </section>
            }
        })
    }
}
