//! The server's access-control HTTP API, called from the browser:
//! `POST /api/enrol`, `GET /api/me`, `POST /api/attest`, `POST /api/relay` (a
//! carried file), and the admin calls
//! (`/api/admin/codes`, `/api/admin/devices`, `…/revoke`). Bodies and
//! answers are built and parsed by [`crate::access::device`]; this module
//! only moves them. The device token goes in `Authorization: Bearer` and is
//! never logged or put in an error text.
//!
//! **Only over a secure channel:** every call first checks the address with
//! [`crate::settings::check_server_url`] — `https://`, or plain `http://`
//! only to this device itself — and refuses anything else
//! ([`ApiError::Insecure`]) before a byte (or the token) is sent.

use crate::access::device::{DeviceEntry, Enrolment, IssuedCode, MeAnswer};
use crate::access::messages::access_text_or_generic;
use crate::access::role::Role;
use crate::i18n::{Lang, Msg};

/// The HTTP base of the configured server (or the page's origin).
pub fn base_url(settings: &crate::settings::Settings) -> String {
    let configured = settings.server_url.clone().unwrap_or_else(|| {
        #[cfg(target_arch = "wasm32")]
        {
            web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_default()
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            String::new()
        }
    });
    super::ws::http_base(&configured)
}

/// Why a call failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// The server answered with an error key (`access.*`, `server.error`).
    Refused { status: u16, key: String },
    /// The server could not be reached, or answered something unreadable.
    Network(String),
    /// The address is plain `http://` to another host: nothing was sent.
    Insecure,
}

impl ApiError {
    /// The error in plain words.
    pub fn text(&self, lang: Lang) -> &'static str {
        match self {
            ApiError::Refused { key, .. } => access_text_or_generic(key, lang),
            ApiError::Network(_) => Msg::EnrolNetworkError.text(lang),
            ApiError::Insecure => Msg::ErrServerUrlInsecure.text(lang),
        }
    }

    /// The server's key, if it gave one.
    pub fn key(&self) -> Option<&str> {
        match self {
            ApiError::Refused { key, .. } => Some(key),
            ApiError::Network(_) => None,
            ApiError::Insecure => Some("insecure"),
        }
    }
}

/// `POST /api/enrol` with a normalised code.
pub async fn enrol(base: &str, code: &str, device_name: &str) -> Result<Enrolment, ApiError> {
    let body = crate::access::device::enrol_body(code, device_name);
    let text = call("POST", &format!("{base}/api/enrol"), None, Some(body)).await?;
    crate::access::device::parse_enrolment(&text).map_err(ApiError::Network)
}

/// `GET /api/me`: the device info and the district's keys.
pub async fn me(base: &str, token: &str) -> Result<MeAnswer, ApiError> {
    let text = call("GET", &format!("{base}/api/me"), Some(token), None).await?;
    crate::access::device::parse_me(&text).map_err(ApiError::Network)
}

/// `POST /api/attest`: the server's attestations of `docs` (those this
/// device may read), asked in batches the server accepts
/// ([`crate::sync::transfer::attest_bodies`]).
pub async fn attest(
    base: &str,
    token: &str,
    docs: &[yanzhen_sync::DocumentId],
) -> Result<Vec<yanzhen_sync::attest::Attestation>, ApiError> {
    let mut all = Vec::new();
    for body in crate::sync::transfer::attest_bodies(docs) {
        let text = call(
            "POST",
            &format!("{base}/api/attest"),
            Some(token),
            Some(body),
        )
        .await?;
        all.extend(crate::sync::transfer::parse_attestations(&text).map_err(ApiError::Network)?);
    }
    Ok(all)
}

/// `POST /api/admin/codes`.
pub async fn issue_code(
    base: &str,
    token: &str,
    role: Role,
    unit_id: Option<&str>,
    expires_hours: u32,
) -> Result<IssuedCode, ApiError> {
    let body = crate::access::device::code_body(role, unit_id, expires_hours);
    let text = call(
        "POST",
        &format!("{base}/api/admin/codes"),
        Some(token),
        Some(body),
    )
    .await?;
    crate::access::device::parse_issued(&text).map_err(ApiError::Network)
}

/// `GET /api/admin/devices`, newest first.
pub async fn devices(base: &str, token: &str) -> Result<Vec<DeviceEntry>, ApiError> {
    let text = call(
        "GET",
        &format!("{base}/api/admin/devices"),
        Some(token),
        None,
    )
    .await?;
    crate::access::device::parse_devices(&text).map_err(ApiError::Network)
}

/// `POST /api/admin/devices/{id}/revoke`.
pub async fn revoke(base: &str, token: &str, device_id: &str) -> Result<(), ApiError> {
    let url = format!("{base}/api/admin/devices/{}/revoke", encode(device_id));
    call("POST", &url, Some(token), None).await.map(|_| ())
}

fn encode(s: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::encode_uri_component(s))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        s.to_owned()
    }
}

/// One JSON call over a secure channel (see the module docs): the body
/// text of a 2xx answer, or the error. Also the city admin's district
/// calls' (`modules::admin::district_api`).
pub(crate) async fn call(
    method: &str,
    url: &str,
    token: Option<&str>,
    body: Option<String>,
) -> Result<String, ApiError> {
    if crate::settings::check_server_url(url).is_err() {
        return Err(ApiError::Insecure);
    }
    send(method, url, token, body.map(Body::Json)).await
}

/// What a call sends (read only by the browser's `send`).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
enum Body {
    /// JSON text.
    Json(String),
    /// Raw bytes (`application/octet-stream`).
    Bytes(Vec<u8>),
}

/// `POST /api/relay` with a sealed file this tablet carries: the server
/// replays the edits its makers vouched for, as theirs. The answer lists
/// one result per vouch (`"relayed"` or a `relay.*` key).
pub async fn relay(base: &str, token: &str, file: Vec<u8>) -> Result<String, ApiError> {
    let url = format!("{base}/api/relay");
    if crate::settings::check_server_url(&url).is_err() {
        return Err(ApiError::Insecure);
    }
    send("POST", &url, Some(token), Some(Body::Bytes(file))).await
}

/// One JSON call: the body text of a 2xx answer, or the error.
#[cfg(target_arch = "wasm32")]
async fn send(
    method: &str,
    url: &str,
    token: Option<&str>,
    body: Option<Body>,
) -> Result<String, ApiError> {
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    let net = |e: JsValue| {
        ApiError::Network(format!(
            "{method} {url}: {}",
            crate::sync::js_error_text(&e)
        ))
    };
    let window = web_sys::window().ok_or_else(|| ApiError::Network("no window".into()))?;
    let headers = web_sys::Headers::new().map_err(net)?;
    headers.set("Accept", "application/json").map_err(net)?;
    if let Some(t) = token {
        headers
            .set("Authorization", &format!("Bearer {t}"))
            .map_err(|_| ApiError::Network("authorization header".into()))?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_cache(web_sys::RequestCache::NoStore);
    match body {
        Some(Body::Json(b)) => {
            headers
                .set("Content-Type", "application/json")
                .map_err(net)?;
            init.set_body(&JsValue::from_str(&b));
        }
        Some(Body::Bytes(b)) => {
            headers
                .set("Content-Type", "application/octet-stream")
                .map_err(net)?;
            init.set_body(&js_sys::Uint8Array::from(b.as_slice()).into());
        }
        None => {}
    }
    init.set_headers(&headers);
    let req = web_sys::Request::new_with_str_and_init(url, &init).map_err(net)?;
    let resp = JsFuture::from(window.fetch_with_request(&req))
        .await
        .map_err(net)?;
    let resp: web_sys::Response = resp.dyn_into().map_err(net)?;
    let text = JsFuture::from(resp.text().map_err(net)?)
        .await
        .map_err(net)?
        .as_string()
        .unwrap_or_default();
    if resp.ok() {
        return Ok(text);
    }
    match crate::access::device::error_key(&text) {
        Some(key) => Err(ApiError::Refused {
            status: resp.status(),
            key,
        }),
        None => Err(ApiError::Network(format!(
            "{method} {url}: HTTP {}",
            resp.status()
        ))),
    }
}

#[cfg(not(target_arch = "wasm32"))]
async fn send(
    method: &str,
    url: &str,
    _token: Option<&str>,
    _body: Option<Body>,
) -> Result<String, ApiError> {
    Err(ApiError::Network(format!(
        "{method} {url}: no browser outside the browser"
    )))
}
