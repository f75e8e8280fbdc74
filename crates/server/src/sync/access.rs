//! Access on the hub's side: binding a joining peer id to its connection's
//! device grant (refusing a peer id another device holds), forgetting it,
//! and disconnecting revoked devices (told by [`super::SyncHub::revoke_device`]
//! or found by the periodic check against the auth store).

use yanzhen_sync::{ConnectionId, Effect, Event, Message, PeerId};

use super::connection::Outgoing;
use super::hub::Hub;
use super::{REVOKED, close_code, now_ms};

impl Hub {
    /// On a connection's first message: if it is a `join`, bind its peer id
    /// to the connection's grant. A peer id bound to a live connection of
    /// another device is refused (the effects that say so are returned).
    pub(super) fn bind_join(&mut self, conn: ConnectionId, bytes: &[u8]) -> Option<Vec<Effect>> {
        let Ok(Message::Join { sender_id, .. }) = Message::decode(bytes) else {
            return None;
        };
        let grant = self.conns.get(&conn)?.grant.clone();
        if let Some(other) = self.bound.get(&sender_id)
            && *other != conn
            && let Some(h) = self.conns.get(other)
            && h.grant.device_id != grant.device_id
        {
            tracing::warn!(%conn, peer = %sender_id, device = %grant.device_id, "join refused: peer id in use by another device");
            let reason = format!("peer id {sender_id} is in use by another device");
            let err = Message::Error {
                sender_id: self.config.peer_id.clone(),
                target_id: sender_id,
                message: reason.clone(),
            };
            let mut fx = vec![
                Effect::Send {
                    conn,
                    bytes: err.encode(),
                },
                Effect::Close { conn, reason },
            ];
            fx.extend(self.node.handle(now_ms(), Event::Disconnected { conn }));
            return Some(fx);
        }
        tracing::info!(%conn, peer = %sender_id, device = %grant.device_id, role = %grant.role, "sync peer authenticated");
        self.policy.bind(sender_id.clone(), grant);
        self.bound.insert(sender_id.clone(), conn);
        self.joined.insert(conn, sender_id);
        None
    }

    /// Drops the peer binding of a connection that is gone.
    pub(super) fn forget(&mut self, conn: ConnectionId) {
        if let Some(peer) = self.joined.remove(&conn)
            && self.bound.get(&peer) == Some(&conn)
        {
            self.bound.remove(&peer);
            self.policy.unbind(&peer);
        }
    }

    /// Disconnects every connection of `device_id`: a protocol `error`
    /// ([`REVOKED`]) and a close (1008).
    pub(super) fn revoke(&mut self, device_id: &str) -> Vec<Effect> {
        let conns: Vec<ConnectionId> = self
            .conns
            .iter()
            .filter(|(_, h)| h.grant.device_id == device_id)
            .map(|(c, _)| *c)
            .collect();
        let mut fx = Vec::new();
        for conn in conns {
            tracing::info!(%conn, device = %device_id, "device revoked; closing its sync connection");
            fx.extend(self.tell_and_close(conn, REVOKED, close_code::POLICY));
        }
        fx
    }

    /// Sends the connection a protocol `error` saying `key` and closes it
    /// with `code` (ahead of its queue if the queue is full), and tells the
    /// node it is gone.
    pub(super) fn tell_and_close(
        &mut self,
        conn: ConnectionId,
        key: &str,
        code: u16,
    ) -> Vec<Effect> {
        let Some(h) = self.conns.remove(&conn) else {
            return Vec::new();
        };
        self.metrics.refusal(crate::metrics::refusal_key(key));
        let err = Message::Error {
            sender_id: self.config.peer_id.clone(),
            target_id: self
                .joined
                .get(&conn)
                .cloned()
                .unwrap_or_else(|| PeerId::new("")),
            message: key.to_owned(),
        };
        let sent = h.out.try_send(Outgoing::Binary(err.encode())).is_ok()
            && h.out
                .try_send(Outgoing::Close {
                    code,
                    reason: key.to_owned(),
                })
                .is_ok();
        if !sent {
            h.kill.send_replace(Some((code, key.to_owned())));
        }
        self.forget(conn);
        self.node.handle(now_ms(), Event::Disconnected { conn })
    }

    /// Asks the auth store whether a connected device was revoked (by the
    /// CLI, say) and disconnects those.
    pub(super) async fn check_revocations(&mut self) -> Vec<Effect> {
        let Some(auth) = &self.auth else {
            return Vec::new();
        };
        let mut ids: Vec<String> = self
            .conns
            .values()
            .map(|h| h.grant.device_id.clone())
            .collect();
        if ids.is_empty() {
            return Vec::new();
        }
        ids.sort();
        ids.dedup();
        match auth.revoked_among(&ids).await {
            Ok(revoked) => revoked.iter().flat_map(|id| self.revoke(id)).collect(),
            Err(err) => {
                tracing::warn!(%err, "cannot check devices for revocation");
                Vec::new()
            }
        }
    }
}
