//! The person file's form (一人一档): every field of the model's `Person`
//! in sections (details, education, work, résumé rows, rewards and
//! penalties), the ID number masked until revealed, a message next to each
//! refused field, and the save button with where the save stands. The form
//! only collects text and choices; the page converts and writes
//! ([`crate::data::person_form::PersonForm::to_person`]).

use leptos::prelude::*;
use yanzhen_model::entities::{EducationLevel, PersonCategory, PersonStatus, PoliticalStatus, Sex};

use crate::data::person_form::{EduForm, FieldErrors, PersonForm, ResumeForm, RewardForm};
use crate::data::save::SaveState;
use crate::i18n::labels;
use crate::i18n::{Msg, t};
use crate::modules::roster::components::id_number_field::IdNumberField;
use crate::ui::choice_field::ChoiceField;
use crate::ui::field_error::FieldError;
use crate::ui::text_field::TextField;

fn dom_id(field: &str) -> String {
    format!("person-{}", field.replace('.', "-"))
}

fn text_field(
    field: &'static str,
    label: Msg,
    sig: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
    kind: &'static str,
) -> impl IntoView {
    view! { <TextField id=dom_id(field) label=label field=field value=sig errors=errors kind=kind/> }
}

fn choice<T: Copy + PartialEq + Send + Sync + 'static>(
    field: &'static str,
    label: Msg,
    all: &'static [T],
    sig: RwSignal<T>,
    name: fn(T) -> Msg,
) -> impl IntoView {
    view! { <ChoiceField id=dom_id(field) label=label all=all value=sig name=name/> }
}

/// The signals of one education entry.
#[derive(Clone, Copy)]
struct EduSig {
    level: RwSignal<Option<EducationLevel>>,
    degree: RwSignal<String>,
    school: RwSignal<String>,
    major: RwSignal<String>,
}

impl EduSig {
    fn new(e: EduForm) -> Self {
        EduSig {
            level: RwSignal::new(e.level),
            degree: RwSignal::new(e.degree),
            school: RwSignal::new(e.school),
            major: RwSignal::new(e.major),
        }
    }
    fn get(self) -> EduForm {
        EduForm {
            level: self.level.get_untracked(),
            degree: self.degree.get_untracked(),
            school: self.school.get_untracked(),
            major: self.major.get_untracked(),
        }
    }
}

fn education(
    prefix: &'static str,
    fields: [&'static str; 4],
    title: Msg,
    e: EduSig,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let level_id = dom_id(fields[0]);
    view! {
        <fieldset class="edu" id=dom_id(prefix)>
            <legend>{t(title)}</legend>
            <div class="field">
                <label for=level_id.clone()>{t(Msg::EduLevel)}</label>
                <select
                    id=level_id
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        e.level.set(v.parse::<usize>().ok().and_then(|i| EducationLevel::ALL.get(i).copied()));
                    }
                >
                    <option value="" selected=move || e.level.get().is_none()>{t(Msg::EduNone)}</option>
                    {EducationLevel::ALL
                        .iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let v = *v;
                            view! {
                                <option value=i.to_string() selected=move || e.level.get() == Some(v)>
                                    {t(labels::education(v))}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            {text_field(fields[1], Msg::EduDegree, e.degree, errors, "text")}
            {text_field(fields[2], Msg::EduSchool, e.school, errors, "text")}
            {text_field(fields[3], Msg::EduMajor, e.major, errors, "text")}
        </fieldset>
    }
}

#[derive(Clone, Copy)]
struct ResumeSig {
    key: usize,
    from: RwSignal<String>,
    to: RwSignal<String>,
    text: RwSignal<String>,
}

#[derive(Clone, Copy)]
struct RewardSig {
    key: usize,
    date: RwSignal<String>,
    is_reward: RwSignal<bool>,
    text: RwSignal<String>,
}

#[component]
pub fn PersonForm(
    initial: PersonForm,
    /// A new person: the ID number starts revealed.
    is_new: bool,
    /// The units a person may live in: (id, name).
    residences: Signal<Vec<(String, String)>>,
    errors: RwSignal<FieldErrors>,
    state: Signal<SaveState>,
    on_save: Callback<PersonForm>,
) -> impl IntoView {
    let f = initial;
    let name = RwSignal::new(f.name);
    let sex = RwSignal::new(f.sex);
    let ethnicity = RwSignal::new(f.ethnicity);
    let birth_date = RwSignal::new(f.birth_date);
    let native_place = RwSignal::new(f.native_place);
    let id_number = RwSignal::new(f.id_number);
    let revealed = RwSignal::new(is_new);
    let political = RwSignal::new(f.political_status);
    let party_join = RwSignal::new(f.party_join_date);
    let work_start = RwSignal::new(f.work_start_date);
    let edu_full = EduSig::new(f.education_full_time);
    let edu_in = EduSig::new(f.education_in_service);
    let prof_title = RwSignal::new(f.professional_title);
    let phone = RwSignal::new(f.phone);
    let residence = RwSignal::new(f.residence_unit);
    let category = RwSignal::new(f.category);
    let status = RwSignal::new(f.status);
    let next_key = StoredValue::new(0usize);
    let key = move || {
        let k = next_key.get_value();
        next_key.set_value(k + 1);
        k
    };
    let resume = RwSignal::new(
        f.resume
            .into_iter()
            .map(|r| ResumeSig {
                key: key(),
                from: RwSignal::new(r.from),
                to: RwSignal::new(r.to),
                text: RwSignal::new(r.text),
            })
            .collect::<Vec<_>>(),
    );
    let rewards = RwSignal::new(
        f.rewards
            .into_iter()
            .map(|r| RewardSig {
                key: key(),
                date: RwSignal::new(r.date),
                is_reward: RwSignal::new(r.is_reward),
                text: RwSignal::new(r.text),
            })
            .collect::<Vec<_>>(),
    );

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = PersonForm {
            name: name.get_untracked(),
            sex: sex.get_untracked(),
            ethnicity: ethnicity.get_untracked(),
            birth_date: birth_date.get_untracked(),
            native_place: native_place.get_untracked(),
            id_number: id_number.get_untracked(),
            political_status: political.get_untracked(),
            party_join_date: party_join.get_untracked(),
            work_start_date: work_start.get_untracked(),
            education_full_time: edu_full.get(),
            education_in_service: edu_in.get(),
            professional_title: prof_title.get_untracked(),
            phone: phone.get_untracked(),
            residence_unit: residence.get_untracked(),
            category: category.get_untracked(),
            status: status.get_untracked(),
            resume: resume.with_untracked(|rows| {
                rows.iter()
                    .map(|r| ResumeForm {
                        from: r.from.get_untracked(),
                        to: r.to.get_untracked(),
                        text: r.text.get_untracked(),
                    })
                    .collect()
            }),
            rewards: rewards.with_untracked(|rows| {
                rows.iter()
                    .map(|r| RewardForm {
                        date: r.date.get_untracked(),
                        is_reward: r.is_reward.get_untracked(),
                        text: r.text.get_untracked(),
                    })
                    .collect()
            }),
        };
        on_save.run(form);
    };

    let residence_select = move || {
        let current = residence.get();
        residences
            .get()
            .into_iter()
            .map(|(id, name)| {
                let selected = id == current;
                view! { <option value=id selected=selected>{name}</option> }
            })
            .collect_view()
    };

    view! {
        <form class="card form person-form" id="person-form" on:submit=submit novalidate=true>
            <h2>{t(Msg::PersonBasics)}</h2>
            <div class="field-grid">
                {text_field("name", Msg::FieldName, name, errors, "text")}
                {choice("sex", Msg::FieldSex, Sex::ALL, sex, labels::sex)}
                {text_field("ethnicity", Msg::FieldEthnicity, ethnicity, errors, "text")}
                {text_field("birth_date", Msg::FieldBirthDate, birth_date, errors, "date")}
                {text_field("native_place", Msg::FieldNativePlace, native_place, errors, "text")}
                <IdNumberField value=id_number revealed=revealed errors=errors/>
                {choice("political_status", Msg::FieldPolitical, PoliticalStatus::ALL, political, labels::political_status)}
                {text_field("party_join_date", Msg::FieldPartyJoin, party_join, errors, "date")}
                {text_field("phone", Msg::FieldPhone, phone, errors, "tel")}
                <div class="field">
                    <label for="person-residence_unit">{t(Msg::FieldResidence)}</label>
                    <select id="person-residence_unit" on:change=move |ev| residence.set(event_target_value(&ev))>
                        {residence_select}
                    </select>
                    <FieldError id="person-residence_unit" field="residence_unit" errors=errors/>
                </div>
            </div>
            <h2>{t(Msg::PersonEducation)}</h2>
            <div class="field-grid">
                {education(
                    "education_full_time",
                    ["education_full_time.level", "education_full_time.degree", "education_full_time.school", "education_full_time.major"],
                    Msg::FieldEduFullTime,
                    edu_full,
                    errors,
                )}
                {education(
                    "education_in_service",
                    ["education_in_service.level", "education_in_service.degree", "education_in_service.school", "education_in_service.major"],
                    Msg::FieldEduInService,
                    edu_in,
                    errors,
                )}
            </div>
            <h2>{t(Msg::PersonWork)}</h2>
            <div class="field-grid">
                {text_field("work_start_date", Msg::FieldWorkStart, work_start, errors, "date")}
                {text_field("professional_title", Msg::FieldProfTitle, prof_title, errors, "text")}
                {choice("category", Msg::FieldCategory, PersonCategory::ALL, category, labels::category)}
                {choice("status", Msg::FieldStatus, PersonStatus::ALL, status, labels::status)}
            </div>
            <h2>{t(Msg::FieldResume)}</h2>
            <div class="rows" id="person-resume">
                <For each=move || resume.get() key=|r| r.key let:r>
                    <div class="row-edit" data-row=r.key>
                        <div class="field">
                            <label>{t(Msg::ResumeFrom)}</label>
                            <input type="date" class="resume-from" bind:value=r.from/>
                        </div>
                        <div class="field">
                            <label>{t(Msg::ResumeTo)}</label>
                            <input type="date" class="resume-to" bind:value=r.to/>
                        </div>
                        <div class="field field-wide">
                            <label>{t(Msg::ResumeText)}</label>
                            <input type="text" class="resume-text" bind:value=r.text/>
                        </div>
                        <button type="button" class="button" on:click=move |_| resume.update(|v| v.retain(|x| x.key != r.key))>
                            {t(Msg::RowRemove)}
                        </button>
                    </div>
                </For>
                <FieldError id="person-resume" field="resume" errors=errors/>
                <button
                    type="button"
                    class="button"
                    id="person-resume-add"
                    on:click=move |_| {
                        let r = ResumeSig {
                            key: key(),
                            from: RwSignal::new(String::new()),
                            to: RwSignal::new(String::new()),
                            text: RwSignal::new(String::new()),
                        };
                        resume.update(|v| v.push(r));
                    }
                >
                    {t(Msg::ResumeAdd)}
                </button>
            </div>
            <h2>{t(Msg::FieldRewards)}</h2>
            <div class="rows" id="person-rewards">
                <For each=move || rewards.get() key=|r| r.key let:r>
                    <div class="row-edit" data-row=r.key>
                        <div class="field">
                            <label>{t(Msg::RewardDate)}</label>
                            <input type="date" class="reward-date" bind:value=r.date/>
                        </div>
                        <div class="field">
                            <label>{t(Msg::FieldRewards)}</label>
                            <select on:change=move |ev| r.is_reward.set(event_target_value(&ev) == "1")>
                                <option value="1" selected=move || r.is_reward.get()>{t(Msg::RewardIsReward)}</option>
                                <option value="0" selected=move || !r.is_reward.get()>{t(Msg::RewardIsPunishment)}</option>
                            </select>
                        </div>
                        <div class="field field-wide">
                            <label>{t(Msg::RewardText)}</label>
                            <input type="text" class="reward-text" bind:value=r.text/>
                        </div>
                        <button type="button" class="button" on:click=move |_| rewards.update(|v| v.retain(|x| x.key != r.key))>
                            {t(Msg::RowRemove)}
                        </button>
                    </div>
                </For>
                <FieldError id="person-rewards" field="rewards" errors=errors/>
                <button
                    type="button"
                    class="button"
                    id="person-rewards-add"
                    on:click=move |_| {
                        let r = RewardSig {
                            key: key(),
                            date: RwSignal::new(String::new()),
                            is_reward: RwSignal::new(true),
                            text: RwSignal::new(String::new()),
                        };
                        rewards.update(|v| v.push(r));
                    }
                >
                    {t(Msg::RewardAdd)}
                </button>
            </div>
            <div class="form-actions sticky-actions">
                <button type="submit" class="button primary" id="person-save">{t(Msg::PersonSave)}</button>
                {move || match state.get() {
                    SaveState::Idle => None,
                    SaveState::Invalid => Some(view! { <span class="field-error" id="person-save-state" data-state="invalid" role="alert">{t(Msg::PersonFixErrors)}</span> }.into_any()),
                    SaveState::Failed => Some(view! { <span class="field-error" id="person-save-state" data-state="failed" role="alert">{t(Msg::PersonWriteFailed)}</span> }.into_any()),
                    SaveState::Saving => Some(view! { <span class="saving" id="person-save-state" data-state="saving" role="status">{t(Msg::PersonSaving)}</span> }.into_any()),
                    SaveState::Saved => Some(view! { <span class="saved" id="person-save-state" data-state="saved" role="status">{t(Msg::PersonSavedLocal)}</span> }.into_any()),
                }}
            </div>
        </form>
    }
}
