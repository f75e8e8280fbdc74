//! Who may read and write which document: [`Role`]s, the [`Directory`]
//! (one district document's unit directory: unit → parent, kind and
//! document), the [`City`] (every district of the deployment, each with its
//! directory), the pure rule [`access`] and [`ServerPolicy`], the
//! [`AccessPolicy`] the sync hub's node asks, keyed by the authenticated
//! device behind each peer.
//!
//! District roles belong to one district and see nothing of the others:
//!
//! | role | own unit's document | units whose parent is its unit | its district document | its district's other documents | documents of no district | other districts' documents |
//! |---|---|---|---|---|---|---|
//! | village/community office ([`Role::Village`]) | read-write | – | read | – | – | – |
//! | township/street office ([`Role::Township`]) | – | read-write | read | – | – | – |
//! | district admin ([`Role::Admin`]) | read-write | read-write | read-write | read-write | read-write (new documents) | – |
//! | district viewer ([`Role::Viewer`]) | read | read | read | read | – | – |
//!
//! City roles (市委组织部) belong to no district: [`Role::CityViewer`] and
//! [`Role::CityAdmin`] read the district and unit documents of every
//! district and write none (the city admin manages districts through the
//! API, never records).

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
    storage::{Storage, prefix_key, split_key},
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
    /// Read-only everything of its district.
    Viewer,
    /// The city's organisation department: reads every district, writes no
    /// records, manages districts (create one, issue its district-admin
    /// codes).
    CityAdmin,
    /// Reads every district, writes nothing.
    CityViewer,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 6] = [
        Role::Village,
        Role::Township,
        Role::Admin,
        Role::Viewer,
        Role::CityAdmin,
        Role::CityViewer,
    ];

    /// The stable name (database, API, CLI): `village`, `township`, `admin`,
    /// `viewer`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Village => "village",
            Role::Township => "township",
            Role::Admin => "admin",
            Role::Viewer => "viewer",
            Role::CityAdmin => "city_admin",
            Role::CityViewer => "city_viewer",
        }
    }

    /// Whether the role belongs to one district (every role but the city's).
    pub fn has_district(self) -> bool {
        !matches!(self, Role::CityAdmin | Role::CityViewer)
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
            _ => false,
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
    /// `district-admin`/`district_admin`/`districtAdmin`, `city-admin`,
    /// `city-viewer`; case-insensitive.
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "village" | "community" => Ok(Role::Village),
            "township" | "street" => Ok(Role::Township),
            "admin" | "district-admin" | "district_admin" | "districtadmin" => Ok(Role::Admin),
            "viewer" => Ok(Role::Viewer),
            "city_admin" | "city-admin" | "cityadmin" => Ok(Role::CityAdmin),
            "city_viewer" | "city-viewer" | "cityviewer" => Ok(Role::CityViewer),
            _ => Err(Error::Access(format!(
                "unknown role {s:?} (village, township, admin, viewer, city_admin, city_viewer)"
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

    /// Reads district document `district` from storage (an empty
    /// directory while it has no chunks).
    pub async fn load(storage: &dyn Storage, district: DocumentId) -> Result<Self> {
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

/// What a device with `role` (belonging to `unit`) may do with `doc`,
/// within one district's directory `dir` (see the module docs; the
/// [`City`] first keeps documents of other districts away).
pub fn access(dir: &Directory, role: Role, unit: Option<&str>, doc: &DocumentId) -> Access {
    match role {
        Role::Admin => Access::ReadWrite,
        Role::Viewer | Role::CityAdmin | Role::CityViewer => Access::Read,
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
    /// Its district (every role but the city's).
    pub district: Option<String>,
}

#[derive(Debug, Default)]
struct PolicyState {
    city: City,
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
    /// A policy over `city` with no peers bound.
    pub fn new(city: City) -> Self {
        Self {
            state: Arc::new(RwLock::new(PolicyState {
                city,
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

    /// A copy of the current city.
    pub fn city(&self) -> City {
        self.read().city.clone()
    }

    /// Replaces the city (districts added, read again).
    pub fn set_city(&self, city: City) {
        self.write().city = city;
    }

    /// Replaces one district's directory (its district document changed);
    /// `false` if the document is no district's.
    pub fn set_directory(&self, directory: Directory) -> bool {
        self.write().city.set_directory(directory)
    }

    /// Whether the city has district `id`.
    pub fn has_district(&self, id: &str) -> bool {
        self.read().city.districts.contains_key(id)
    }

    /// Whether `doc` is a district document.
    pub fn is_district_document(&self, doc: &DocumentId) -> bool {
        self.read().city.is_district_document(doc)
    }

    /// Whether `doc` is a unit document of some district.
    pub fn is_unit_document(&self, doc: &DocumentId) -> bool {
        self.read().city.is_unit_document(doc)
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
            Some(g) => state.city.access(g, doc),
            None => Access::None,
        }
    }
}

mod city;
#[cfg(test)]
mod tests;

pub use city::{City, CityDistrict};
