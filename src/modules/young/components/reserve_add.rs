//! The new selection record of a unit's reserve cadre: name, sex, birth
//! date, ID number, selected on, mentor (a two-committee member of the
//! unit), and where its save stands; on a tablet that may only read the
//! unit's document, why not.

use leptos::prelude::*;
use yanzhen_model::Id;
use yanzhen_model::entities::Sex;

use crate::data::save::SaveState;
use crate::i18n::{labels, t};
use crate::modules::young::components::field::YoungField;
use crate::modules::young::components::locked::YoungLocked;
use crate::modules::young::form::YErrors;
use crate::modules::young::messages::{SAVE_WORDS, YoungMsg};
use crate::ui::id_pick_field::IdPickField;
use crate::ui::opt_choice_field::OptChoiceField;
use crate::ui::save_actions::SaveActions;

/// The form's fields.
#[derive(Clone, Copy)]
pub struct ReserveFields {
    pub name: RwSignal<String>,
    pub sex: RwSignal<Option<Sex>>,
    pub birth: RwSignal<String>,
    pub id_number: RwSignal<String>,
    pub selected: RwSignal<String>,
    pub mentor: RwSignal<Option<Id>>,
}

#[component]
pub fn ReserveAdd(
    fields: ReserveFields,
    /// The unit's two-committee members (who may mentor).
    #[prop(into)]
    mentors: Signal<Vec<(Id, String)>>,
    errors: RwSignal<YErrors>,
    state: RwSignal<SaveState>,
    #[prop(into)] can_write: Signal<bool>,
    /// Saves the new record.
    #[prop(into)]
    on_save: Callback<()>,
) -> impl IntoView {
    let locked = Signal::derive(move || !can_write.get());
    view! {
        <section class="card young-add" id="reserve-add">
            <h2>{t(YoungMsg::AddReserveTitle)}</h2>
            <Show
                when=move || can_write.get()
                fallback=|| view! { <YoungLocked id="reserve-locked" reason=YoungMsg::LockedUnit/> }
            >
                <div class="form">
                    <div class="field-grid">
                        <YoungField id="reserve-name" label=YoungMsg::FieldName field="name" value=fields.name errors=errors disabled=locked/>
                        <OptChoiceField id="reserve-sex" label=YoungMsg::FieldSex all=Sex::ALL value=fields.sex name=labels::sex errors=errors field="sex"/>
                        <YoungField id="reserve-birth_date" label=YoungMsg::FieldBirth field="birth_date" value=fields.birth errors=errors date=true/>
                        <YoungField id="reserve-id_number" label=YoungMsg::FieldIdNumber field="id_number" value=fields.id_number errors=errors/>
                        <YoungField id="reserve-selected" label=YoungMsg::FieldSelected field="selected" value=fields.selected errors=errors date=true/>
                        <IdPickField id="reserve-mentor" label=YoungMsg::FieldMentor none=YoungMsg::MentorNone options=mentors value=fields.mentor errors=errors/>
                    </div>
                    <SaveActions button_id="reserve-save" label=YoungMsg::SaveReserve on_click=on_save state_id="reserve-save-state" state=state words=SAVE_WORDS/>
                </div>
            </Show>
        </section>
    }
}
