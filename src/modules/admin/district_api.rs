//! The city admin's calls: `GET /api/districts`, `POST /api/districts`,
//! `POST /api/districts/{id}/codes`. Bodies and answers are built and
//! parsed by [`crate::access::districts`]; refusals are
//! [`crate::sync::api::ApiError`]s like every other access call.
//!
//! `crate::sync::api` keeps its one JSON call private, so the district
//! calls carry a small one of their own, under the same rules: only over a
//! secure channel ([`crate::settings::check_server_url`], checked before a
//! byte or the token is sent), the token in `Authorization: Bearer` and
//! never in a text.

use crate::access::device::{EXPIRY_CHOICES, IssuedCode};
use crate::access::districts::{self, CreatedDistrict, DistrictEntry};
use crate::sync::api::ApiError;

/// `GET /api/districts`, in the server's order.
pub async fn list(base: &str, token: &str) -> Result<Vec<DistrictEntry>, ApiError> {
    let text = json_call("GET", &format!("{base}/api/districts"), token, None).await?;
    districts::parse_districts(&text).map_err(ApiError::Network)
}

/// `POST /api/districts`: the district and its first district-admin code.
pub async fn create(
    base: &str,
    token: &str,
    id: &str,
    name: &str,
) -> Result<CreatedDistrict, ApiError> {
    let body = districts::district_body(id, name, EXPIRY_CHOICES[1]);
    let text = json_call("POST", &format!("{base}/api/districts"), token, Some(body)).await?;
    districts::parse_created(&text).map_err(ApiError::Network)
}

/// `POST /api/districts/{id}/codes`: another district-admin code.
pub async fn issue(base: &str, token: &str, id: &str) -> Result<IssuedCode, ApiError> {
    // A listed id is `a-z 0-9 _ -` only (parse_districts): safe in a path.
    if !districts::valid_id(id) {
        return Err(ApiError::Network(format!("district id {id:?}")));
    }
    let body = districts::district_code_body(EXPIRY_CHOICES[1]);
    let url = format!("{base}/api/districts/{id}/codes");
    let text = json_call("POST", &url, token, Some(body)).await?;
    districts::parse_code(&text).map_err(ApiError::Network)
}

/// One authorised JSON call: the body of a 2xx answer, or why not.
#[cfg(target_arch = "wasm32")]
async fn json_call(
    method: &str,
    url: &str,
    token: &str,
    body: Option<String>,
) -> Result<String, ApiError> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    if crate::settings::check_server_url(url).is_err() {
        return Err(ApiError::Insecure);
    }
    let fail = |e: wasm_bindgen::JsValue| {
        ApiError::Network(format!(
            "{method} {url}: {}",
            crate::sync::js_error_text(&e)
        ))
    };
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_cache(web_sys::RequestCache::NoStore);
    let headers = web_sys::Headers::new().map_err(fail)?;
    headers.set("Accept", "application/json").map_err(fail)?;
    headers
        .set("Authorization", &format!("Bearer {token}"))
        .map_err(|_| ApiError::Network("authorization header".into()))?;
    if let Some(b) = body {
        headers
            .set("Content-Type", "application/json")
            .map_err(fail)?;
        init.set_body(&wasm_bindgen::JsValue::from_str(&b));
    }
    init.set_headers(&headers);
    let window = web_sys::window().ok_or_else(|| ApiError::Network("no window".into()))?;
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(fail)?;
    let answer: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(fail)?
        .dyn_into()
        .map_err(fail)?;
    let text = JsFuture::from(answer.text().map_err(fail)?)
        .await
        .map_err(fail)?
        .as_string()
        .unwrap_or_default();
    match (answer.ok(), crate::access::device::error_key(&text)) {
        (true, _) => Ok(text),
        (false, Some(key)) => Err(ApiError::Refused {
            status: answer.status(),
            key,
        }),
        (false, None) => Err(ApiError::Network(format!(
            "{method} {url}: HTTP {}",
            answer.status()
        ))),
    }
}

#[cfg(not(target_arch = "wasm32"))]
async fn json_call(
    method: &str,
    url: &str,
    _token: &str,
    _body: Option<String>,
) -> Result<String, ApiError> {
    if crate::settings::check_server_url(url).is_err() {
        return Err(ApiError::Insecure);
    }
    Err(ApiError::Network(format!("{method} {url}: no browser")))
}
