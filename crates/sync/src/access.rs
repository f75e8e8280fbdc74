//! The access-control hook: before serving a request or applying a sync
//! message, the state machine asks an [`AccessPolicy`] what a peer may do
//! with a document. A closure `Fn(&PeerId, &PeerMetadata, &DocumentId) ->
//! Access` is a policy.

use crate::ids::{DocumentId, PeerId};
use crate::message::PeerMetadata;

/// What a peer may do with a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// Nothing: requests are refused, the document stays invisible.
    None,
    /// Read: the peer gets the document and its changes; its own changes
    /// are not applied.
    Read,
    /// Read and write.
    ReadWrite,
}

impl Access {
    /// May the peer read?
    pub fn can_read(self) -> bool {
        self >= Access::Read
    }

    /// May the peer write?
    pub fn can_write(self) -> bool {
        self == Access::ReadWrite
    }
}

/// Decides what a peer may do with a document. Asked for every incoming
/// request and sync message, so it should be cheap.
pub trait AccessPolicy: Send + Sync {
    /// The access `peer` (which joined with `metadata`) has to `doc`.
    fn access(&self, peer: &PeerId, metadata: &PeerMetadata, doc: &DocumentId) -> Access;
}

impl<F> AccessPolicy for F
where
    F: Fn(&PeerId, &PeerMetadata, &DocumentId) -> Access + Send + Sync,
{
    fn access(&self, peer: &PeerId, metadata: &PeerMetadata, doc: &DocumentId) -> Access {
        self(peer, metadata, doc)
    }
}

/// Everyone may read and write everything (the default).
#[derive(Clone, Copy, Debug, Default)]
pub struct AllowAll;

impl AccessPolicy for AllowAll {
    fn access(&self, _: &PeerId, _: &PeerMetadata, _: &DocumentId) -> Access {
        Access::ReadWrite
    }
}
