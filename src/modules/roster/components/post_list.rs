//! The posts a person holds or held (职务, 任职/离任时间, 产生方式, 一肩挑)
//! and a form to add one. The form collects choices and dates; the page
//! converts ([`crate::data::person_form::PostForm::to_post`]) and writes.

use leptos::prelude::*;
use yanzhen_model::entities::{HowObtained, Post, PostTitle};

use crate::data::person_form::{FieldErrors, PostForm};
use crate::data::save::SaveState;
use crate::i18n::labels;
use crate::i18n::{Msg, t};
use crate::ui::empty_note::EmptyNote;
use crate::ui::field_error::FieldError;

#[component]
pub fn PostList(
    posts: Signal<Vec<Post>>,
    errors: RwSignal<FieldErrors>,
    state: Signal<SaveState>,
    on_add: Callback<PostForm>,
) -> impl IntoView {
    let title = RwSignal::new(PostTitle::CommitteeMember);
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let how = RwSignal::new(HowObtained::Election);
    let concurrent = RwSignal::new(false);
    let open = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_add.run(PostForm {
            title: title.get_untracked(),
            start: start.get_untracked(),
            end: end.get_untracked(),
            how_obtained: how.get_untracked(),
            concurrent_director: concurrent.get_untracked(),
        });
    };
    view! {
        <section class="card" id="person-posts">
            <h2>{t(Msg::PostsTitle)}</h2>
            <Show
                when=move || !posts.with(Vec::is_empty)
                fallback=|| view! { <EmptyNote msg=Msg::PostNone small=true/> }
            >
                <table class="plain-table">
                    <thead>
                        <tr>
                            <th>{t(Msg::PostTitleLabel)}</th>
                            <th>{t(Msg::PostStart)}</th>
                            <th>{t(Msg::PostEnd)}</th>
                            <th>{t(Msg::PostHow)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || posts.get().into_iter().map(|p| view! {
                            <tr class="post-row" data-post=p.id.as_str().to_owned()>
                                <td>
                                    {t(labels::post_title(p.title))}
                                    {p.concurrent_director.then(|| view! { <br/><small>{t(Msg::PostConcurrent)}</small> })}
                                </td>
                                <td>{p.start.to_string()}</td>
                                <td>
                                    {match p.end {
                                        Some(d) => d.to_string().into_any(),
                                        None => t(Msg::PostCurrent).into_any(),
                                    }}
                                </td>
                                <td>{t(labels::how_obtained(p.how_obtained))}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </Show>
            <Show
                when=move || open.get()
                fallback=move || view! {
                    <button type="button" class="button" id="post-add-open" on:click=move |_| open.set(true)>
                        {t(Msg::PostAdd)}
                    </button>
                }
            >
                <form class="form field-grid post-form" id="post-form" on:submit=submit novalidate=true>
                    <div class="field">
                        <label for="post-title">{t(Msg::PostTitleLabel)}</label>
                        <select id="post-title" on:change=move |ev| {
                            if let Some(v) = event_target_value(&ev).parse::<usize>().ok().and_then(|i| PostTitle::ALL.get(i)) {
                                title.set(*v);
                            }
                        }>
                            {PostTitle::ALL.iter().enumerate().map(|(i, v)| {
                                let v = *v;
                                view! { <option value=i.to_string() selected=move || title.get() == v>{t(labels::post_title(v))}</option> }
                            }).collect_view()}
                        </select>
                        <FieldError id="post-title" field="title" errors=errors/>
                    </div>
                    <div class="field">
                        <label for="post-start">{t(Msg::PostStart)}</label>
                        <input type="date" id="post-start" bind:value=start class:invalid=move || errors.with(|e| e.get("start").is_some())/>
                        <FieldError id="post-start" field="start" errors=errors/>
                    </div>
                    <div class="field">
                        <label for="post-end">{t(Msg::PostEnd)}</label>
                        <input type="date" id="post-end" bind:value=end class:invalid=move || errors.with(|e| e.get("end").is_some())/>
                        <FieldError id="post-end" field="end" errors=errors/>
                    </div>
                    <div class="field">
                        <label for="post-how">{t(Msg::PostHow)}</label>
                        <select id="post-how" on:change=move |ev| {
                            if let Some(v) = event_target_value(&ev).parse::<usize>().ok().and_then(|i| HowObtained::ALL.get(i)) {
                                how.set(*v);
                            }
                        }>
                            {HowObtained::ALL.iter().enumerate().map(|(i, v)| {
                                let v = *v;
                                view! { <option value=i.to_string() selected=move || how.get() == v>{t(labels::how_obtained(v))}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <label class="choice field-wide">
                        <input type="checkbox" id="post-concurrent" bind:checked=concurrent/>
                        {t(Msg::PostConcurrent)}
                    </label>
                    <FieldError id="post-concurrent" field="concurrent_director" errors=errors/>
                    <div class="form-actions field-wide">
                        <button type="submit" class="button primary" id="post-save">{t(Msg::PostSaveNew)}</button>
                        {move || match state.get() {
                            SaveState::Saving => Some(view! { <span class="saving" id="post-save-state" role="status">{t(Msg::PersonSaving)}</span> }.into_any()),
                            SaveState::Saved => Some(view! { <span class="saved" id="post-save-state" role="status">{t(Msg::PersonSavedLocal)}</span> }.into_any()),
                            SaveState::Failed => Some(view! { <span class="field-error" id="post-save-state" role="alert">{t(Msg::PersonWriteFailed)}</span> }.into_any()),
                            _ => None,
                        }}
                    </div>
                </form>
            </Show>
        </section>
    }
}
