//! Internationalisation: zh-CN first, English second.
//!
//! Every string a person sees is a [`Msg`] variant with both translations in
//! [`messages`]; components never contain literal UI text. The language lives
//! in an [`I18n`] context (a signal), so switching it re-renders every text
//! in place. See ARCHITECTURE.md for why this is a typed table and not a
//! runtime catalogue crate.

mod access_messages;
mod messages;
mod model_messages;

pub use access_messages::{ACCESS_KEYS, access_text, access_text_or_generic};
pub use messages::Msg;
pub use model_messages::model_text;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A UI language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    /// Simplified Chinese, the default.
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// The BCP 47 tag, for `<html lang>`.
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The other language (the switch toggles between the two).
    pub const fn other(self) -> Lang {
        match self {
            Lang::ZhCn => Lang::En,
            Lang::En => Lang::ZhCn,
        }
    }

    /// Parses a BCP 47 tag as stored in settings.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        match tag {
            "zh-CN" | "zh" => Some(Lang::ZhCn),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// The language context, provided once by the root component.
#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

impl I18n {
    /// A reactive text for `msg` in the current language.
    pub fn t(self, msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || msg.text(self.lang.get())
    }
}

/// The language context of the running app.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// Shorthand: a reactive text for `msg` from the app's language context.
pub fn t(msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    use_i18n().t(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages() {
        for msg in Msg::ALL {
            for lang in [Lang::ZhCn, Lang::En] {
                assert!(
                    !msg.text(lang).trim().is_empty(),
                    "{msg:?} is empty in {lang:?}"
                );
            }
            assert_ne!(
                msg.text(Lang::ZhCn),
                msg.text(Lang::En),
                "{msg:?} is untranslated"
            );
        }
    }

    #[test]
    fn chinese_texts_are_chinese() {
        // A cheap guard against pasting English into the zh-CN column. The
        // language switch is the exception: it names the other language.
        for msg in Msg::ALL.iter().filter(|m| **m != Msg::SwitchLanguage) {
            let zh = msg.text(Lang::ZhCn);
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{msg:?} has no Chinese text: {zh}"
            );
        }
    }

    #[test]
    fn language_tags_round_trip() {
        for lang in [Lang::ZhCn, Lang::En] {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
            assert_eq!(lang.other().other(), lang);
        }
        assert_eq!(Lang::default(), Lang::ZhCn);
        assert_eq!(Lang::from_tag("fr"), None);
    }
}
