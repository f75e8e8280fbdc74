//! The district's keys and the server's **attestations**: what a tablet
//! needs to prove that a document's changes are ones the server has
//! accepted, when those changes travel in a `.yanzhen` file
//! ([`crate::file`], version 2) instead of over a connection.
//!
//! * [`ServerKey`]: the server's Ed25519 public key.
//! * [`TransferKey`]: the district's AES-256-GCM key for files, with an
//!   8-byte id written in each file's clear header (so a file of another
//!   district is recognised without trying to decrypt it).
//! * [`DistrictKeys`]: both, as `POST /api/enrol` and `GET /api/me` hand
//!   them to an enrolled device.
//! * [`Attestation`]: a document's heads signed by the server
//!   (`POST /api/attest`). Everything those heads reach through the
//!   changes' dependencies is what the server has: a change's hash covers
//!   its dependencies' hashes, so nothing can be slipped in below signed
//!   heads.
//!
//! The signed bytes ([`Attestation::signed_bytes`]) are
//! `b"yanzhen-attest-v1\0" ‖ document id (16) ‖ issued_at_ms (u64 LE) ‖
//! number of heads (u32 LE) ‖ heads, sorted (32 bytes each)`.
//!
//! Pure: no clock, no randomness (the server makes keys and passes the
//! time), so it builds for wasm32 and the signing code is the same crate
//! on both sides.
//!
//! # JSON
//!
//! ```json
//! {"serverKey": "<64 hex>", "transferKey": {"id": "<16 hex>", "key": "<64 hex>"}}
//! {"documentId": "<base58check>", "heads": ["<64 hex>", …], "issuedAtMs": 1700000000000,
//!  "signature": "<128 hex>"}
//! ```
//!
//! # Example
//!
//! ```
//! use yanzhen_sync::{attest::{self, ServerKey}, DocumentId};
//! let seed = [9; 32];
//! let a = attest::sign(DocumentId::from_bytes([1; 16]), vec![], 1_700_000_000_000, &seed);
//! a.verify(&ServerKey::from_seed(&seed)).unwrap();
//! assert!(a.verify(&ServerKey::from_seed(&[8; 32])).is_err());
//! ```

use std::fmt;

use automerge::ChangeHash;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::DocumentId;

/// The domain separation prefix of [`Attestation::signed_bytes`].
pub const ATTEST_CONTEXT: &[u8] = b"yanzhen-attest-v1\0";
/// The most heads one attestation may carry (a document has a handful; the
/// file reader refuses more).
pub const MAX_HEADS: usize = 1024;

/// Why an attestation does not hold.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum AttestError {
    /// The server key is not a valid Ed25519 public key.
    #[error("not a valid server key")]
    BadKey,
    /// The signature does not match the document, time and heads under the
    /// server's key (another key, or edited content).
    #[error("the signature does not match")]
    BadSignature,
    /// More than [`MAX_HEADS`] heads.
    #[error("too many heads: {0}")]
    TooManyHeads(usize),
}

/// The server's Ed25519 public key (serde: 64 lowercase hex digits).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ServerKey(pub [u8; 32]);

impl ServerKey {
    /// The public key of the signing key with this 32-byte seed.
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self(SigningKey::from_bytes(seed).verifying_key().to_bytes())
    }
}

impl fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ServerKey({})", to_hex(&self.0))
    }
}

impl Serialize for ServerKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&to_hex(&self.0))
    }
}

impl<'de> Deserialize<'de> for ServerKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self(hex_field(d)?))
    }
}

/// The district's key for `.yanzhen` files (AES-256-GCM) and its id,
/// written in clear in each file. Serde: `{"id": "<16 hex>", "key": "<64
/// hex>"}`. `Debug` shows the id only.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferKey {
    /// Which key: random, the same for every device of the district.
    #[serde(with = "hex_array")]
    pub id: [u8; 8],
    /// The AES-256 key.
    #[serde(with = "hex_array")]
    pub key: [u8; 32],
}

impl fmt::Debug for TransferKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "TransferKey {{ id: {}, key: <hidden> }}",
            to_hex(&self.id)
        )
    }
}

/// What an enrolled device gets with its enrolment and `GET /api/me`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DistrictKeys {
    /// Verifies [`Attestation`]s.
    pub server_key: ServerKey,
    /// Seals and opens `.yanzhen` files.
    pub transfer_key: TransferKey,
}

/// A document's heads as the server had them durably stored at
/// `issued_at_ms`, signed by the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attestation {
    /// The document (serde: its base58check string, as elsewhere in the API).
    #[serde(with = "doc_id_str")]
    pub document_id: DocumentId,
    /// Its heads (serde: 64 hex digits each).
    #[serde(with = "heads_hex")]
    pub heads: Vec<ChangeHash>,
    /// When the server signed, milliseconds since the Unix epoch.
    pub issued_at_ms: u64,
    /// The Ed25519 signature over [`Attestation::signed_bytes`] (serde: 128
    /// hex digits).
    #[serde(with = "hex_array")]
    pub signature: [u8; 64],
}

impl Attestation {
    /// The bytes the server signs (see the module docs); heads sorted, so
    /// their order in [`Attestation::heads`] does not matter.
    pub fn signed_bytes(&self) -> Vec<u8> {
        signed_bytes(&self.document_id, &self.heads, self.issued_at_ms)
    }

    /// Checks the signature under the server's key.
    pub fn verify(&self, key: &ServerKey) -> Result<(), AttestError> {
        if self.heads.len() > MAX_HEADS {
            return Err(AttestError::TooManyHeads(self.heads.len()));
        }
        let vk = VerifyingKey::from_bytes(&key.0).map_err(|_| AttestError::BadKey)?;
        let sig = Signature::from_bytes(&self.signature);
        vk.verify_strict(&self.signed_bytes(), &sig)
            .map_err(|_| AttestError::BadSignature)
    }
}

fn signed_bytes(document_id: &DocumentId, heads: &[ChangeHash], issued_at_ms: u64) -> Vec<u8> {
    let mut sorted: Vec<&ChangeHash> = heads.iter().collect();
    yanzhen_model::sorting::sort(&mut sorted);
    let mut out = Vec::with_capacity(ATTEST_CONTEXT.len() + 16 + 8 + 4 + 32 * heads.len());
    out.extend_from_slice(ATTEST_CONTEXT);
    out.extend_from_slice(document_id.as_bytes());
    out.extend_from_slice(&issued_at_ms.to_le_bytes());
    out.extend_from_slice(&(sorted.len() as u32).to_le_bytes());
    for h in sorted {
        out.extend_from_slice(&h.0);
    }
    out
}

/// The server's attestation of `heads` of `document_id` at `issued_at_ms`,
/// signed with the Ed25519 key of this 32-byte `seed`.
pub fn sign(
    document_id: DocumentId,
    heads: Vec<ChangeHash>,
    issued_at_ms: u64,
    seed: &[u8; 32],
) -> Attestation {
    let key = SigningKey::from_bytes(seed);
    let signature = key
        .sign(&signed_bytes(&document_id, &heads, issued_at_ms))
        .to_bytes();
    Attestation {
        document_id,
        heads,
        issued_at_ms,
        signature,
    }
}

/// Lowercase hex.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// Exactly `N` bytes of hex (either case).
pub(crate) fn from_hex<const N: usize>(s: &str) -> Option<[u8; N]> {
    let s = s.as_bytes();
    if s.len() != 2 * N {
        return None;
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = [0; N];
    for (o, pair) in out.iter_mut().zip(s.chunks_exact(2)) {
        *o = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

fn hex_field<'de, D: Deserializer<'de>, const N: usize>(d: D) -> Result<[u8; N], D::Error> {
    let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    from_hex(&s).ok_or_else(|| serde::de::Error::custom(format!("expected {} hex digits", 2 * N)))
}

mod hex_array {
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer, const N: usize>(a: &[u8; N], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::to_hex(a))
    }

    pub fn deserialize<'de, D: Deserializer<'de>, const N: usize>(
        d: D,
    ) -> Result<[u8; N], D::Error> {
        super::hex_field(d)
    }
}

mod heads_hex {
    use automerge::ChangeHash;
    use serde::{Deserialize, Deserializer, Serializer, ser::SerializeSeq};

    pub fn serialize<S: Serializer>(heads: &[ChangeHash], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(heads.len()))?;
        for h in heads {
            seq.serialize_element(&super::to_hex(&h.0))?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ChangeHash>, D::Error> {
        let v = <Vec<std::borrow::Cow<'de, str>>>::deserialize(d)?;
        if v.len() > super::MAX_HEADS {
            return Err(serde::de::Error::custom("too many heads"));
        }
        v.iter()
            .map(|s| {
                super::from_hex::<32>(s)
                    .map(ChangeHash)
                    .ok_or_else(|| serde::de::Error::custom("a head is not 64 hex digits"))
            })
            .collect()
    }
}

mod doc_id_str {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::DocumentId;

    pub fn serialize<S: Serializer>(id: &DocumentId, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(id)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DocumentId, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(n: u8) -> ChangeHash {
        ChangeHash([n; 32])
    }

    #[test]
    fn signs_and_verifies_with_heads_in_any_order() {
        let seed = [3; 32];
        let key = ServerKey::from_seed(&seed);
        let doc = DocumentId::from_bytes([5; 16]);
        let mut a = sign(doc, vec![h(2), h(1)], 42, &seed);
        a.verify(&key).unwrap();
        a.heads.reverse();
        a.verify(&key).unwrap();
    }

    #[test]
    fn any_edit_breaks_the_signature() {
        let seed = [3; 32];
        let key = ServerKey::from_seed(&seed);
        let a = sign(DocumentId::from_bytes([5; 16]), vec![h(1)], 42, &seed);
        let mut b = a.clone();
        b.heads.push(h(9));
        assert_eq!(b.verify(&key), Err(AttestError::BadSignature));
        let mut b = a.clone();
        b.issued_at_ms += 1;
        assert_eq!(b.verify(&key), Err(AttestError::BadSignature));
        let mut b = a.clone();
        b.document_id = DocumentId::from_bytes([6; 16]);
        assert_eq!(b.verify(&key), Err(AttestError::BadSignature));
        let mut b = a.clone();
        b.signature[10] ^= 1;
        assert_eq!(b.verify(&key), Err(AttestError::BadSignature));
        assert_eq!(
            a.verify(&ServerKey::from_seed(&[4; 32])),
            Err(AttestError::BadSignature)
        );
    }

    #[test]
    fn signed_bytes_layout() {
        let a = sign(
            DocumentId::from_bytes([5; 16]),
            vec![h(2), h(1)],
            7,
            &[3; 32],
        );
        let b = a.signed_bytes();
        assert_eq!(&b[..18], b"yanzhen-attest-v1\0");
        assert_eq!(&b[18..34], &[5; 16]);
        assert_eq!(&b[34..42], &7u64.to_le_bytes());
        assert_eq!(&b[42..46], &2u32.to_le_bytes());
        assert_eq!(&b[46..78], &[1; 32]);
        assert_eq!(&b[78..110], &[2; 32]);
        assert_eq!(b.len(), 110);
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn json_shapes() {
        let keys = DistrictKeys {
            server_key: ServerKey([0xab; 32]),
            transfer_key: TransferKey {
                id: [1; 8],
                key: [0xcd; 32],
            },
        };
        let v = serde_json::to_value(&keys).unwrap();
        assert_eq!(v["serverKey"], "ab".repeat(32));
        assert_eq!(v["transferKey"]["id"], "01".repeat(8));
        assert_eq!(v["transferKey"]["key"], "cd".repeat(32));
        assert_eq!(serde_json::from_value::<DistrictKeys>(v).unwrap(), keys);
        assert!(!format!("{keys:?}").contains("cdcd"));

        let a = sign(DocumentId::from_bytes([5; 16]), vec![h(1)], 7, &[3; 32]);
        let v = serde_json::to_value(&a).unwrap();
        assert_eq!(v["documentId"], DocumentId::from_bytes([5; 16]).to_string());
        assert_eq!(v["heads"][0], "01".repeat(32));
        assert_eq!(v["issuedAtMs"], 7);
        assert_eq!(v["signature"].as_str().unwrap().len(), 128);
        assert_eq!(serde_json::from_value::<Attestation>(v).unwrap(), a);
        assert!(serde_json::from_str::<ServerKey>("\"abc\"").is_err());
        assert!(serde_json::from_str::<ServerKey>(&format!("\"{}\"", "zz".repeat(32))).is_err());
    }
}
