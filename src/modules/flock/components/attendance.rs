//! Attendance by tapping: one big button per two-committee member of the
//! unit (aria-pressed when present); one tap marks or unmarks and the page
//! saves at once. Disabled, with the reason, when this tablet may not
//! change the unit's document.

use leptos::prelude::*;
use yanzhen_model::Id;

use crate::i18n::t;
use crate::modules::flock::messages::FlockMsg;
use crate::modules::flock::rows::AttendRow;
use crate::ui::empty_note::EmptyNote;

#[component]
pub fn FlockAttendance(
    rows: Signal<Vec<AttendRow>>,
    enabled: Signal<bool>,
    on_tap: Callback<Id>,
) -> impl IntoView {
    view! {
        <div class="flock-attendance" id="flock-attendance">
            <Show when=move || !enabled.get()>
                <p class="notice notice-info" id="flock-attend-readonly">{t(FlockMsg::ReadOnlyUnit)}</p>
            </Show>
            <Show
                when=move || !rows.with(Vec::is_empty)
                fallback=|| view! { <EmptyNote msg=FlockMsg::AttendanceNoMembers small=true/> }
            >
                <p class="hint">{t(FlockMsg::AttendanceHint)}</p>
                <div class="flock-attend-grid">
                    <For each=move || rows.get() key=|r| (r.person.clone(), r.marked) let:r>
                        {
                            let id = r.person.clone();
                            view! {
                                <button
                                    type="button"
                                    class="flock-attend"
                                    class:present=r.marked
                                    aria-pressed=r.marked.to_string()
                                    data-person=id.as_str().to_owned()
                                    disabled=move || !enabled.get()
                                    on:click=move |_| on_tap.run(id.clone())
                                >
                                    <span class="flock-attend-name">{r.name.clone()}</span>
                                    <span class="flock-attend-state">
                                        {if r.marked { t(FlockMsg::Present) } else { t(FlockMsg::Absent) }}
                                    </span>
                                </button>
                            }
                        }
                    </For>
                </div>
            </Show>
        </div>
    }
}
