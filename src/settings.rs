//! Small per-tablet settings (server address, office name, language), kept
//! in the browser's local storage through gloo-storage. Records never go
//! here: they live in Automerge documents in IndexedDB. Nothing here is
//! secret: the tablet's enrolment (its token) is kept only sealed under the
//! data key ([`crate::lock::secrets`]); [`ENROLMENT_KEY`] is where an
//! earlier version kept it in plaintext (sealed and deleted at the next
//! unlock).
//!
//! A server address must be `https://` unless it is this device itself
//! ([`check_server_url`]): the app refuses to send its token or records in
//! clear over a network.
//!
//! Validation is pure ([`SettingsForm::validate`]) so it is unit-tested
//! natively; a rejected form changes nothing that was saved.

use crate::i18n::{Lang, Msg};
use serde::{Deserialize, Serialize};

/// The local-storage key of the settings record.
pub const STORAGE_KEY: &str = "yanzhen.settings.v1";

/// The local-storage key where a version before the sealed secrets kept
/// the tablet's enrolment (token + device info) in plaintext.
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

/// Why a server address is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlProblem {
    /// Not an absolute http(s)/ws(s) address with a host.
    Malformed,
    /// Plain `http://` / `ws://` to a host other than this device: the token
    /// and the records would cross the network unencrypted.
    Insecure,
}

impl UrlProblem {
    /// The message shown next to the field.
    pub const fn msg(self) -> Msg {
        match self {
            UrlProblem::Malformed => Msg::ErrServerUrl,
            UrlProblem::Insecure => Msg::ErrServerUrlInsecure,
        }
    }
}

/// Checks a server address: an absolute `https://` / `wss://` address with
/// a host, or `http://` / `ws://` only to this device itself (`localhost`,
/// `127.0.0.0/8`, `::1`: nothing crosses a network there).
pub fn check_server_url(url: &str) -> Result<(), UrlProblem> {
    let (scheme, host) = url_parts(url).ok_or(UrlProblem::Malformed)?;
    match scheme {
        "https" | "wss" => Ok(()),
        _ if is_loopback(&host) => Ok(()),
        _ => Err(UrlProblem::Insecure),
    }
}

/// Whether `host` (a host name or IP literal, IPv6 without brackets) is
/// this device: `localhost` (and `*.localhost`), `127.0.0.0/8` or `::1`.
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host == "localhost" || host.ends_with(".localhost") {
        return true;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(v4)) => v4.is_loopback(),
        Ok(std::net::IpAddr::V6(v6)) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
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
        } else {
            match check_server_url(url) {
                Ok(()) => Some(url.trim_end_matches('/').to_owned()),
                Err(p) => {
                    errors.server_url = Some(p.msg());
                    None
                }
            }
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

/// The scheme and host of an absolute http(s)/ws(s) URL with a host and
/// no spaces (an IPv6 host without its brackets); `None` otherwise.
fn url_parts(url: &str) -> Option<(&str, String)> {
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme, "http" | "https" | "ws" | "wss") || url.chars().any(char::is_whitespace) {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default(),
    };
    (!host.is_empty()).then(|| (scheme, host.to_owned()))
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
    use super::{Loaded, STORAGE_KEY, Settings};
    use gloo_storage::{LocalStorage as BrowserStorage, Storage, errors::StorageError};

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

    pub fn load() -> Loaded {
        Loaded::Fresh(Settings::default())
    }

    pub fn save(_settings: &Settings) -> Result<(), String> {
        Err("no browser storage outside the browser".to_owned())
    }
}

pub use store::{load, save};

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
    fn accepts_secure_or_local_urls_and_trims_trailing_slash() {
        for url in [
            "http://127.0.0.1:8080/",
            "https://yanzhen.example.cn",
            "ws://[::1]:9000",
            "wss://a.b/sync",
            "http://localhost:3000",
            "http://127.8.9.10",
            "ws://LOCALHOST",
            "https://192.168.1.20:8443",
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
    fn plain_http_to_another_host_is_refused_with_its_own_message() {
        for url in [
            "http://example.org",
            "http://192.168.1.20:8080",
            "ws://yanzhen.example.cn/sync",
            "http://128.0.0.1",
            "http://[::2]:80",
            "http://localhost.example.org",
            "http://127.0.0.1.example.org",
        ] {
            assert_eq!(check_server_url(url), Err(UrlProblem::Insecure), "{url}");
            let e = form(url, "").validate().unwrap_err();
            assert_eq!(e.server_url, Some(Msg::ErrServerUrlInsecure), "{url}");
        }
        assert!(is_loopback("127.0.0.1"));
        assert!(is_loopback("127.255.255.254"));
        assert!(is_loopback("::1"));
        assert!(is_loopback("::ffff:127.0.0.1"));
        assert!(is_loopback("app.localhost"));
        assert!(!is_loopback("10.0.0.1"));
        assert!(!is_loopback("::"));
        assert_eq!(check_server_url("nope"), Err(UrlProblem::Malformed));
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
