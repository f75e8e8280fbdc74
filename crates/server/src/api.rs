//! The access-control HTTP API (JSON).
//!
//! * `POST /api/enrol` `{"code", "deviceName"}` → `{"token", "deviceId",
//!   "role", "unitId", "districtDocumentId", "documents": [{"documentId",
//!   "access": "read"|"write", "unitId", "name"}]}`; a bad, used or expired
//!   code → 400 `{"error": "access.code.invalid|used|expired"}` and nothing is
//!   created; too many failures from the client's IP (the TCP peer, or
//!   behind a `--trusted-proxy` the forwarded client) or overall → 429
//!   `{"error": "access.enrol.rate_limited"}` with `Retry-After`.
//!   Both this and `/api/me` carry `"keys": {"serverKey": "<64 hex>",
//!   "transferKey": {"id": "<16 hex>", "key": "<64 hex>"}}`
//!   ([`yanzhen_sync::attest::DistrictKeys`]): the server's public key and
//!   the district transfer key for `.yanzhen` files.
//!   Both also carry `"deviceKey": "<64 hex>"`, the device's own relay key
//!   ([`yanzhen_sync::relay::DeviceKey`], kept on the tablet under the
//!   data key like the token).
//! * `GET /api/me` (`Authorization: Bearer <token>`) → the same without the
//!   token; 401 `{"error": "access.token.missing|unknown|revoked"}`.
//! * `POST /api/relay` (`Authorization: Bearer <token>`, body: a sealed
//!   `.yanzhen` file, at most [`crate::relay::RELAY_MAX_BODY`] bytes) → `{"relayed":
//!   [{"documentId", "deviceId", "result": "relayed"|"relay.*"}, …]}`: the
//!   changes each vouch in the file names are replayed through the sync hub
//!   as their maker's ([`crate::relay`]); a file that does not open → 400
//!   with its `sync_file.*` key.
//! * `POST /api/attest` (`Authorization: Bearer <token>`) `{"documents":
//!   ["<base58check>", …]}` (at most [`ATTEST_MAX_DOCUMENTS`], body at most
//!   [`ATTEST_MAX_BODY`] bytes, else 400 `{"error": "attest.too_many"}` /
//!   413) → `{"attestations": [{"documentId", "heads": ["<64 hex>", …],
//!   "issuedAtMs", "signature": "<128 hex>"}, …]}`
//!   ([`yanzhen_sync::attest::Attestation`]): the server's signed heads of
//!   each listed document the device may read and the server has, as
//!   durably stored ([`crate::sync::SyncHub::stored_heads`]); other ids
//!   (unknown, not readable, not an id) are left out without a word; a body
//!   that is not that JSON → 400 `{"error": "attest.invalid"}`; 401 as
//!   `/api/me`.
//! * Admin only (a district admin's token; 401 as above, 403
//!   `{"error": "access.forbidden"}` for other devices):
//!   `POST /api/admin/codes` `{"role", "unitId", "expiresHours"}` →
//!   `{"code", "role", "unitId", "expiresAt"}`; `GET /api/admin/devices` →
//!   `{"devices": [...]}`; `POST /api/admin/devices/{id}/revoke` → the device
//!   (and its sync connections are closed at once); 404 for unknown ids.
//!
//! Every answer is `Cache-Control: no-store`. Secrets (codes, tokens) are
//! returned only by the call that creates them and never logged.

use std::net::SocketAddr;

use axum::{
    Json,
    extract::{ConnectInfo, FromRequestParts, State},
    http::{Extensions, HeaderMap, HeaderValue, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use crate::{
    AppState,
    auth::{AuthFailure, Device, EnrolError, TokenError},
    policy::{City, Role},
};
use yanzhen_sync::DocumentId;

mod admin;
pub mod city;
mod keys;

pub use admin::{CodeRequest, devices, issue_code, revoke};

pub(crate) use keys::key_source;
use keys::{device_key, server_keys};

/// The most documents one `POST /api/attest` may list.
pub const ATTEST_MAX_DOCUMENTS: usize = 1024;
/// The largest `POST /api/attest` body (1,024 ids of at most 40 characters
/// in JSON, with room to spare).
pub const ATTEST_MAX_BODY: usize = 64 * 1024;

pub(crate) fn json(status: StatusCode, body: serde_json::Value) -> Response {
    let mut res = (status, Json(body)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `status` with `{"error": key}` (never cached).
pub fn error(status: StatusCode, key: &str) -> Response {
    json(status, serde_json::json!({ "error": key }))
}

/// 401 with the token error's key.
pub fn unauthorized(err: TokenError) -> Response {
    let mut res = error(StatusCode::UNAUTHORIZED, err.key());
    res.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"yanzhen\""),
    );
    res
}

/// 503 `{"error": "server.error"}`.
pub fn server_error() -> Response {
    error(StatusCode::SERVICE_UNAVAILABLE, "server.error")
}

/// Why an API call failed, as the client is told: a status and a message
/// key (`{"error": key}`, never cached). Handlers return
/// `Result<Response, ApiError>` and use `?`; the extractors
/// [`AuthedDevice`] and [`Admin`] reject with it.
#[derive(Debug)]
pub enum ApiError {
    /// 400 with the key.
    BadRequest(&'static str),
    /// 400 with the key and a human-readable message.
    BadRequestSaying(&'static str, String),
    /// 401 (with `WWW-Authenticate`) with the token's failure.
    Unauthorized(TokenError),
    /// 403 `access.forbidden`: the device may not call this.
    Forbidden,
    /// 404 with the key.
    NotFound(&'static str),
    /// 429 `access.enrol.rate_limited` with `Retry-After`.
    RateLimited { retry_after_s: u64 },
    /// 503 `server.error`: storage or keys failed (already logged).
    Unavailable,
    /// Any other status with its key.
    Status(StatusCode, &'static str),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::BadRequest(key) => error(StatusCode::BAD_REQUEST, key),
            ApiError::BadRequestSaying(key, message) => json(
                StatusCode::BAD_REQUEST,
                serde_json::json!({ "error": key, "message": message }),
            ),
            ApiError::Unauthorized(err) => unauthorized(err),
            ApiError::Forbidden => error(StatusCode::FORBIDDEN, "access.forbidden"),
            ApiError::NotFound(key) => error(StatusCode::NOT_FOUND, key),
            ApiError::RateLimited { retry_after_s } => {
                let mut res = error(StatusCode::TOO_MANY_REQUESTS, "access.enrol.rate_limited");
                res.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_s));
                res
            }
            ApiError::Unavailable => server_error(),
            ApiError::Status(status, key) => error(status, key),
        }
    }
}

/// The enrolled, unrevoked device behind the request's bearer token; a
/// request without one is refused with 401 (or 503 when the token cannot
/// be checked) before the handler runs or its body is read.
#[derive(Debug)]
pub struct AuthedDevice(pub Device);

impl FromRequestParts<AppState> for AuthedDevice {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let device = authenticate(state, &parts.headers).await?;
        state
            .sync
            .ensure_district(device.district_id.as_deref())
            .await;
        Ok(AuthedDevice(device))
    }
}

/// A district admin's device (of a district): [`AuthedDevice`], and 403
/// for other roles.
#[derive(Debug)]
pub struct Admin(pub Device);

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let AuthedDevice(device) = AuthedDevice::from_request_parts(parts, state).await?;
        if device.role == Role::Admin && device.district_id.is_some() {
            Ok(Admin(device))
        } else {
            tracing::info!(device = %device.id, role = %device.role, "admin endpoint refused");
            Err(ApiError::Forbidden)
        }
    }
}

/// The token of an `Authorization: Bearer …` header.
pub fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// The client's IP: the connection's peer, or behind a trusted reverse
/// proxy the forwarded client's ([`crate::proxy::TrustedProxies`]);
/// `unknown` when serving without connection info, as in `oneshot` tests.
fn client_ip(state: &AppState, ext: &Extensions, headers: &HeaderMap) -> String {
    ext.get::<ConnectInfo<SocketAddr>>()
        .map(|c| {
            state
                .trusted_proxies
                .client_ip(c.0.ip(), headers)
                .to_string()
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The device behind the request's bearer token, or why not.
async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Device, ApiError> {
    match state
        .auth
        .authenticate(bearer_token(headers).as_deref())
        .await
    {
        Ok(device) => Ok(device),
        Err(AuthFailure::Token(err)) => {
            tracing::info!(reason = err.key(), "api request refused");
            Err(ApiError::Unauthorized(err))
        }
        Err(AuthFailure::Db(err)) => {
            tracing::warn!(%err, "cannot check a token");
            Err(ApiError::Unavailable)
        }
    }
}

/// The device JSON of `/api/enrol` and `/api/me` (without the token):
/// the districts it may read (its own, or every one for a city role) and
/// every document it may read, each with its access and district.
pub fn device_info(city: &City, device: &Device) -> serde_json::Value {
    let grant = device.grant();
    let documents: Vec<serde_json::Value> = city
        .documents_for(&grant)
        .into_iter()
        .map(|(doc, a, district)| {
            let unit = district.directory.unit_of(&doc);
            serde_json::json!({
                "documentId": doc.to_string(),
                "access": if a.can_write() { "write" } else { "read" },
                "unitId": unit.map(|u| u.id.clone()),
                "name": unit.map(|u| u.name.clone()),
                "districtId": district.id,
            })
        })
        .collect();
    let districts: Vec<serde_json::Value> = city
        .in_order()
        .filter(|d| !device.role.has_district() || device.district_id.as_deref() == Some(&d.id))
        .map(|d| {
            serde_json::json!({
                "districtId": d.id,
                "name": d.name,
                "districtDocumentId": d.directory.district.map(|doc| doc.to_string()),
            })
        })
        .collect();
    let own = device
        .district_id
        .as_deref()
        .and_then(|id| city.districts.get(id))
        .and_then(|d| d.directory.district);
    serde_json::json!({
        "deviceId": device.id,
        "name": device.name,
        "role": device.role.as_str(),
        "unitId": device.unit_id,
        "districtId": device.district_id,
        "districtDocumentId": own.map(|d| d.to_string()),
        "districts": districts,
        "documents": documents,
    })
}

/// Body of `POST /api/enrol`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnrolRequest {
    /// The enrolment code as typed.
    pub code: String,
    /// A name for the device (shown in the device list).
    pub device_name: String,
}

/// `POST /api/enrol`.
pub async fn enrol(
    State(state): State<AppState>,
    ext: Extensions,
    headers: HeaderMap,
    Json(req): Json<EnrolRequest>,
) -> Result<Response, ApiError> {
    let ip = client_ip(&state, &ext, &headers);
    // Before the code is used up: without keys nothing is enrolled.
    let keys = key_source(&state).await?;
    let enrolled = state.auth.enrol(&req.code, &req.device_name, &ip).await;
    state.metrics.enrolment(match &enrolled {
        Ok(_) => "ok",
        Err(err) => err.key(),
    });
    match enrolled {
        Ok(enrolled) => {
            state
                .sync
                .ensure_district(enrolled.device.district_id.as_deref())
                .await;
            let city = state.sync.city().await;
            let mut body = device_info(&city, &enrolled.device);
            body["token"] = serde_json::Value::String(enrolled.token);
            body["keys"] = keys.json(&city, &enrolled.device)?;
            if let Some(k) = device_key(&state, &enrolled.device.id).await {
                body["deviceKey"] = k.into();
            }
            Ok(json(StatusCode::OK, body))
        }
        Err(EnrolError::RateLimited { retry_after_s }) => {
            Err(ApiError::RateLimited { retry_after_s })
        }
        Err(EnrolError::Db(err)) => {
            tracing::warn!(%err, "enrolment failed");
            Err(ApiError::Unavailable)
        }
        Err(err) => Err(ApiError::BadRequest(err.key())),
    }
}

/// `GET /api/me`.
pub async fn me(
    State(state): State<AppState>,
    AuthedDevice(device): AuthedDevice,
) -> Result<Response, ApiError> {
    let keys = key_source(&state).await?;
    let city = state.sync.city().await;
    let mut body = device_info(&city, &device);
    body["keys"] = keys.json(&city, &device)?;
    if let Some(k) = device_key(&state, &device.id).await {
        body["deviceKey"] = k.into();
    }
    Ok(json(StatusCode::OK, body))
}

/// Body of `POST /api/attest`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttestRequest {
    /// Document ids (base58check).
    pub documents: Vec<String>,
}

/// `POST /api/attest`.
pub async fn attest(
    State(state): State<AppState>,
    AuthedDevice(device): AuthedDevice,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let req = serde_json::from_slice::<AttestRequest>(&body)
        .map_err(|_| ApiError::BadRequest("attest.invalid"))?;
    if req.documents.len() > ATTEST_MAX_DOCUMENTS {
        return Err(ApiError::BadRequest("attest.too_many"));
    }
    let keys = server_keys(&state).await?;
    let city = state.sync.city().await;
    let grant = device.grant();
    let mut docs: Vec<DocumentId> = req
        .documents
        .iter()
        .filter_map(|s| s.parse::<DocumentId>().ok())
        .filter(|d| city.access(&grant, d).can_read())
        .collect();
    docs.sort();
    docs.dedup();
    let heads = state
        .sync
        .stored_heads(&*state.storage, &docs)
        .await
        .map_err(|err| {
            tracing::warn!(%err, "cannot read heads to attest");
            ApiError::Unavailable
        })?;
    let now = crate::sync::now_ms();
    let attestations: Vec<_> = heads
        .into_iter()
        .map(|(doc, heads)| keys.attest(doc, heads, now))
        .collect();
    tracing::info!(device = %device.id, asked = req.documents.len(), attested = attestations.len(), "attestations issued");
    Ok(json(
        StatusCode::OK,
        serde_json::json!({ "attestations": attestations }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_tokens_are_read_from_the_header() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer_token(&h), None);
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer yz_abc"),
        );
        assert_eq!(bearer_token(&h).as_deref(), Some("yz_abc"));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("bearer  yz_abc "),
        );
        assert_eq!(bearer_token(&h).as_deref(), Some("yz_abc"));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic eHg6eXk="),
        );
        assert_eq!(bearer_token(&h), None);
        assert_eq!(
            crate::sync::query_token(Some("a=1&token=yz_t&b=2")).as_deref(),
            Some("yz_t")
        );
        assert_eq!(crate::sync::query_token(Some("token=")), None);
        assert_eq!(crate::sync::query_token(None), None);
    }
}
