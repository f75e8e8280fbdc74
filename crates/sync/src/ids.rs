//! Identifiers used on the wire: [`DocumentId`] (16 bytes, base58check as
//! automerge-repo's `bs58check` encodes them, URLs `automerge:<id>`),
//! [`PeerId`], [`StorageId`], [`SessionId`] and the transport-level
//! [`ConnectionId`]. None of them generate randomness: random bytes come from
//! the caller.

use std::fmt;
use std::str::FromStr;

use crate::Error;

/// The URL scheme prefix automerge-repo uses for documents.
pub const URL_PREFIX: &str = "automerge:";

/// A document id: 16 (random) bytes, shown as base58check.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocumentId([u8; 16]);

impl DocumentId {
    /// A document id from 16 bytes (pass random bytes for a new document).
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// The raw 16 bytes.
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// The `automerge:<id>` URL of this document.
    pub fn to_url(&self) -> String {
        format!("{URL_PREFIX}{self}")
    }

    /// Parses an `automerge:<id>` URL. A `#heads` suffix (as newer
    /// automerge-repo writes for a view at given heads) is accepted and ignored.
    pub fn from_url(url: &str) -> Result<Self, Error> {
        let rest = url
            .strip_prefix(URL_PREFIX)
            .ok_or_else(|| Error::InvalidDocumentId(format!("not an automerge URL: {url:?}")))?;
        let id = rest.split('#').next().unwrap_or_default();
        id.parse()
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&bs58::encode(&self.0).with_check().into_string())
    }
}

impl fmt::Debug for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocumentId({self})")
    }
}

impl FromStr for DocumentId {
    type Err = Error;

    /// Parses the base58check form (not the URL: see [`DocumentId::from_url`]).
    fn from_str(s: &str) -> Result<Self, Error> {
        // 16 bytes + 4 check bytes never need more than 28 base58 digits.
        if s.is_empty() || s.len() > 40 {
            return Err(Error::InvalidDocumentId(format!("bad length: {s:?}")));
        }
        let bytes = bs58::decode(s)
            .with_check(None)
            .into_vec()
            .map_err(|e| Error::InvalidDocumentId(format!("{s:?}: {e}")))?;
        let bytes: [u8; 16] = bytes.try_into().map_err(|b: Vec<u8>| {
            Error::InvalidDocumentId(format!("{s:?}: {} bytes, expected 16", b.len()))
        })?;
        Ok(Self(bytes))
    }
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
        pub struct $name(String);

        impl $name {
            /// Wraps a string as this id.
            pub fn new(s: impl Into<String>) -> Self {
                Self(s.into())
            }

            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }
    };
}

string_id!(
    /// A peer id (automerge-repo uses arbitrary strings, e.g. `peer-abc123`).
    PeerId
);
string_id!(
    /// A storage id: names a peer's durable storage (automerge-repo uses a
    /// UUID v4 string). A peer announcing one (and `isEphemeral: false`) is
    /// one whose sync state and heads others may remember.
    StorageId
);
string_id!(
    /// An ephemeral-message session id (random per sender process).
    SessionId
);

/// Formats 16 random bytes as a UUID v4 string (automerge-repo's storage id
/// format). The version and variant bits are forced.
pub fn uuid_v4_string(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let h = hex(&bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

impl StorageId {
    /// A new storage id (UUID v4 form) from 16 random bytes.
    pub fn from_random(bytes: [u8; 16]) -> Self {
        Self(uuid_v4_string(bytes))
    }
}

impl PeerId {
    /// A new peer id `<prefix>-<hex>` from random bytes.
    pub fn from_random(prefix: &str, bytes: &[u8]) -> Self {
        Self(format!("{prefix}-{}", hex(bytes)))
    }
}

/// Lower-case hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// A transport connection, numbered by the IO layer that owns the sockets.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct ConnectionId(pub u64);

impl fmt::Display for ConnectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "conn#{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Produced by JS automerge-repo 2.5.6:
    // stringifyAutomergeUrl({ documentId: new Uint8Array([0, 1, …, 15]) })
    const JS_URL: &str = "automerge:1Bhh3pU9gLXZiNDL6PEa1Gs9fh";
    // …and for 16 × 0xff.
    const JS_URL_FF: &str = "automerge:4ZrjxJnU1LA5xSyrWMNuXTozYEvA";

    #[test]
    fn matches_js_automerge_repo() {
        let bytes: [u8; 16] = std::array::from_fn(|i| i as u8);
        let id = DocumentId::from_bytes(bytes);
        assert_eq!(id.to_url(), JS_URL);
        assert_eq!(DocumentId::from_url(JS_URL).unwrap(), id);
        assert_eq!(
            "1Bhh3pU9gLXZiNDL6PEa1Gs9fh".parse::<DocumentId>().unwrap(),
            id
        );
        let ff = DocumentId::from_bytes([0xff; 16]);
        assert_eq!(ff.to_url(), JS_URL_FF);
        assert_eq!(DocumentId::from_url(JS_URL_FF).unwrap(), ff);
    }

    #[test]
    fn url_with_heads_suffix_is_accepted() {
        let id = DocumentId::from_url("automerge:1Bhh3pU9gLXZiNDL6PEa1Gs9fh#abc|def").unwrap();
        assert_eq!(id.as_bytes()[15], 15);
    }

    #[test]
    fn rejects_bad_ids() {
        // Checksum broken (last character changed).
        assert!("1Bhh3pU9gLXZiNDL6PEa1Gs9fi".parse::<DocumentId>().is_err());
        // Not base58 ('0' and 'l' are not in the alphabet).
        assert!("0l".parse::<DocumentId>().is_err());
        assert!("".parse::<DocumentId>().is_err());
        // Valid base58check, wrong length (4 bytes).
        let short = bs58::encode([1u8, 2, 3, 4]).with_check().into_string();
        assert!(short.parse::<DocumentId>().is_err());
        assert!(DocumentId::from_url("1Bhh3pU9gLXZiNDL6PEa1Gs9fh").is_err());
        // Legacy UUID document ids are not accepted on the wire.
        assert!(
            "a6f4e5c2-0b8a-4c1e-9a3e-1f2d3c4b5a69"
                .parse::<DocumentId>()
                .is_err()
        );
    }

    #[test]
    fn storage_id_is_uuid_v4() {
        let s = StorageId::from_random([0xab; 16]);
        assert_eq!(s.as_str(), "abababab-abab-4bab-abab-abababababab");
    }
}
