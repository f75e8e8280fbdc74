//! Small per-tablet settings (server address, office name, language), kept
//! in the browser's local storage through gloo-storage. Records never go
//! here: they live in Automerge documents in IndexedDB. The tablet's
//! enrolment (its token and what the server said about it,
//! [`crate::access::device::Enrolment`]) is kept beside them under
//! [`ENROLMENT_KEY`] ([`load_enrolment`], [`save_enrolment`]).
//!
//! Validation is pure ([`SettingsForm::validate`]) so it is unit-tested
//! natively; a rejected form changes nothing that was saved.

use crate::i18n::{Lang, Msg};
use serde::{Deserialize, Serialize};

/// The local-storage key of the settings record.
pub const STORAGE_KEY: &str = "yanzhen.settings.v1";

/// The local-storage key of the tablet's enrolment (token + device info).
pub const ENROLMENT_KEY: &str = "yanzhen.enrolment.v1";

/// Longest office name accepted, in characters.
pub const OFFICE_MAX_CHARS: usize = 40;

/// The saved settings of this tablet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Sync server base URL; `None` means the server the page came from.
    pub server_url: Option<String>,
    /// The office (unit) name this tablet belongs to.
    pub office: Option<String>,
    /// The UI language.
    pub lang: Lang,
}

/// Settings as typed into the form, before validation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SettingsForm {
    pub server_url: String,
    pub office: String,
    pub lang: Lang,
}

/// What is wrong with a form, one entry per offending field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormErrors {
    pub server_url: Option<Msg>,
    pub office: Option<Msg>,
}

impl FormErrors {
    pub fn is_empty(&self) -> bool {
        self.server_url.is_none() && self.office.is_none()
    }
}

impl SettingsForm {
    /// The form pre-filled from saved settings.
    pub fn from_settings(s: &Settings) -> Self {
        SettingsForm {
            server_url: s.server_url.clone().unwrap_or_default(),
            office: s.office.clone().unwrap_or_default(),
            lang: s.lang,
        }
    }

    /// Validates the form: the settings to save, or every field's error.
    pub fn validate(&self) -> Result<Settings, FormErrors> {
        let mut errors = FormErrors::default();
        let url = self.server_url.trim();
        let server_url = if url.is_empty() {
            None
        } else if is_server_url(url) {
            Some(url.trim_end_matches('/').to_owned())
        } else {
            errors.server_url = Some(Msg::ErrServerUrl);
            None
        };
        let office = self.office.trim();
        if office.chars().count() > OFFICE_MAX_CHARS {
            errors.office = Some(Msg::ErrOfficeTooLong);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Settings {
            server_url,
            office: (!office.is_empty()).then(|| office.to_owned()),
            lang: self.lang,
        })
    }
}

/// Whether `url` is an absolute http(s)/ws(s) URL with a host and no spaces.
fn is_server_url(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    if !matches!(scheme, "http" | "https" | "ws" | "wss") || url.chars().any(char::is_whitespace) {
        return false;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default(),
    };
    !host.is_empty()
}

/// Saved settings, or why they could not be read.
pub enum Loaded {
    /// Nothing saved yet: defaults.
    Fresh(Settings),
    /// The saved settings.
    Saved(Settings),
    /// Something was saved but cannot be read: defaults, and a message.
    Unreadable(Settings),
}

#[cfg(target_arch = "wasm32")]
mod store {
    use super::{ENROLMENT_KEY, Loaded, STORAGE_KEY, Settings};
    use crate::access::device::Enrolment;
    use gloo_storage::{LocalStorage as BrowserStorage, Storage, errors::StorageError};

    /// The saved enrolment, if any (an unreadable one counts as none).
    pub fn load_enrolment() -> Option<Enrolment> {
        BrowserStorage::get::<Enrolment>(ENROLMENT_KEY).ok()
    }

    /// Saves the enrolment (replacing an earlier one).
    pub fn save_enrolment(e: &Enrolment) -> Result<(), String> {
        BrowserStorage::set(ENROLMENT_KEY, e).map_err(|e| e.to_string())
    }

    pub fn load() -> Loaded {
        match BrowserStorage::get::<Settings>(STORAGE_KEY) {
            Ok(s) => Loaded::Saved(s),
            Err(StorageError::KeyNotFound(_)) => Loaded::Fresh(Settings::default()),
            Err(_) => Loaded::Unreadable(Settings::default()),
        }
    }

    pub fn save(settings: &Settings) -> Result<(), String> {
        BrowserStorage::set(STORAGE_KEY, settings).map_err(|e| e.to_string())
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod store {
    //! Native builds (unit tests, clippy) have no browser storage.
    use super::{Loaded, Settings};
    use crate::access::device::Enrolment;

    pub fn load_enrolment() -> Option<Enrolment> {
        None
    }

    pub fn save_enrolment(_e: &Enrolment) -> Result<(), String> {
        Err("no browser storage outside the browser".to_owned())
    }

    pub fn load() -> Loaded {
        Loaded::Fresh(Settings::default())
    }

    pub fn save(_settings: &Settings) -> Result<(), String> {
        Err("no browser storage outside the browser".to_owned())
    }
}

pub use store::{load, load_enrolment, save, save_enrolment};

#[cfg(test)]
mod tests {
    use super::*;

    fn form(url: &str, office: &str) -> SettingsForm {
        SettingsForm {
            server_url: url.into(),
            office: office.into(),
            lang: Lang::ZhCn,
        }
    }

    #[test]
    fn empty_form_means_same_origin_and_no_office() {
        let s = form("  ", "").validate().unwrap();
        assert_eq!(s, Settings::default());
    }

    #[test]
    fn accepts_http_and_ws_urls_and_trims_trailing_slash() {
        for url in [
            "http://127.0.0.1:8080/",
            "https://yanzhen.example.cn",
            "ws://[::1]:9000",
            "wss://a.b/sync",
        ] {
            let s = form(url, "")
                .validate()
                .unwrap_or_else(|e| panic!("{url}: {e:?}"));
            assert_eq!(s.server_url.as_deref(), Some(url.trim_end_matches('/')));
        }
    }

    #[test]
    fn rejects_bad_urls_with_a_message() {
        for url in [
            "example.cn",
            "ftp://x",
            "http://",
            "http:// spaced.cn",
            "https://:80",
        ] {
            let e = form(url, "").validate().unwrap_err();
            assert_eq!(e.server_url, Some(Msg::ErrServerUrl), "{url}");
        }
    }

    #[test]
    fn office_length_is_counted_in_characters() {
        let ok: String = "村".repeat(OFFICE_MAX_CHARS);
        assert_eq!(
            form("", &ok).validate().unwrap().office.as_deref(),
            Some(ok.as_str())
        );
        let long: String = "村".repeat(OFFICE_MAX_CHARS + 1);
        assert_eq!(
            form("", &long).validate().unwrap_err().office,
            Some(Msg::ErrOfficeTooLong)
        );
    }

    #[test]
    fn every_field_error_is_reported_at_once() {
        let e = form("nope", &"x".repeat(41)).validate().unwrap_err();
        assert!(e.server_url.is_some() && e.office.is_some());
    }

    #[test]
    fn settings_round_trip_through_json_with_language_tags() {
        let s = Settings {
            server_url: Some("https://a.cn".into()),
            office: Some("东风村".into()),
            lang: Lang::En,
        };
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.contains("\"en\""));
        assert_eq!(serde_json::from_str::<Settings>(&json).unwrap(), s);
        assert_eq!(SettingsForm::from_settings(&s).validate().unwrap(), s);
    }
}
