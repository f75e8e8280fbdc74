//! The training coverage card: the district's (every unit on this tablet)
//! coverage for the year and the units below 100 %; tapping a unit shows
//! who has not been trained yet.

use leptos::prelude::*;
use yanzhen_model::Id;

use crate::i18n::t;
use crate::modules::flock::components::figure::FlockFigure;
use crate::modules::flock::components::percent::FlockPercent;
use crate::modules::flock::messages::FlockMsg;
use crate::modules::flock::rows::{BelowRow, CoverageView};
use crate::ui::empty_note::EmptyNote;

#[component]
pub fn FlockCoverage(
    district: Signal<CoverageView>,
    units_counted: Signal<usize>,
    below: Signal<Vec<BelowRow>>,
) -> impl IntoView {
    let open = RwSignal::new(None::<Id>);
    let missing = move || {
        let id = open.get()?;
        below.with(|b| b.iter().find(|r| r.unit == id).cloned())
    };
    view! {
        <section class="card flock-coverage" id="flock-coverage">
            <h2>{t(FlockMsg::CoverageTitle)}</h2>
            <div class="flock-figure-row">
                <FlockPercent id="flock-district-coverage" percent=Signal::derive(move || district.get().percent.to_string())
                    label=FlockMsg::CoverageDistrict
                    part=FlockMsg::CoverageTrained part_count=Signal::derive(move || district.get().trained)
                    whole=FlockMsg::CoverageMembers whole_count=Signal::derive(move || district.get().members)
                    attr:data-pct=move || district.get().percent.to_string()
                    attr:data-trained=move || district.get().trained.to_string()
                    attr:data-members=move || district.get().members.to_string()/>
                <FlockFigure id="flock-units-counted" label=FlockMsg::UnitsCounted value=units_counted/>
            </div>
            <h3>{t(FlockMsg::BelowFullTitle)}</h3>
            <Show
                when=move || !below.with(Vec::is_empty)
                fallback=|| view! { <EmptyNote id="flock-below-none" msg=FlockMsg::BelowFullNone small=true/> }
            >
                <p class="hint">{t(FlockMsg::BelowFullHint)}</p>
                <div class="flock-below" id="flock-below">
                    <For each=move || below.get() key=|r| format!("{}-{}-{}", r.unit.as_str(), r.coverage.trained, r.coverage.members) let:r>
                        {
                            let id = r.unit.clone();
                            let sel = id.clone();
                            view! {
                                <button
                                    type="button"
                                    class="flock-below-unit"
                                    class:selected=move || open.get().as_ref() == Some(&sel)
                                    data-unit=id.as_str().to_owned()
                                    data-pct=r.coverage.percent.to_string()
                                    on:click=move |_| open.update(|o| *o = if o.as_ref() == Some(&id) { None } else { Some(id.clone()) })
                                >
                                    <span>{r.name.clone()}</span>
                                    <strong>{format!("{}%", r.coverage.percent)}</strong>
                                    <small>{format!("{}/{}", r.coverage.trained, r.coverage.members)}</small>
                                </button>
                            }
                        }
                    </For>
                </div>
                {move || missing().map(|r| view! {
                    <div class="flock-missing" id="flock-missing" data-unit=r.unit.as_str().to_owned()>
                        <h3>{r.name.clone()} " · " {t(FlockMsg::MissingTitle)}</h3>
                        <ul>
                            {r.missing.into_iter().map(|n| view! { <li class="flock-missing-person">{n}</li> }).collect_view()}
                        </ul>
                    </div>
                })}
            </Show>
        </section>
    }
}
