//! Who may read and write which document: [`Role`]s, the [`Directory`]
//! (the district document's unit directory: unit → parent, kind and
//! document), the pure rule [`access`] and [`ServerPolicy`], the
//! [`AccessPolicy`] the sync hub's node asks, keyed by the authenticated
//! device behind each peer.
//!
//! | role | own unit's document | units whose parent is its unit | district document | other documents |
//! |---|---|---|---|---|
//! | village/community office ([`Role::Village`]) | read-write | – | read | – |
//! | township/street office ([`Role::Township`]) | – | read-write | read | – |
//! | district admin ([`Role::Admin`]) | read-write | read-write | read-write | read-write |
//! | viewer ([`Role::Viewer`]) | read | read | read | read |

use std::{
    collections::{BTreeMap, HashMap},
    fmt,
    str::FromStr,
    sync::{Arc, RwLock},
};

use automerge::Automerge;
use yanzhen_model::entities::{Unit, UnitKind};
use yanzhen_sync::{Access, AccessPolicy, DocumentId, PeerId, PeerMetadata};

use crate::{
    Error, Result,
    storage::{META_DISTRICT_DOCUMENT, Storage, prefix_key, split_key},
};

/// What an enrolled device is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// A village or community office: read-write its unit's document.
    Village,
    /// A township or street office: read-write the documents of its units.
    Township,
    /// The district admin: read-write everything, manages devices.
    Admin,
    /// Read-only everything.
    Viewer,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [Role::Village, Role::Township, Role::Admin, Role::Viewer];

    /// The stable name (database, API, CLI): `village`, `township`, `admin`,
    /// `viewer`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Village => "village",
            Role::Township => "township",
            Role::Admin => "admin",
            Role::Viewer => "viewer",
        }
    }

    /// Whether the role belongs to one unit (and needs one).
    pub fn has_unit(self) -> bool {
        matches!(self, Role::Village | Role::Township)
    }

    /// Whether `kind` is the kind of unit this role belongs to.
    pub fn fits_unit(self, kind: UnitKind) -> bool {
        match self {
            Role::Village => matches!(kind, UnitKind::Village | UnitKind::Community),
            Role::Township => matches!(kind, UnitKind::Township | UnitKind::Street),
            Role::Admin | Role::Viewer => false,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = Error;

    /// The names of [`Role::as_str`], plus `community`, `street`,
    /// `district-admin`/`district_admin`/`districtAdmin`; case-insensitive.
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "village" | "community" => Ok(Role::Village),
            "township" | "street" => Ok(Role::Township),
            "admin" | "district-admin" | "district_admin" | "districtadmin" => Ok(Role::Admin),
            "viewer" => Ok(Role::Viewer),
            _ => Err(Error::Access(format!(
                "unknown role {s:?} (village, township, admin, viewer)"
            ))),
        }
    }
}

/// One unit of the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitEntry {
    /// The unit's record id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its level.
    pub kind: UnitKind,
    /// The parent unit's id.
    pub parent: Option<String>,
    /// The unit's own document (villages and communities).
    pub doc: Option<DocumentId>,
}

/// The district document's id and its unit directory, as the server last
/// read them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directory {
    /// The district document, if there is one.
    pub district: Option<DocumentId>,
    /// Units by id.
    pub units: BTreeMap<String, UnitEntry>,
    by_doc: HashMap<DocumentId, String>,
}

impl Directory {
    /// A directory of `units` for the district document `district`.
    pub fn new(district: Option<DocumentId>, units: impl IntoIterator<Item = UnitEntry>) -> Self {
        let units: BTreeMap<String, UnitEntry> =
            units.into_iter().map(|u| (u.id.clone(), u)).collect();
        let by_doc = units
            .values()
            .filter_map(|u| u.doc.map(|d| (d, u.id.clone())))
            .collect();
        Self {
            district,
            units,
            by_doc,
        }
    }

    /// Reads the unit directory (`units` at the root) of a district document.
    pub fn from_district(district: DocumentId, am: &Automerge) -> Result<Self> {
        let units: BTreeMap<String, Unit> = autosurgeon::hydrate_prop(am, automerge::ROOT, "units")
            .map_err(|e| Error::Access(format!("district document's unit directory: {e}")))?;
        Ok(Self::new(
            Some(district),
            units.into_values().map(|u| UnitEntry {
                id: u.id.to_string(),
                name: u.name,
                kind: u.kind,
                parent: u.parent.map(|p| p.to_string()),
                doc: u.doc_id.map(|d| DocumentId::from_bytes(d.0)),
            }),
        ))
    }

    /// Loads the district document named by the `meta` table from storage
    /// (an empty directory while there is none).
    pub async fn load(storage: &dyn Storage) -> Result<Self> {
        let Some(id) = storage.meta_get(META_DISTRICT_DOCUMENT).await? else {
            return Ok(Self::default());
        };
        let district: DocumentId = id
            .parse()
            .map_err(|e| Error::Access(format!("meta {META_DISTRICT_DOCUMENT}: {e}")))?;
        let chunks = storage
            .list_prefix(&prefix_key(&[district.to_string()])?)
            .await?
            .into_iter()
            .map(|(k, v)| (split_key(&k), v));
        match yanzhen_sync::storage::load_document(chunks)
            .map_err(|e| Error::Access(format!("district document: {e}")))?
        {
            Some((am, _)) => Self::from_district(district, &am),
            None => Ok(Self::new(Some(district), [])),
        }
    }

    /// The unit that owns `doc`.
    pub fn unit_of(&self, doc: &DocumentId) -> Option<&UnitEntry> {
        self.by_doc.get(doc).and_then(|id| self.units.get(id))
    }

    /// A unit by id or, failing that, by exact name (must be unambiguous).
    pub fn find_unit(&self, id_or_name: &str) -> Option<&UnitEntry> {
        if let Some(u) = self.units.get(id_or_name) {
            return Some(u);
        }
        let mut named = self.units.values().filter(|u| u.name == id_or_name);
        match (named.next(), named.next()) {
            (Some(u), None) => Some(u),
            _ => None,
        }
    }

    /// Every document a device with `role` (of `unit`) may use, with its
    /// access: the district document first, then unit documents by unit id.
    pub fn documents_for(&self, role: Role, unit: Option<&str>) -> Vec<(DocumentId, Access)> {
        let mut out = Vec::new();
        if let Some(d) = self.district {
            out.push((d, access(self, role, unit, &d)));
        }
        for u in self.units.values() {
            if let Some(doc) = u.doc {
                let a = access(self, role, unit, &doc);
                if a.can_read() {
                    out.push((doc, a));
                }
            }
        }
        out
    }
}

/// What a device with `role` (belonging to `unit`) may do with `doc`.
pub fn access(dir: &Directory, role: Role, unit: Option<&str>, doc: &DocumentId) -> Access {
    match role {
        Role::Admin => Access::ReadWrite,
        Role::Viewer => Access::Read,
        Role::Village | Role::Township => {
            if dir.district.as_ref() == Some(doc) {
                return Access::Read;
            }
            let (Some(unit), Some(owner)) = (unit, dir.unit_of(doc)) else {
                return Access::None;
            };
            let mine = match role {
                Role::Village => owner.id == unit,
                _ => owner.parent.as_deref() == Some(unit),
            };
            if mine {
                Access::ReadWrite
            } else {
                Access::None
            }
        }
    }
}

/// Who is behind a sync peer: the device its connection authenticated as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The device's id.
    pub device_id: String,
    /// Its role.
    pub role: Role,
    /// Its unit (village and township roles).
    pub unit: Option<String>,
}

#[derive(Debug, Default)]
struct PolicyState {
    directory: Directory,
    peers: HashMap<PeerId, Grant>,
}

/// The server's [`AccessPolicy`]: the directory plus, for every peer that
/// joined, the [`Grant`] of the connection it joined on (bound by the sync
/// hub when it sees the peer's `join`). Unknown peers get nothing. Cheap to
/// clone (shared state).
#[derive(Debug, Clone, Default)]
pub struct ServerPolicy {
    state: Arc<RwLock<PolicyState>>,
}

impl ServerPolicy {
    /// A policy over `directory` with no peers bound.
    pub fn new(directory: Directory) -> Self {
        Self {
            state: Arc::new(RwLock::new(PolicyState {
                directory,
                peers: HashMap::new(),
            })),
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, PolicyState> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, PolicyState> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }

    /// A copy of the current directory.
    pub fn directory(&self) -> Directory {
        self.read().directory.clone()
    }

    /// Replaces the directory (the district document changed).
    pub fn set_directory(&self, directory: Directory) {
        self.write().directory = directory;
    }

    /// The district document's id, if known.
    pub fn district(&self) -> Option<DocumentId> {
        self.read().directory.district
    }

    /// Whether `doc` is a unit document of the directory.
    pub fn is_unit_document(&self, doc: &DocumentId) -> bool {
        self.read().directory.unit_of(doc).is_some()
    }

    /// Binds `peer` to `grant` (replacing an earlier binding).
    pub fn bind(&self, peer: PeerId, grant: Grant) {
        self.write().peers.insert(peer, grant);
    }

    /// The grant bound to `peer`.
    pub fn grant_of(&self, peer: &PeerId) -> Option<Grant> {
        self.read().peers.get(peer).cloned()
    }

    /// Forgets `peer`.
    pub fn unbind(&self, peer: &PeerId) {
        self.write().peers.remove(peer);
    }
}

impl AccessPolicy for ServerPolicy {
    fn access(&self, peer: &PeerId, _: &PeerMetadata, doc: &DocumentId) -> Access {
        let state = self.read();
        match state.peers.get(peer) {
            Some(g) => access(&state.directory, g.role, g.unit.as_deref(), doc),
            None => Access::None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(n: u8) -> DocumentId {
        DocumentId::from_bytes([n; 16])
    }

    fn unit(id: &str, kind: UnitKind, parent: Option<&str>, d: Option<u8>) -> UnitEntry {
        UnitEntry {
            id: id.into(),
            name: format!("name {id}"),
            kind,
            parent: parent.map(Into::into),
            doc: d.map(doc),
        }
    }

    /// District (doc 0) → townships t1, t2 → villages v1, v2 (in t1), v3 (in t2).
    fn dir() -> Directory {
        Directory::new(
            Some(doc(0)),
            [
                unit("d", UnitKind::District, None, None),
                unit("t1", UnitKind::Township, Some("d"), None),
                unit("t2", UnitKind::Street, Some("d"), None),
                unit("v1", UnitKind::Village, Some("t1"), Some(1)),
                unit("v2", UnitKind::Community, Some("t1"), Some(2)),
                unit("v3", UnitKind::Village, Some("t2"), Some(3)),
            ],
        )
    }

    #[test]
    fn role_to_access() {
        let d = dir();
        let rw = Access::ReadWrite;
        let r = Access::Read;
        let no = Access::None;
        // (role, unit) → access to [district, v1, v2, v3, unknown]
        let cases: [(Role, Option<&str>, [Access; 5]); 5] = [
            (Role::Village, Some("v1"), [r, rw, no, no, no]),
            (Role::Township, Some("t1"), [r, rw, rw, no, no]),
            (Role::Township, Some("t2"), [r, no, no, rw, no]),
            (Role::Admin, None, [rw, rw, rw, rw, rw]),
            (Role::Viewer, None, [r, r, r, r, r]),
        ];
        for (role, unit, expected) in cases {
            for (i, n) in [0u8, 1, 2, 3, 9].into_iter().enumerate() {
                assert_eq!(
                    access(&d, role, unit, &doc(n)),
                    expected[i],
                    "{role} {unit:?} doc {n}"
                );
            }
        }
        // A village office without a unit gets only the district document.
        assert_eq!(access(&d, Role::Village, None, &doc(1)), no);
        assert_eq!(
            d.documents_for(Role::Township, Some("t1")),
            vec![(doc(0), r), (doc(1), rw), (doc(2), rw)]
        );
    }

    #[test]
    fn roles_parse_and_fit_units() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert_eq!("Community".parse::<Role>().unwrap(), Role::Village);
        assert_eq!("street".parse::<Role>().unwrap(), Role::Township);
        assert_eq!("district-admin".parse::<Role>().unwrap(), Role::Admin);
        assert!("mayor".parse::<Role>().is_err());
        assert!(Role::Village.fits_unit(UnitKind::Community));
        assert!(!Role::Village.fits_unit(UnitKind::Township));
        assert!(Role::Township.fits_unit(UnitKind::Street));
        assert!(!Role::Admin.fits_unit(UnitKind::District));
    }

    #[test]
    fn units_are_found_by_id_or_exact_name() {
        let d = dir();
        assert_eq!(d.find_unit("v2").unwrap().id, "v2");
        assert_eq!(d.find_unit("name v3").unwrap().id, "v3");
        assert!(d.find_unit("name").is_none());
        assert_eq!(d.unit_of(&doc(2)).unwrap().id, "v2");
    }

    #[test]
    fn the_policy_follows_bound_peers() {
        let p = ServerPolicy::new(dir());
        let peer = PeerId::new("tablet");
        let meta = PeerMetadata::default();
        assert_eq!(p.access(&peer, &meta, &doc(1)), Access::None);
        p.bind(
            peer.clone(),
            Grant {
                device_id: "dev".into(),
                role: Role::Village,
                unit: Some("v1".into()),
            },
        );
        assert_eq!(p.access(&peer, &meta, &doc(1)), Access::ReadWrite);
        assert_eq!(p.access(&peer, &meta, &doc(0)), Access::Read);
        p.unbind(&peer);
        assert_eq!(p.access(&peer, &meta, &doc(0)), Access::None);
    }

    #[test]
    fn the_demo_directory_is_read_from_the_district_document() {
        let demo = yanzhen_model::demo::generate(crate::demo::DEFAULT_SEED);
        let (district, _) = yanzhen_model::demo::build_documents(&demo).unwrap();
        let id = crate::demo::district_document_id(crate::demo::DEFAULT_SEED);
        let d = Directory::from_district(id, district.automerge()).unwrap();
        assert_eq!(d.by_doc.len(), demo.units.len());
        assert!(d.units.len() > demo.units.len(), "townships are listed too");
    }
}
