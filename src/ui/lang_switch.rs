//! The language switch: one tap toggles zh-CN ⇄ English and remembers it.

use crate::app::use_settings;
use crate::i18n::{Msg, t, use_i18n};
use crate::settings::Settings;
use leptos::prelude::*;

#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let app_settings = use_settings();
    let toggle = move |_| {
        let lang = i18n.lang.get_untracked().other();
        i18n.lang.set(lang);
        // The switch works for this session even if storage fails; the
        // failure is shown by the app's notice.
        let _ = app_settings.save(Settings {
            lang,
            ..app_settings.saved.get_untracked()
        });
    };
    view! {
        <button type="button" class="lang-switch" id="lang-switch" title=t(Msg::SwitchLanguageHint) on:click=toggle>
            {t(Msg::SwitchLanguage)}
        </button>
    }
}
