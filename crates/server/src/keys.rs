//! The server's keys (issue 14, files): an Ed25519 signing key for
//! attestations ([`yanzhen_sync::attest`]) and the district transfer key
//! that seals `.yanzhen` files. Both are made at first start from the
//! operating system's RNG and kept in the database's `meta` table
//! ([`META_SIGNING_KEY`], [`META_TRANSFER_KEY`]), so they survive restarts
//! (files exported before a restart still open, attestations still
//! verify). Neither is ever logged; `Debug` shows only the public key and
//! the transfer key's id. Enrolled devices get the public key and the
//! transfer key (`POST /api/enrol`, `GET /api/me`); the signing key never
//! leaves the server. Each device also gets its own relay key
//! ([`ServerKeys::device_key`], derived from the signing seed) to vouch for
//! its own edits that another tablet carries ([`crate::relay`]).
//!
//! A value in `meta` that does not parse is an error, not a reason to make
//! a new key: a new transfer key would make every file exported before
//! unreadable.

use automerge::ChangeHash;
use sha2::{Digest as _, Sha256};
use yanzhen_sync::DocumentId;
use yanzhen_sync::attest::{self, Attestation, DistrictKeys, ServerKey, TransferKey};
use yanzhen_sync::relay::DeviceKey;

use crate::auth::random_bytes;
use crate::storage::{META_SIGNING_KEY, META_TRANSFER_KEY, Storage};
use crate::{Error, Result};

/// The server's signing key and the district transfer key.
#[derive(Clone)]
pub struct ServerKeys {
    seed: [u8; 32],
    public: ServerKey,
    transfer: TransferKey,
}

impl std::fmt::Debug for ServerKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerKeys")
            .field("public", &self.public)
            .field("transfer", &self.transfer)
            .finish_non_exhaustive()
    }
}

impl ServerKeys {
    /// Keys from their parts (tests; the server uses [`ServerKeys::load_or_create`]).
    pub fn from_parts(seed: [u8; 32], transfer: TransferKey) -> Self {
        Self {
            public: ServerKey::from_seed(&seed),
            seed,
            transfer,
        }
    }

    /// The keys stored in `storage`, made and stored first where missing.
    pub async fn load_or_create(storage: &dyn Storage) -> Result<Self> {
        let seed = match storage.meta_get(META_SIGNING_KEY).await? {
            Some(hex) => parse_seed(&hex)?,
            None => {
                let mut seed = [0; 32];
                random_bytes(&mut seed)?;
                storage.meta_put(META_SIGNING_KEY, &hex32(&seed)).await?;
                tracing::info!("server signing key created");
                seed
            }
        };
        let transfer = match storage.meta_get(META_TRANSFER_KEY).await? {
            Some(json) => serde_json::from_str::<TransferKey>(&json)
                .map_err(|_| Error::Schema(format!("meta {META_TRANSFER_KEY} does not parse")))?,
            None => {
                let mut key = TransferKey {
                    id: [0; 8],
                    key: [0; 32],
                };
                random_bytes(&mut key.id)?;
                random_bytes(&mut key.key)?;
                let json = serde_json::to_string(&key)
                    .map_err(|e| Error::Schema(format!("transfer key: {e}")))?;
                storage.meta_put(META_TRANSFER_KEY, &json).await?;
                tracing::info!("district transfer key created");
                key
            }
        };
        Ok(Self::from_parts(seed, transfer))
    }

    /// The server's public key.
    pub fn public(&self) -> ServerKey {
        self.public
    }

    /// The district transfer key.
    pub fn transfer(&self) -> &TransferKey {
        &self.transfer
    }

    /// What an enrolled device gets: the public key and the transfer key.
    pub fn district_keys(&self) -> DistrictKeys {
        self.keys_with(self.transfer.clone())
    }

    /// The public key with `transfer_key` (see [`ServerKeys::transfer_of`]).
    pub fn keys_with(&self, transfer_key: TransferKey) -> DistrictKeys {
        DistrictKeys {
            server_key: self.public,
            transfer_key,
        }
    }

    /// The transfer key of district `district`'s files: `None` is the
    /// stored key (the deployment's first district, the one from before
    /// the city, and the city's own devices); every other district gets a
    /// key of its own, derived from the stored one and its id, so a file
    /// sealed in one district does not open in another. Nothing more is
    /// stored, and the same district gets the same key on every call and
    /// every node.
    pub fn transfer_of(&self, district: Option<&str>) -> TransferKey {
        let Some(id) = district else {
            return self.transfer.clone();
        };
        let derive = |label: &[u8], secret: &[u8]| -> [u8; 32] {
            let mut h = Sha256::new();
            h.update(label);
            h.update(secret);
            h.update((id.len() as u64).to_le_bytes());
            h.update(id.as_bytes());
            h.finalize().into()
        };
        let key = derive(b"yanzhen district transfer key\0", &self.transfer.key);
        let full_id = derive(b"yanzhen district transfer key id\0", &key);
        let mut kid = [0u8; 8];
        kid.copy_from_slice(&full_id[..8]);
        TransferKey { id: kid, key }
    }

    /// Device `device_id`'s relay key ([`yanzhen_sync::relay`]): derived
    /// from the signing seed under its own context, so nothing more is
    /// stored and a device's key is the same on every call.
    pub fn device_key(&self, device_id: &str) -> DeviceKey {
        DeviceKey::derive(&self.seed, device_id)
    }

    /// Signs `heads` of `doc` at `issued_at_ms`.
    pub fn attest(
        &self,
        doc: DocumentId,
        heads: Vec<ChangeHash>,
        issued_at_ms: u64,
    ) -> Attestation {
        attest::sign(doc, heads, issued_at_ms, &self.seed)
    }
}

fn hex32(bytes: &[u8; 32]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn parse_seed(hex: &str) -> Result<[u8; 32]> {
    let bad = || Error::Schema(format!("meta {META_SIGNING_KEY} does not parse"));
    if hex.len() != 64 || !hex.is_ascii() {
        return Err(bad());
    }
    let mut seed = [0; 32];
    for (i, b) in seed.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
    }
    Ok(seed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::testing::{TestDb, on_both_backends};

    #[test]
    fn each_district_has_a_transfer_key_of_its_own() {
        let stored = TransferKey {
            id: [1; 8],
            key: [2; 32],
        };
        let keys = ServerKeys::from_parts([3; 32], stored.clone());
        assert_eq!(keys.transfer_of(None), stored);
        let (a, b) = (
            keys.transfer_of(Some("hexi")),
            keys.transfer_of(Some("hudong")),
        );
        assert_eq!(a, keys.transfer_of(Some("hexi")), "stable");
        for (x, y) in [(&a, &b), (&a, &stored), (&b, &stored)] {
            assert_ne!(x.key, y.key);
            assert_ne!(x.id, y.id);
        }
        // Another deployment (another stored key) derives other keys.
        let other = ServerKeys::from_parts(
            [3; 32],
            TransferKey {
                id: [1; 8],
                key: [9; 32],
            },
        );
        assert_ne!(other.transfer_of(Some("hexi")).key, a.key);
        // Ids are length-prefixed: "ab" + "c" is not "a" + "bc".
        assert_ne!(keys.transfer_of(Some("a")), keys.transfer_of(Some("a\0")));
        // A file sealed in one district opens there only.
        let server = keys.public();
        let mut w = yanzhen_sync::file::FileWriter::new("hexi", 1).unwrap();
        w.add_document(
            DocumentId::from_bytes([4; 16]),
            &automerge::Automerge::new(),
        );
        let sealed = w.finish_sealed(&a, [5; 12]);
        assert!(yanzhen_sync::file::read_sealed(&sealed, &a, &server).is_ok());
        assert!(yanzhen_sync::file::read_sealed(&sealed, &b, &server).is_err());
    }

    on_both_backends! {
        async fn keys_are_made_once_and_kept(backend) {
            let db = TestDb::new(backend);
            let first = {
                let s = db.open().await.storage;
                let k = ServerKeys::load_or_create(&*s).await.unwrap();
                s.close().await;
                k
            };
            let s = db.open().await.storage;
            let again = ServerKeys::load_or_create(&*s).await.unwrap();
            assert_eq!(again.public(), first.public());
            assert_eq!(again.transfer(), first.transfer());
            assert_ne!(first.transfer().key, [0; 32]);
            let a = again.attest(DocumentId::from_bytes([1; 16]), vec![], 5);
            a.verify(&first.public()).unwrap();
            // Debug shows no secret.
            let shown = format!("{again:?}");
            assert!(!shown.contains(&hex32(&again.seed)));
            assert!(!shown.contains(&hex32(&again.transfer().key)));
            s.close().await;
        }

        async fn a_damaged_stored_key_is_an_error_not_a_new_key(backend) {
            let db = TestDb::new(backend);
            let s = db.open().await.storage;
            s.meta_put(META_SIGNING_KEY, "not hex").await.unwrap();
            assert!(ServerKeys::load_or_create(&*s).await.is_err());
            assert_eq!(
                s.meta_get(META_SIGNING_KEY).await.unwrap().as_deref(),
                Some("not hex")
            );
            s.close().await;
        }
    }
}
