//! The master studios as cards: name, mentor (the leader), community,
//! founded, number of placements; tapping a card selects the studio.

use leptos::prelude::*;
use yanzhen_model::Id;

use crate::i18n::t;
use crate::modules::flock::messages::FlockMsg;
use crate::modules::flock::rows::StudioRow;

#[component]
pub fn FlockStudios(rows: Signal<Vec<StudioRow>>, selected: RwSignal<Option<Id>>) -> impl IntoView {
    view! {
        <div class="flock-studios" id="flock-studios">
            {move || rows.get().into_iter().map(|r| {
                let id = r.id.clone();
                let sel = id.clone();
                view! {
                    <button
                        type="button"
                        class="flock-studio"
                        class:selected=move || selected.get().as_ref() == Some(&sel)
                        data-studio=id.as_str().to_owned()
                        data-placements=r.placements.to_string()
                        on:click=move |_| selected.set(Some(id.clone()))
                    >
                        <strong class="flock-studio-name">{r.name.clone()}</strong>
                        <span><span class="label">{t(FlockMsg::StudioLeader)}</span>{r.leader.clone()}</span>
                        <span><span class="label">{t(FlockMsg::StudioUnit)}</span>{r.unit.clone()}</span>
                        <span><span class="label">{t(FlockMsg::StudioFounded)}</span>{r.founded.to_string()}</span>
                        <span><span class="label">{t(FlockMsg::StudioPlacements)}</span>{r.placements}</span>
                    </button>
                }
            }).collect_view()}
        </div>
    }
}
