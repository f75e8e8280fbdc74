//! The city admin's calls: `GET /api/districts`, `POST /api/districts`,
//! `POST /api/districts/{id}/codes`. Bodies and answers are built and
//! parsed by [`crate::access::districts`]; refusals are
//! [`crate::sync::api::ApiError`]s like every other access call.
//! They go through the access calls' one JSON call
//! ([`crate::sync::api::call`]): only over a secure channel, checked before
//! a byte or the token is sent, the token in `Authorization: Bearer`.

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
async fn json_call(
    method: &str,
    url: &str,
    token: &str,
    body: Option<String>,
) -> Result<String, ApiError> {
    crate::sync::api::call(method, url, Some(token), body).await
}
