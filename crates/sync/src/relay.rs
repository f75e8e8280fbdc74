//! Relaying a device's own edits through another tablet, provably.
//!
//! A village office with no connectivity at all carries its edits to the
//! server on a `.yanzhen` file that another office (a township tablet that
//! has a network) passes on. The carrying tablet must not *apply* those
//! edits (it cannot check them, and the server might refuse them: issue 14,
//! "no change the server will later refuse is ever applied locally"), and
//! the server must accept them only as the *maker's* edits, checked against
//! the maker's rights — never the carrier's.
//!
//! So the maker vouches for its own changes: a [`Vouch`] names the device,
//! the document and the hashes of the changes it made that the server has
//! not confirmed yet, under an HMAC-SHA256 with the device's [`DeviceKey`].
//! The server derives every device's key from one secret of its own
//! ([`DeviceKey::derive`]) and hands each device its key at enrolment
//! (kept under the tablet's data key, like the token). A carrier can neither
//! forge a vouch (it does not know the maker's key) nor slip a change into
//! one (the hashes are under the MAC, and a change's hash commits to its
//! content and ancestry). The server then replays exactly the vouched
//! changes and their ancestors ([`relay_changes`]) *as the maker* through
//! its sync hub, so write rights, authorship and the schema are checked by
//! the same code as a direct sync.
//!
//! Pure: no IO, no clock, no randomness.

use automerge::{Automerge, Change, ChangeHash};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::DocumentId;

type HmacSha256 = Hmac<Sha256>;

/// Domain separation of a device key's derivation.
const KEY_CONTEXT: &[u8] = b"yanzhen-device-key-v1\0";
/// Domain separation of a vouch's MAC.
const VOUCH_CONTEXT: &[u8] = b"yanzhen-vouch-v1\0";
/// The most change hashes one vouch may name (a month of a busy office's
/// edits is a few thousand).
pub const MAX_VOUCHED: usize = 100_000;
/// The longest device id a vouch may name.
pub const MAX_DEVICE_ID: usize = 128;

/// Why a vouch or a relay was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RelayError {
    /// The MAC does not match: not made with this device's key, or altered.
    #[error("the vouch is not the device's (MAC mismatch)")]
    BadMac,
    /// Too many hashes or too long a device id.
    #[error("vouch over its bounds: {0}")]
    TooBig(&'static str),
    /// A vouched change is not in the document it was sent with.
    #[error("vouched change {0} is not in the document")]
    Missing(ChangeHash),
}

/// A device's relay key: HMAC-SHA256 key, 32 bytes. Secret (its `Debug`
/// prints nothing of it).
#[derive(Clone, PartialEq, Eq)]
pub struct DeviceKey(pub [u8; 32]);

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceKey(…)")
    }
}

impl DeviceKey {
    /// The key of device `device_id` under the server's `secret`.
    pub fn derive(secret: &[u8; 32], device_id: &str) -> Self {
        let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes any key length");
        mac.update(KEY_CONTEXT);
        mac.update(device_id.as_bytes());
        Self(mac.finalize().into_bytes().into())
    }

    /// As 64 lowercase hex digits (for JSON).
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// From 64 hex digits.
    pub fn from_hex(s: &str) -> Option<Self> {
        let mut out = [0u8; 32];
        unhex(s, &mut out).then_some(Self(out))
    }
}

/// "Device `device_id` made these changes of `document_id`", under the
/// device's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vouch {
    pub device_id: String,
    pub document_id: DocumentId,
    /// Sorted, without duplicates.
    pub hashes: Vec<ChangeHash>,
    pub mac: [u8; 32],
}

impl Vouch {
    /// Vouches for `hashes` (sorted and deduplicated here).
    pub fn make(
        key: &DeviceKey,
        device_id: &str,
        document_id: DocumentId,
        mut hashes: Vec<ChangeHash>,
    ) -> Result<Self, RelayError> {
        hashes.sort();
        hashes.dedup();
        let mut v = Vouch {
            device_id: device_id.to_owned(),
            document_id,
            hashes,
            mac: [0; 32],
        };
        v.check_bounds()?;
        v.mac = v.compute(key);
        Ok(v)
    }

    fn check_bounds(&self) -> Result<(), RelayError> {
        if self.hashes.len() > MAX_VOUCHED {
            return Err(RelayError::TooBig("change hashes"));
        }
        if self.device_id.len() > MAX_DEVICE_ID {
            return Err(RelayError::TooBig("device id"));
        }
        Ok(())
    }

    fn compute(&self, key: &DeviceKey) -> [u8; 32] {
        let mut mac = HmacSha256::new_from_slice(&key.0).expect("HMAC takes any key length");
        mac.update(&self.signed_bytes());
        mac.finalize().into_bytes().into()
    }

    /// The bytes under the MAC: context, device id (length-prefixed),
    /// document id, number of hashes, the hashes in order.
    pub fn signed_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.device_id.len() + 32 * self.hashes.len());
        out.extend_from_slice(VOUCH_CONTEXT);
        out.extend_from_slice(&(self.device_id.len() as u32).to_le_bytes());
        out.extend_from_slice(self.device_id.as_bytes());
        out.extend_from_slice(self.document_id.as_bytes());
        out.extend_from_slice(&(self.hashes.len() as u32).to_le_bytes());
        for h in &self.hashes {
            out.extend_from_slice(&h.0);
        }
        out
    }

    /// Checks the bounds, the order and the MAC (in constant time).
    pub fn verify(&self, key: &DeviceKey) -> Result<(), RelayError> {
        self.check_bounds()?;
        if self.hashes.windows(2).any(|w| w[0] >= w[1]) {
            return Err(RelayError::BadMac);
        }
        let mut mac = HmacSha256::new_from_slice(&key.0).expect("HMAC takes any key length");
        mac.update(&self.signed_bytes());
        mac.verify_slice(&self.mac).map_err(|_| RelayError::BadMac)
    }
}

/// The changes of `doc` that the server has not confirmed (not `confirmed`
/// heads nor their ancestors) and that `is_mine` says this device made
/// (from the change's metadata: the model's change message names the
/// device). What a tablet vouches for when it writes a file.
pub fn own_unconfirmed(
    doc: &Automerge,
    confirmed: &[ChangeHash],
    mut is_mine: impl FnMut(&automerge::ChangeMetadata<'_>) -> bool,
) -> Vec<ChangeHash> {
    let confirmed: std::collections::HashSet<ChangeHash> = if confirmed.is_empty() {
        Default::default()
    } else {
        match doc.fork_at(confirmed) {
            Ok(f) => f
                .get_changes_meta(&[])
                .into_iter()
                .map(|m| m.hash)
                .collect(),
            // Attested heads this tablet does not have: nothing counts as confirmed.
            Err(_) => Default::default(),
        }
    };
    doc.get_changes_meta(&[])
        .into_iter()
        .filter(|m| !confirmed.contains(&m.hash) && is_mine(m))
        .map(|m| m.hash)
        .collect()
}

/// What a relay sends on the maker's behalf: the vouched changes of `doc`
/// and their ancestors, and nothing else (a change of the carrier's file
/// that is neither is left out, whatever it claims).
pub fn relay_changes(doc: &Automerge, vouch: &Vouch) -> Result<Vec<Change>, RelayError> {
    if let Some(missing) = vouch
        .hashes
        .iter()
        .find(|h| doc.get_change_meta_by_hash(h).is_none())
    {
        return Err(RelayError::Missing(*missing));
    }
    let fork = doc
        .fork_at(&vouch.hashes)
        .map_err(|_| RelayError::Missing(vouch.hashes[0]))?;
    Ok(fork.get_changes(&[]))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str, out: &mut [u8]) -> bool {
    if s.len() != out.len() * 2 || !s.is_ascii() {
        return false;
    }
    for (i, o) in out.iter_mut().enumerate() {
        match u8::from_str_radix(&s[2 * i..2 * i + 2], 16) {
            Ok(b) => *o = b,
            Err(_) => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::{ROOT, transaction::Transactable};

    fn edit(doc: &mut Automerge, key: &str, message: &str) -> ChangeHash {
        doc.transact_with(
            |_| automerge::transaction::CommitOptions::default().with_message(message.to_owned()),
            |tx| tx.put(ROOT, key, "v"),
        )
        .unwrap()
        .hash
        .unwrap()
    }

    #[test]
    fn keys_differ_by_device_and_secret_and_print_nothing() {
        let a = DeviceKey::derive(&[1; 32], "dev-a");
        assert_ne!(a, DeviceKey::derive(&[1; 32], "dev-b"));
        assert_ne!(a, DeviceKey::derive(&[2; 32], "dev-a"));
        assert_eq!(a, DeviceKey::derive(&[1; 32], "dev-a"));
        assert_eq!(format!("{a:?}"), "DeviceKey(…)");
        assert_eq!(DeviceKey::from_hex(&a.to_hex()), Some(a));
        assert_eq!(DeviceKey::from_hex("zz"), None);
    }

    #[test]
    fn a_vouch_verifies_only_with_its_key_and_unaltered() {
        let key = DeviceKey::derive(&[1; 32], "dev-a");
        let doc = DocumentId::from_bytes([7; 16]);
        let v = Vouch::make(
            &key,
            "dev-a",
            doc,
            vec![ChangeHash([3; 32]), ChangeHash([2; 32])],
        )
        .unwrap();
        assert_eq!(v.hashes, vec![ChangeHash([2; 32]), ChangeHash([3; 32])]);
        v.verify(&key).unwrap();
        assert_eq!(
            v.verify(&DeviceKey::derive(&[1; 32], "dev-b")),
            Err(RelayError::BadMac)
        );
        let mut slipped = v.clone();
        slipped.hashes.push(ChangeHash([9; 32]));
        assert_eq!(slipped.verify(&key), Err(RelayError::BadMac));
        let mut renamed = v.clone();
        renamed.device_id = "dev-b".into();
        assert_eq!(renamed.verify(&key), Err(RelayError::BadMac));
        let mut moved = v.clone();
        moved.document_id = DocumentId::from_bytes([8; 16]);
        assert_eq!(moved.verify(&key), Err(RelayError::BadMac));
        let mut unsorted = v;
        unsorted.hashes.reverse();
        assert_eq!(unsorted.verify(&key), Err(RelayError::BadMac));
    }

    #[test]
    fn vouches_are_bounded() {
        let key = DeviceKey([0; 32]);
        let doc = DocumentId::from_bytes([7; 16]);
        let many = (0..=MAX_VOUCHED as u32)
            .map(|i| {
                let mut h = [0u8; 32];
                h[..4].copy_from_slice(&i.to_le_bytes());
                ChangeHash(h)
            })
            .collect();
        assert_eq!(
            Vouch::make(&key, "d", doc, many),
            Err(RelayError::TooBig("change hashes"))
        );
        assert_eq!(
            Vouch::make(&key, &"d".repeat(MAX_DEVICE_ID + 1), doc, vec![]),
            Err(RelayError::TooBig("device id"))
        );
    }

    #[test]
    fn own_unconfirmed_is_what_this_device_made_after_the_confirmed_heads() {
        let mut doc = Automerge::new();
        let server_made = edit(&mut doc, "a", "other");
        let mine_confirmed = edit(&mut doc, "b", "me");
        let confirmed = doc.get_heads();
        let theirs_unconfirmed = edit(&mut doc, "c", "other");
        let mine_new = edit(&mut doc, "d", "me");
        let mine = |m: &automerge::ChangeMetadata<'_>| m.message.as_deref() == Some("me");
        assert_eq!(own_unconfirmed(&doc, &confirmed, mine), vec![mine_new]);
        let all_mine = own_unconfirmed(&doc, &[], mine);
        assert_eq!(all_mine, vec![mine_confirmed, mine_new]);
        let _ = (server_made, theirs_unconfirmed);
        // Heads the tablet does not have confirm nothing.
        assert_eq!(own_unconfirmed(&doc, &[ChangeHash([5; 32])], mine).len(), 2);
    }

    #[test]
    fn a_relay_sends_the_vouched_changes_and_their_ancestors_only() {
        let mut maker = Automerge::new();
        let base = edit(&mut maker, "a", "base");
        let mine = edit(&mut maker, "b", "me");
        // The carrier's copy also holds a change of its own, concurrent.
        let mut carried = maker.fork();
        let mut other = maker.fork_at(&[base]).unwrap();
        let slipped = edit(&mut other, "x", "slipped in");
        carried.apply_changes(other.get_changes(&[])).unwrap();
        let key = DeviceKey::derive(&[1; 32], "dev-a");
        let v = Vouch::make(&key, "dev-a", DocumentId::from_bytes([1; 16]), vec![mine]).unwrap();
        let sent: Vec<ChangeHash> = relay_changes(&carried, &v)
            .unwrap()
            .iter()
            .map(|c| c.hash())
            .collect();
        assert!(sent.contains(&base) && sent.contains(&mine), "{sent:?}");
        assert!(!sent.contains(&slipped));
        // A vouch for a change the file does not hold is refused.
        let absent = Vouch::make(&key, "dev-a", v.document_id, vec![ChangeHash([4; 32])]).unwrap();
        assert!(matches!(
            relay_changes(&carried, &absent),
            Err(RelayError::Missing(_))
        ));
    }
}
