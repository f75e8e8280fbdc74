//! The keys a device gets with its enrolment and `/api/me`: the server's
//! public key, its district's transfer key for `.yanzhen` files
//! ([`crate::keys::ServerKeys::transfer_of`]) and its own relay key.

use yanzhen_sync::DocumentId;

use super::ApiError;
use crate::{AppState, auth::Device, policy::City};

/// The server's keys (503 when they cannot be read).
pub(super) async fn server_keys(
    state: &AppState,
) -> Result<std::sync::Arc<crate::keys::ServerKeys>, ApiError> {
    state.keys().await.map_err(|err| {
        tracing::warn!(%err, "cannot read the server's keys");
        ApiError::Unavailable
    })
}

/// The keys a device gets, and which district keeps the stored transfer
/// key (the `meta` table's district document: the deployment's first
/// district, `--demo`'s or the one from before the city); read before
/// anything is enrolled.
pub(crate) struct KeySource {
    /// The server's keys.
    pub keys: std::sync::Arc<crate::keys::ServerKeys>,
    first: Option<DocumentId>,
}

/// The keys and the first district document (503 when unreadable).
pub(crate) async fn key_source(state: &AppState) -> Result<KeySource, ApiError> {
    let keys = server_keys(state).await?;
    let first = state
        .storage
        .meta_get(crate::storage::META_DISTRICT_DOCUMENT)
        .await
        .map_err(|err| {
            tracing::warn!(%err, "cannot read the first district");
            ApiError::Unavailable
        })?
        .and_then(|d| d.parse().ok());
    Ok(KeySource { keys, first })
}

impl KeySource {
    /// The transfer key of `device`'s files: its district's
    /// ([`crate::keys::ServerKeys::transfer_of`]; the stored key for the
    /// first district and for the city's devices).
    pub fn transfer_for(&self, city: &City, device: &Device) -> yanzhen_sync::attest::TransferKey {
        let first = |id: &str| {
            self.first.is_some()
                && city.districts.get(id).and_then(|d| d.directory.district) == self.first
        };
        let district = device.district_id.as_deref().filter(|id| !first(id));
        self.keys.transfer_of(district)
    }

    /// The `"keys"` JSON of enrolment and `/api/me` for `device`.
    pub(super) fn json(&self, city: &City, device: &Device) -> Result<serde_json::Value, ApiError> {
        serde_json::to_value(self.keys.keys_with(self.transfer_for(city, device)))
            .map_err(|_| ApiError::Unavailable)
    }
}

/// The device's relay key as hex (`"deviceKey"`), once the keys are read.
pub(super) async fn device_key(state: &AppState, device_id: &str) -> Option<String> {
    state
        .keys()
        .await
        .ok()
        .map(|k| k.device_key(device_id).to_hex())
}
