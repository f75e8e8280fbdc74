//! The contact-duty list of one village: each honorary secretary / advisor
//! with where they stand this month (overdue since …, due, contacted) and,
//! when this tablet may write the village's document, one button per
//! contact kind — one tap records today's contact.

use leptos::prelude::*;
use yanzhen_model::Id;
use yanzhen_model::entities::ContactKind;
use yanzhen_model::returning::{Due, DueRow};

use crate::i18n::t;
use crate::modules::returning::labels;
use crate::modules::returning::messages::ReturningMsg as M;

#[component]
pub fn ReturningDueList(
    /// The list's element id.
    id: &'static str,
    rows: Signal<Vec<DueRow>>,
    /// Whether the contact buttons are offered.
    can_log: Signal<bool>,
    on_log: Callback<(Id, ContactKind)>,
) -> impl IntoView {
    view! {
        <ul class="due-list" id=id>
            <For
                each=move || rows.get()
                key=|r| (r.appointment_id.clone(), r.due, r.last_contact)
                let:r
            >
                {
                    let (state, status) = match r.due {
                        Due::Overdue { since, months } => (
                            "overdue",
                            view! {
                                <span class="due-status overdue">
                                    {t(M::DueOverdue)} " " {months} " " {t(M::DueMonths)} " · "
                                    {since.to_string()} " " {t(M::DueOverdueSince)}
                                </span>
                            }.into_any(),
                        ),
                        Due::DueThisMonth => (
                            "due",
                            view! { <span class="due-status due">{t(M::DueThisMonth)}</span> }.into_any(),
                        ),
                        Due::Contacted => (
                            "contacted",
                            view! { <span class="due-status done">{t(M::DueDone)}</span> }.into_any(),
                        ),
                    };
                    let last = match r.last_contact {
                        Some(d) => d.to_string().into_any(),
                        None => t(M::DueNever).into_any(),
                    };
                    let aid = r.appointment_id.clone();
                    let buttons = move || ContactKind::ALL
                        .iter()
                        .map(|k| {
                            let k = *k;
                            let aid = aid.clone();
                            view! {
                                <button
                                    type="button"
                                    class="button contact-log"
                                    data-kind=labels::slug(k)
                                    on:click=move |_| on_log.run((aid.clone(), k))
                                >
                                    {t(labels::contact_kind(k))}
                                </button>
                            }
                        })
                        .collect_view();
                    let actions = move || {
                        can_log
                            .get()
                            .then(|| view! { <span class="due-actions">{buttons()}</span> })
                    };
                    view! {
                        <li class="due-row" data-appointment=r.appointment_id.as_str().to_owned() data-due=state>
                            <span class="due-name">{r.name.clone()}</span>
                            <span class="chip">{t(labels::appointment_kind(r.kind))}</span>
                            {status}
                            <span class="due-last"><span class="label">{t(M::DueLast)}</span>{last}</span>
                            {actions}
                        </li>
                    }
                }
            </For>
        </ul>
    }
}
