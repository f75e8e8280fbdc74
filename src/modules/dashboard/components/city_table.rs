//! The city table: one row per reference figure (the district dashboard's
//! labels), one column per district and one for the whole city. Each cell
//! carries its column and figure (`data-district`, `data-figure`,
//! `data-value`). Wide tables scroll sideways on a tablet.

use leptos::prelude::*;

use crate::i18n::t;
use crate::modules::dashboard::city::{CityColumn, CityTable};
use crate::modules::dashboard::messages::DashMsg;

#[component]
pub fn CityFiguresTable(#[prop(into)] table: Signal<CityTable>) -> impl IntoView {
    let head = move |c: CityColumn| {
        let key = c.key();
        let city = c.district.is_none();
        view! {
            <th scope="col" data-district=key class:city-whole=city>
                {if city { t(DashMsg::CityWhole).into_any() } else { c.name.into_any() }}
            </th>
        }
    };
    view! {
        <div class="table-scroll">
            <table class="city-table" id="city-table">
                <thead>
                    <tr>
                        <th scope="col">{t(DashMsg::CityFigure)}</th>
                        {move || table.with(|tb| tb.columns.clone()).into_iter().map(head).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {move || table.with(|tb| {
                        let keys: Vec<String> = tb.columns.iter().map(CityColumn::key).collect();
                        tb.rows.iter().map(|r| {
                            let cells = keys.iter().zip(&r.values).map(|(k, v)| view! {
                                <td data-district=k.clone() data-figure=r.key data-value=v.clone()>
                                    {v.clone()}{r.suffix}
                                    {r.unit.map(|u| view! { <small>{t(u)}</small> })}
                                </td>
                            }).collect_view();
                            view! {
                                <tr data-figure=r.key>
                                    <th scope="row">{t(r.label)}</th>
                                    {cells}
                                </tr>
                            }
                        }).collect_view()
                    })}
                </tbody>
            </table>
        </div>
    }
}
