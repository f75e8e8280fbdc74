//! Relayed edits: changes a device made that another tablet carried to the
//! server on a file (see [`yanzhen_sync::relay`]), replayed *as their maker*.
//!
//! [`relay_as`] opens an in-process connection to the sync hub
//! ([`SyncHub::connect_local`]) under the maker's [`Grant`] and syncs a
//! document holding exactly the vouched changes and their ancestors, with a
//! client [`SyncNode`] like any tablet's. So the maker's write rights, the
//! authorship of every new change, the schema, the bounds, storage and the
//! fan-out to other tablets are checked and done by the same code as a
//! direct sync; the carrier's rights play no part. It ends when the hub says
//! it has the changes (it answers only after storing them), or with the
//! hub's refusal, or at a deadline.
//!
//! [`relay`] is `POST /api/relay`: a tablet that carries a sealed file
//! (imported from an office with no connectivity) hands it over; for each
//! vouch in it the maker must be an enrolled, unrevoked device of this
//! server and the vouch's MAC must verify under the maker's key
//! ([`crate::keys::ServerKeys::device_key`]); then exactly the vouched
//! changes and their ancestors are replayed as above. The carrier learns
//! one result per vouch and gains no rights by carrying.

use std::time::Duration;

use automerge::{Automerge, Change};
use axum::{body::Bytes, extract::State, http::StatusCode, response::Response};
use yanzhen_sync::{
    Config, ConnectionId, DocumentId, Effect, Event, PeerId, PeerMetadata, SyncNode,
    file::{self, FileError},
    relay::{self as vouching, Vouch},
};

use crate::{
    AppState,
    api::{ApiError, AuthedDevice, json},
    policy::Grant,
    sync::{LocalIncoming, SyncHub},
};

/// The largest file `POST /api/relay` takes (the size a whole district's
/// documents reach with room to spare; the file's own bounds apply inside).
pub const RELAY_MAX_BODY: usize = 64 * 1024 * 1024;

/// How long one vouch's replay may take before it counts as failed.
const RELAY_DEADLINE: Duration = Duration::from_secs(30);

/// `POST /api/relay`: the vouched changes of a sealed file, replayed as
/// their makers' (see the module docs). Any enrolled device may carry a
/// file; what lands depends only on each maker's rights.
pub async fn relay(
    State(state): State<AppState>,
    AuthedDevice(carrier): AuthedDevice,
    body: Bytes,
) -> Result<Response, ApiError> {
    // Sealed with the carrier's district's transfer key: a file from
    // another district does not open here.
    let source = crate::api::key_source(&state).await?;
    let transfer = source.transfer_for(&state.sync.city().await, &carrier);
    let keys = source.keys;
    let f = match file::read_sealed(&body, &transfer, &keys.public()) {
        Ok(f) => f,
        Err(err) => {
            tracing::info!(carrier = %carrier.id, %err, "relay: the file does not open");
            let status = if matches!(err, FileError::TooNew { .. }) {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::BAD_REQUEST
            };
            return Err(ApiError::Status(status, err.message_key()));
        }
    };
    let mut results = Vec::with_capacity(f.vouches.len());
    for v in &f.vouches {
        let result = match relay_vouch(&state, &keys, &f, v).await {
            Ok(()) => {
                tracing::info!(carrier = %carrier.id, maker = %v.device_id, doc = %v.document_id, changes = v.hashes.len(), "relayed a device's changes");
                "relayed"
            }
            Err(key) => {
                tracing::warn!(carrier = %carrier.id, maker = %v.device_id, doc = %v.document_id, reason = key, "relay refused");
                key
            }
        };
        results.push(serde_json::json!({
            "documentId": v.document_id.to_string(),
            "deviceId": v.device_id,
            "result": result,
        }));
    }
    Ok(json(
        StatusCode::OK,
        serde_json::json!({ "relayed": results }),
    ))
}

/// One vouch: its maker enrolled and not revoked, the MAC under the maker's
/// key, the vouched changes in the file, replayed as the maker; the error
/// is the result key.
async fn relay_vouch(
    state: &AppState,
    keys: &crate::keys::ServerKeys,
    f: &file::SyncFile,
    v: &Vouch,
) -> Result<(), &'static str> {
    let maker = match state.auth.device(&v.device_id).await {
        Ok(Some(d)) if d.revoked_at.is_none() => d,
        Ok(_) => return Err("relay.unknown_device"),
        Err(err) => {
            tracing::warn!(%err, "relay: cannot read the device");
            return Err("relay.server_error");
        }
    };
    v.verify(&keys.device_key(&maker.id))
        .map_err(|_| "relay.bad_vouch")?;
    let whole = f.document(&v.document_id).ok_or("relay.missing_changes")?;
    let changes = vouching::relay_changes(&whole, v).map_err(|_| "relay.missing_changes")?;
    let grant = maker.grant();
    match relay_as(&state.sync, grant, v.document_id, changes, RELAY_DEADLINE).await {
        Ok(()) => Ok(()),
        Err(RelayRefused::Refused(reason)) => {
            tracing::info!(%reason, "relay: the hub refused the maker's changes");
            Err("relay.refused")
        }
        Err(RelayRefused::Broken(_)) => Err("relay.missing_changes"),
        Err(RelayRefused::Timeout | RelayRefused::ShuttingDown) => Err("relay.unavailable"),
    }
}

/// Why a relay did not land.
#[derive(Debug, thiserror::Error)]
pub enum RelayRefused {
    /// The changes do not form a document (missing dependencies, bad bytes).
    #[error("the relayed changes do not apply: {0}")]
    Broken(String),
    /// The hub refused them (its protocol `error` or close reason).
    #[error("refused: {0}")]
    Refused(String),
    /// No answer before the deadline.
    #[error("no answer from the sync hub in time")]
    Timeout,
    /// The server is shutting down.
    #[error("the server is shutting down")]
    ShuttingDown,
}

/// The connection id of the relay's own client node (its only connection).
const CONN: ConnectionId = ConnectionId(1);

/// Syncs `changes` of `doc` to the hub as the device of `grant`; `Ok` once
/// the hub has every head of them, stored.
pub async fn relay_as(
    hub: &SyncHub,
    grant: Grant,
    doc: DocumentId,
    changes: Vec<Change>,
    deadline: Duration,
) -> Result<(), RelayRefused> {
    let hashes: Vec<_> = changes.iter().map(|c| c.hash()).collect();
    let mut am = Automerge::new();
    am.apply_changes(changes)
        .map_err(|e| RelayRefused::Broken(e.to_string()))?;
    // Automerge queues a change whose dependencies are missing: refuse
    // rather than relay less than was vouched for.
    if hashes
        .iter()
        .any(|h| am.get_change_meta_by_hash(h).is_none())
    {
        return Err(RelayRefused::Broken(
            "a change's dependencies are missing".into(),
        ));
    }
    let want = am.get_heads();
    if want.is_empty() {
        return Ok(());
    }
    let mut random = [0u8; 8];
    crate::auth::random_bytes(&mut random).map_err(|e| RelayRefused::Broken(e.to_string()))?;
    let peer = PeerId::from_random("relay", &random);
    let mut node = SyncNode::new(Config::client(peer, PeerMetadata::ephemeral()));
    let mut local = hub
        .connect_local(grant)
        .await
        .ok_or(RelayRefused::ShuttingDown)?;
    let mut fx = node.handle(
        0,
        Event::Connected {
            conn: CONN,
            initiator: true,
        },
    );
    fx.extend(
        node.add_document(doc, am)
            .map_err(|e| RelayRefused::Broken(e.to_string()))?,
    );
    let result = tokio::time::timeout(deadline, async {
        loop {
            for effect in fx.drain(..) {
                let sent = match effect {
                    Effect::Send { bytes, .. } => local.send(bytes).await,
                    Effect::RemoteError { message, .. } => {
                        return Err(RelayRefused::Refused(message));
                    }
                    Effect::Close { reason, .. } => return Err(RelayRefused::Refused(reason)),
                    _ => true,
                };
                if !sent {
                    return Err(RelayRefused::ShuttingDown);
                }
            }
            if node
                .peer_heads(&doc, CONN)
                .is_some_and(|has| want.iter().all(|h| has.contains(h)))
            {
                return Ok(());
            }
            match local.recv().await {
                LocalIncoming::Binary(bytes) => {
                    fx = node.handle(0, Event::Received { conn: CONN, bytes });
                }
                LocalIncoming::Closed(code, reason) => {
                    return Err(RelayRefused::Refused(format!("{reason} (closed, {code})")));
                }
            }
        }
    })
    .await
    .unwrap_or(Err(RelayRefused::Timeout));
    local.close().await;
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        auth::AuthStore, health::Health, policy::Role, storage::SqliteStorage, sync::SyncSettings,
    };
    use automerge::{ROOT, ReadDoc, transaction::Transactable};
    use std::sync::Arc;

    async fn hub() -> (tempfile::TempDir, SyncHub) {
        let dir = tempfile::tempdir().unwrap();
        let storage = Arc::new(SqliteStorage::open_dir(dir.path()).await.unwrap());
        let auth = AuthStore::new(storage.pool().clone());
        // One district whose document is not stored: its admin may write
        // documents of no district.
        crate::city::register(
            auth.db(),
            &crate::city::District {
                id: "d1".into(),
                name: "测试区".into(),
                document: DocumentId::from_bytes([0xd1; 16]),
                created_at: 0,
            },
        )
        .await
        .unwrap();
        let hub = SyncHub::start(storage, SyncSettings::default(), auth, Health::new());
        (dir, hub)
    }

    fn grant(role: Role) -> Grant {
        Grant {
            device_id: format!("device-{role}"),
            role,
            unit: None,
            district: Some("d1".into()),
        }
    }

    fn changes(key: &str) -> Vec<Change> {
        let mut am = Automerge::new();
        let mut tx = am.transaction();
        tx.put(ROOT, key, "relayed").unwrap();
        tx.commit();
        am.get_changes(&[])
    }

    #[tokio::test]
    async fn a_relay_lands_with_the_makers_rights_and_is_refused_without_them() {
        let (_dir, hub) = hub().await;
        let doc = DocumentId::from_bytes([9; 16]);
        // A viewer may not write: the hub refuses, nothing lands.
        let refused = relay_as(
            &hub,
            grant(Role::Viewer),
            doc,
            changes("k"),
            Duration::from_secs(10),
        )
        .await;
        assert!(
            matches!(refused, Err(RelayRefused::Refused(_))),
            "{refused:?}"
        );
        // The admin may: the hub has it, and a second relay of the same
        // changes is a no-op that also ends.
        let landed = changes("k");
        let heads: Vec<_> = landed.iter().map(|c| c.hash()).collect();
        relay_as(
            &hub,
            grant(Role::Admin),
            doc,
            landed.clone(),
            Duration::from_secs(10),
        )
        .await
        .unwrap();
        relay_as(
            &hub,
            grant(Role::Admin),
            doc,
            landed,
            Duration::from_secs(10),
        )
        .await
        .unwrap();
        // A fresh reader sees it through the hub.
        let mut reader = SyncNode::new(Config::client(
            PeerId::new("reader"),
            PeerMetadata::ephemeral(),
        ));
        let mut local = hub.connect_local(grant(Role::Admin)).await.unwrap();
        let mut fx = reader.handle(
            0,
            Event::Connected {
                conn: CONN,
                initiator: true,
            },
        );
        fx.extend(reader.find(doc));
        let found = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                for e in fx.drain(..) {
                    if let Effect::Send { bytes, .. } = e {
                        assert!(local.send(bytes).await);
                    }
                }
                if reader
                    .document(&doc)
                    .is_some_and(|d| d.get_heads() == heads)
                {
                    return reader.document(&doc).unwrap().get(ROOT, "k").unwrap();
                }
                match local.recv().await {
                    LocalIncoming::Binary(bytes) => {
                        fx = reader.handle(0, Event::Received { conn: CONN, bytes })
                    }
                    LocalIncoming::Closed(_, r) => panic!("closed: {r}"),
                }
            }
        })
        .await
        .unwrap();
        assert!(found.is_some());
        local.close().await;
        hub.shutdown().await;
    }

    #[tokio::test]
    async fn changes_that_do_not_form_a_document_are_refused_before_the_hub() {
        let (_dir, hub) = hub().await;
        let mut am = Automerge::new();
        let mut tx = am.transaction();
        tx.put(ROOT, "a", 1).unwrap();
        tx.commit();
        let mut tx = am.transaction();
        tx.put(ROOT, "b", 2).unwrap();
        tx.commit();
        // Only the second change: its dependency is missing.
        let second = am.get_changes(&[]).pop().unwrap();
        let r = relay_as(
            &hub,
            grant(Role::Admin),
            DocumentId::from_bytes([3; 16]),
            vec![second],
            Duration::from_secs(5),
        )
        .await;
        assert!(matches!(r, Err(RelayRefused::Broken(_))), "{r:?}");
        hub.shutdown().await;
    }
}
