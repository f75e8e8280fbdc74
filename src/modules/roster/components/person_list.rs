//! The roster's list: one large touchable row per person (name, sex, date
//! of birth, current posts, group and status) linking to the person's file.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::labels;
use crate::i18n::{Msg, t};
use crate::modules::roster::search::RosterRow;
use crate::routes::PersonRoute;

#[component]
pub fn PersonList(rows: Signal<Vec<RosterRow>>, unit: Signal<String>) -> impl IntoView {
    view! {
        <ul class="person-list" id="person-list">
            {move || {
                rows.get().into_iter().map(|row| {
                    let pid = row.id.as_str().to_owned();
                    let href = {
                        let pid = pid.clone();
                        move || PersonRoute::File { unit: unit.get(), person: pid.clone() }.path()
                    };
                    let posts = if row.posts.is_empty() {
                        vec![view! { <span class="post-chip none">{t(Msg::RosterNoPost)}</span> }]
                    } else {
                        row.posts
                            .iter()
                            .map(|p| view! { <span class="post-chip">{t(labels::post_title(p.title))}</span> })
                            .collect()
                    };
                    view! {
                        <li>
                            <A href=href attr:class="person-row" attr:data-person=pid>
                                <span class="person-name">{row.name.clone()}</span>
                                <span class="person-meta">
                                    <span>{t(labels::sex(row.person.sex))}</span>
                                    <span>{row.person.birth_date.to_string()}</span>
                                </span>
                                <span class="person-posts">{posts}</span>
                                <span class="person-meta person-group">
                                    <span>{t(labels::category(row.category()))}</span>
                                    <span>{t(labels::status(row.person.status))}</span>
                                </span>
                            </A>
                        </li>
                    }
                }).collect_view()
            }}
        </ul>
    }
}
