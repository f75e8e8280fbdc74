//! Internationalisation: zh-CN first, English second.
//!
//! Every string a person sees is a [`Msg`] variant with both translations in
//! [`messages`] (the macro [`message_table!`] makes each table); components never contain literal UI text. The language lives
//! in an [`I18n`] context (a signal), so switching it re-renders every text
//! in place. See ARCHITECTURE.md for why this is a typed table and not a
//! runtime catalogue crate.

/// Defines a message table: an enum with one variant per text and its
/// zh-CN and English translations, implementing [`Text`]. The shell's table
/// is [`Msg`]; each module's screens have a table of their own (one file
/// each, so modules grow without touching each other's tables).
macro_rules! message_table {
    ($(#[$meta:meta])* $name:ident; $($key:ident => $zh:literal, $en:literal;)*) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($key),* }

        impl $name {
            /// Every message, for completeness tests.
            pub const ALL: &'static [$name] = &[$($name::$key),*];

            /// The text in `lang`.
            pub const fn text(self, lang: $crate::i18n::Lang) -> &'static str {
                match lang {
                    $crate::i18n::Lang::ZhCn => match self { $($name::$key => $zh),* },
                    $crate::i18n::Lang::En => match self { $($name::$key => $en),* },
                }
            }
        }

        impl $crate::i18n::Text for $name {
            fn text(self, lang: $crate::i18n::Lang) -> &'static str {
                $name::text(self, lang)
            }
        }
    };
}
/// [`message_table!`] for the modules' own tables (`modules/*/messages.rs`).
pub(crate) use message_table;

pub mod labels;
mod messages;
mod model_messages;

pub use crate::lock::messages::LockMsg;
pub use messages::Msg;
pub use model_messages::model_text;

/// A translated UI text: a variant of one of the message tables.
pub trait Text: Copy + Send + Sync + 'static {
    /// The text in `lang`.
    fn text(self, lang: Lang) -> &'static str;
}

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
    pub fn t<M: Text>(self, msg: M) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || Text::text(msg, self.lang.get())
    }
}

/// The language context of the running app.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// Shorthand: a reactive text for `msg` from the app's language context.
pub fn t<M: Text>(msg: M) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    use_i18n().t(msg)
}

/// Checks of a message table, for each table's own tests.
#[cfg(test)]
pub(crate) mod check {
    use super::{Lang, Text};

    /// Every text of `all` has both languages, they differ, and the zh-CN
    /// text is Chinese (a cheap guard against pasting English into the
    /// zh-CN column); `not_chinese` lists the variants exempt from the last
    /// rule (the language switch names the other language).
    pub(crate) fn table<M: Text + std::fmt::Debug>(all: &[M], not_chinese: &[&str]) {
        assert!(!all.is_empty(), "an empty table");
        for m in all {
            let (name, zh, en) = (format!("{m:?}"), m.text(Lang::ZhCn), m.text(Lang::En));
            assert!(!zh.trim().is_empty(), "{name} is empty in zh-CN");
            assert!(!en.trim().is_empty(), "{name} is empty in English");
            assert_ne!(zh, en, "{name} is untranslated");
            if !not_chinese.contains(&name.as_str()) {
                assert!(
                    zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{name} has no Chinese text: {zh}"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_table_has_both_languages_in_chinese_first() {
        check::table(Msg::ALL, &["SwitchLanguage"]);
    }

    #[test]
    fn a_table_with_english_in_the_chinese_column_is_caught() {
        let caught = std::panic::catch_unwind(|| check::table(Msg::ALL, &[]));
        assert!(
            caught.is_err(),
            "the language switch's zh-CN text is not Chinese"
        );
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
