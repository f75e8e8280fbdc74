//! The district admin's calls (`/api/admin/*`): codes, the device list
//! and revocation, each scoped to the admin's own district.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use serde::Deserialize;

use super::{Admin, ApiError, json};
use crate::{
    AppState,
    auth::{DEFAULT_CODE_HOURS, Device},
    policy::Role,
};

/// Body of `POST /api/admin/codes`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeRequest {
    /// `village`, `township`, `admin` or `viewer`.
    pub role: String,
    /// The unit (id or exact name) for village and township roles.
    #[serde(default)]
    pub unit_id: Option<String>,
    /// Validity in hours (default 72).
    #[serde(default)]
    pub expires_hours: Option<u32>,
}

/// `POST /api/admin/codes`: a code of the admin's district (a city role
/// is refused: codes of the city come from the CLI).
pub async fn issue_code(
    State(state): State<AppState>,
    Admin(by): Admin,
    Json(req): Json<CodeRequest>,
) -> Result<Response, ApiError> {
    let role = req
        .role
        .parse::<Role>()
        .ok()
        .filter(|r| r.has_district())
        .ok_or(ApiError::BadRequest("access.role.invalid"))?;
    let city = state.sync.city().await;
    let district = by
        .district_id
        .as_deref()
        .and_then(|id| city.districts.get(id))
        .ok_or(ApiError::Forbidden)?;
    match state
        .auth
        .issue_code(
            district.into(),
            role,
            req.unit_id.as_deref(),
            req.expires_hours.unwrap_or(DEFAULT_CODE_HOURS),
        )
        .await
    {
        Ok(issued) => {
            tracing::info!(by = %by.id, %role, "enrolment code issued through the API");
            Ok(json(
                StatusCode::OK,
                serde_json::json!({
                    "code": issued.code,
                    "role": issued.role.as_str(),
                    "unitId": issued.unit_id,
                    "districtId": issued.district_id,
                    "expiresAt": issued.expires_at,
                }),
            ))
        }
        Err(crate::Error::Access(msg)) => Err(ApiError::BadRequestSaying(
            "access.code.request_invalid",
            msg,
        )),
        Err(err) => {
            tracing::warn!(%err, "issuing a code failed");
            Err(ApiError::Unavailable)
        }
    }
}

/// `GET /api/admin/devices`: the devices of the admin's district.
pub async fn devices(
    State(state): State<AppState>,
    Admin(by): Admin,
) -> Result<Response, ApiError> {
    let list = state
        .auth
        .devices_in(by.district_id.as_deref())
        .await
        .map_err(|err| {
            tracing::warn!(%err, "listing devices failed");
            ApiError::Unavailable
        })?;
    Ok(json(
        StatusCode::OK,
        serde_json::json!({ "devices": list.iter().map(Device::to_json).collect::<Vec<_>>() }),
    ))
}

/// `POST /api/admin/devices/{id}/revoke`: a device of the admin's
/// district (another district's is 404, as if it did not exist).
pub async fn revoke(
    State(state): State<AppState>,
    Admin(by): Admin,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    match state.auth.device(&id).await {
        Ok(Some(d)) if d.district_id.is_some() && d.district_id == by.district_id => {}
        Ok(_) => return Err(ApiError::NotFound("access.device.unknown")),
        Err(err) => {
            tracing::warn!(%err, "revoking failed");
            return Err(ApiError::Unavailable);
        }
    }
    match state.auth.revoke(&id).await {
        Ok(true) => {
            tracing::info!(by = %by.id, device = %id, "device revoked through the API");
            state.sync.revoke_device(&id).await;
            Ok(match state.auth.device(&id).await {
                Ok(Some(d)) => json(StatusCode::OK, d.to_json()),
                _ => json(StatusCode::OK, serde_json::json!({ "deviceId": id })),
            })
        }
        Ok(false) => Err(ApiError::NotFound("access.device.unknown")),
        Err(err) => {
            tracing::warn!(%err, "revoking failed");
            Err(ApiError::Unavailable)
        }
    }
}
