//! Which part of the city the charts show: the whole city or one district
//! (large touch targets, the current one marked).

use leptos::prelude::*;

use crate::i18n::t;
use crate::modules::dashboard::city::CityColumn;
use crate::modules::dashboard::messages::DashMsg;

#[component]
pub fn CityScopePicker(
    #[prop(into)] columns: Signal<Vec<CityColumn>>,
    /// The district shown (`None`: the whole city).
    scope: RwSignal<Option<usize>>,
) -> impl IntoView {
    let button = move |c: CityColumn| {
        let pick = c.district;
        let city = pick.is_none();
        let key = c.key();
        view! {
            <button type="button" class="screen-tab" class:current=move || scope.get() == pick
                data-district=key aria-pressed=move || (scope.get() == pick).to_string()
                on:click=move |_| scope.set(pick)>
                {if city { t(DashMsg::CityWhole).into_any() } else { c.name.into_any() }}
            </button>
        }
    };
    view! {
        <div class="screen-tabs city-scope" id="city-scope" role="group" aria-label=t(DashMsg::CityScope)>
            {move || columns.get().into_iter().map(button).collect_view()}
        </div>
    }
}
