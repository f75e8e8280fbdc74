//! The reference figures as cards grouped by module; each card carries its
//! figure's key and value (`data-figure`, `data-value`).

use leptos::prelude::*;

use crate::i18n::t;
use crate::modules::dashboard::figures::{FigureRow, Group};

#[component]
pub fn DashFigureCards(
    /// The figures to show.
    #[prop(into)]
    rows: Signal<Vec<FigureRow>>,
) -> impl IntoView {
    let group = move |g: Group| {
        let list: Vec<FigureRow> =
            rows.with(|r| r.iter().filter(|x| x.group == g).cloned().collect());
        (!list.is_empty()).then(|| {
            view! {
                <section class="dash-group" data-group=format!("{g:?}")>
                    <h3>{t(g.title())}</h3>
                    <div class="dash-figures">
                        {list
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <div class="dash-figure" data-figure=r.key data-value=r.value.clone()>
                                        <span class="dash-figure-value">
                                            {r.value.clone()}{r.suffix}
                                            {r.unit.map(|u| view! { <small>{t(u)}</small> })}
                                        </span>
                                        <span class="dash-figure-label">{t(r.label)}</span>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </div>
                </section>
            }
        })
    };
    view! {
        <div class="dash-figure-groups">
            {move || Group::ALL.into_iter().map(group).collect_view()}
        </div>
    }
}
