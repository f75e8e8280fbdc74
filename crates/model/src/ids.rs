//! Identifiers: record ids (UUIDs made on the device from caller-supplied
//! random bytes) and document ids (16 random bytes, the automerge-repo id).

use std::fmt;

use autosurgeon::{Hydrate, HydrateError, Reconcile, Reconciler};
use serde::{Deserialize, Serialize};

/// The id of a record: a hyphenated UUID string. Collections are maps keyed by
/// this string, so records added concurrently on two devices never collide.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Id(String);

impl Id {
    /// A new random (v4) id built from 16 caller-supplied random bytes
    /// (WebCrypto in the browser, the OS on the server, a seeded RNG in tests).
    pub fn from_random_bytes(bytes: [u8; 16]) -> Self {
        Id(uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .hyphenated()
            .to_string())
    }

    /// Wraps an existing id string (as read from a document or a URL).
    /// Use [`Id::parse`] to check that it is a UUID.
    pub fn from_string(s: impl Into<String>) -> Self {
        Id(s.into())
    }

    /// Parses a UUID string; `None` if it is not a UUID.
    pub fn parse(s: &str) -> Option<Self> {
        uuid::Uuid::try_parse(s)
            .ok()
            .map(|u| Id(u.hyphenated().to_string()))
    }

    /// Whether this id is a well-formed UUID.
    pub fn is_valid(&self) -> bool {
        uuid::Uuid::try_parse(&self.0).is_ok()
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for Id {
    fn from(s: String) -> Self {
        Id(s)
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Reconcile for Id {
    type Key<'a> = autosurgeon::reconcile::NoKey;
    fn reconcile<R: Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        reconciler.str(&self.0)
    }
}

impl Hydrate for Id {
    fn hydrate_string(s: &'_ str) -> Result<Self, HydrateError> {
        Ok(Id(s.to_string()))
    }
}

/// The id of an Automerge document as synced by automerge-repo: 16 random
/// bytes (the sync crate encodes them base58check). Displayed as a UUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct DocId(pub [u8; 16]);

impl DocId {
    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Parses the UUID (or 32-hex-digit) form produced by `Display`.
    pub fn parse(s: &str) -> Option<Self> {
        uuid::Uuid::try_parse(s).ok().map(|u| DocId(*u.as_bytes()))
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", uuid::Uuid::from_bytes(self.0).hyphenated())
    }
}

impl From<DocId> for String {
    fn from(d: DocId) -> String {
        d.to_string()
    }
}

impl TryFrom<String> for DocId {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        DocId::parse(&s).ok_or_else(|| format!("not a document id: {s}"))
    }
}

impl Reconcile for DocId {
    type Key<'a> = autosurgeon::reconcile::NoKey;
    fn reconcile<R: Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        reconciler.str(self.to_string())
    }
}

impl Hydrate for DocId {
    fn hydrate_string(s: &'_ str) -> Result<Self, HydrateError> {
        DocId::parse(s).ok_or_else(|| HydrateError::unexpected("a document id", s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        let id = Id::from_random_bytes([7; 16]);
        assert!(id.is_valid());
        assert_eq!(Id::parse(id.as_str()), Some(id.clone()));
        assert!(!Id::from_string("x").is_valid());
        let d = DocId([1; 16]);
        assert_eq!(DocId::parse(&d.to_string()), Some(d));
    }
}
