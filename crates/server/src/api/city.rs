//! The city's API (市委组织部): the districts of the deployment.
//!
//! * `GET /api/districts` (a city admin's or city viewer's token) →
//!   `{"districts": [{"districtId", "name", "districtDocumentId",
//!   "createdAt", "devices"}]}` in the order they were created.
//! * `POST /api/districts` (a city admin's token) `{"districtId", "name",
//!   "expiresHours"}` → 201 `{"district": {…}, "code", "role": "admin",
//!   "expiresAt"}`: the district (a new, empty district document) and the
//!   code of its first district admin; 409 `district.exists` if the id is
//!   taken; 400 `district.invalid` with a message for a bad id or name.
//! * `POST /api/districts/{id}/codes` (a city admin's token)
//!   `{"expiresHours"}` → 201 `{"code", "role": "admin", "districtId",
//!   "expiresAt"}`: another district-admin code; 404 `district.unknown`.
//!
//! Other devices get 403 `access.forbidden`; 401 as every API call.

use axum::{
    Json,
    extract::{FromRequestParts, Path, State},
    http::{StatusCode, request::Parts},
    response::Response,
};
use serde::Deserialize;

use super::{ApiError, AuthedDevice, json};
use crate::{
    AppState,
    auth::{DEFAULT_CODE_HOURS, Device},
    city::{self, DISTRICT_INVALID},
    policy::Role,
};

/// A city admin's device: [`AuthedDevice`], and 403 for other roles.
#[derive(Debug)]
pub struct CityAdmin(pub Device);

impl FromRequestParts<AppState> for CityAdmin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let AuthedDevice(device) = AuthedDevice::from_request_parts(parts, state).await?;
        if device.role == Role::CityAdmin {
            Ok(CityAdmin(device))
        } else {
            tracing::info!(device = %device.id, role = %device.role, "city admin endpoint refused");
            Err(ApiError::Forbidden)
        }
    }
}

/// A device of the city (admin or viewer): [`AuthedDevice`], and 403 for
/// a district's devices.
#[derive(Debug)]
pub struct CityReader(pub Device);

impl FromRequestParts<AppState> for CityReader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let AuthedDevice(device) = AuthedDevice::from_request_parts(parts, state).await?;
        if device.role.has_district() {
            tracing::info!(device = %device.id, role = %device.role, "city endpoint refused");
            Err(ApiError::Forbidden)
        } else {
            Ok(CityReader(device))
        }
    }
}

fn unavailable(what: &'static str) -> impl FnOnce(crate::Error) -> ApiError {
    move |err| {
        tracing::warn!(%err, "{what} failed");
        ApiError::Unavailable
    }
}

/// `GET /api/districts`.
pub async fn list(
    State(state): State<AppState>,
    CityReader(_): CityReader,
) -> Result<Response, ApiError> {
    let districts = city::list(state.auth.db())
        .await
        .map_err(unavailable("listing districts"))?;
    let devices = state
        .auth
        .devices()
        .await
        .map_err(unavailable("listing devices"))?;
    let body: Vec<serde_json::Value> = districts
        .iter()
        .map(|d| {
            let mut j = d.to_json();
            j["devices"] = devices
                .iter()
                .filter(|x| x.revoked_at.is_none() && x.district_id.as_deref() == Some(&d.id))
                .count()
                .into();
            j
        })
        .collect();
    Ok(json(
        StatusCode::OK,
        serde_json::json!({ "districts": body }),
    ))
}

/// Body of `POST /api/districts`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewDistrict {
    /// The new district's id (`a-z 0-9 _ -`).
    pub district_id: String,
    /// Its name.
    pub name: String,
    /// Validity of its first district-admin code, in hours (default 72).
    #[serde(default)]
    pub expires_hours: Option<u32>,
}

/// `POST /api/districts`.
pub async fn create(
    State(state): State<AppState>,
    CityAdmin(by): CityAdmin,
    Json(req): Json<NewDistrict>,
) -> Result<Response, ApiError> {
    city::check_new_district(&req.district_id, &req.name)
        .map_err(|e| ApiError::BadRequestSaying(DISTRICT_INVALID, e.to_string()))?;
    let hours = req.expires_hours.unwrap_or(DEFAULT_CODE_HOURS);
    if hours == 0 || hours > crate::auth::MAX_CODE_HOURS {
        return Err(ApiError::BadRequestSaying(
            DISTRICT_INVALID,
            format!("expiry must be 1 to {} hours", crate::auth::MAX_CODE_HOURS),
        ));
    }
    let mut random = [0u8; 48];
    crate::auth::random_bytes(&mut random).map_err(unavailable("drawing random bytes"))?;
    let created = city::create_district(
        &*state.storage,
        state.auth.db(),
        &req.district_id,
        &req.name,
        random,
    )
    .await
    .map_err(unavailable("creating a district"))?
    .ok_or(ApiError::Status(StatusCode::CONFLICT, "district.exists"))?;
    tracing::info!(by = %by.id, district = %created.id, "district created");
    state.sync.reload_city().await;
    let mut body = admin_code(&state, &created.id, hours).await?;
    body["district"] = created.to_json();
    Ok(json(StatusCode::CREATED, body))
}

/// Body of `POST /api/districts/{id}/codes`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdminCodeRequest {
    /// Validity in hours (default 72).
    #[serde(default)]
    pub expires_hours: Option<u32>,
}

/// `POST /api/districts/{id}/codes`.
pub async fn issue_admin_code(
    State(state): State<AppState>,
    CityAdmin(by): CityAdmin,
    Path(id): Path<String>,
    Json(req): Json<AdminCodeRequest>,
) -> Result<Response, ApiError> {
    let body = admin_code(&state, &id, req.expires_hours.unwrap_or(DEFAULT_CODE_HOURS)).await?;
    tracing::info!(by = %by.id, district = %id, "district-admin code issued");
    Ok(json(StatusCode::CREATED, body))
}

/// A district-admin code for district `id` as JSON.
async fn admin_code(state: &AppState, id: &str, hours: u32) -> Result<serde_json::Value, ApiError> {
    let city = state.sync.city().await;
    let district = city
        .districts
        .get(id)
        .ok_or(ApiError::NotFound("district.unknown"))?;
    match state
        .auth
        .issue_code(district.into(), Role::Admin, None, hours)
        .await
    {
        Ok(issued) => Ok(serde_json::json!({
            "code": issued.code,
            "role": issued.role.as_str(),
            "districtId": issued.district_id,
            "expiresAt": issued.expires_at,
        })),
        Err(crate::Error::Access(msg)) => Err(ApiError::BadRequestSaying(DISTRICT_INVALID, msg)),
        Err(err) => Err(unavailable("issuing a district-admin code")(err)),
    }
}
