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

/// One district of the city: its id (`districts.id`), name and directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CityDistrict {
    /// The district's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its district document's unit directory (`directory.district` is the
    /// district document).
    pub directory: Directory,
}

/// Every district of the deployment with its directory, and which
/// district each known document belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct City {
    /// Districts by id.
    pub districts: BTreeMap<String, CityDistrict>,
    owner: HashMap<DocumentId, String>,
    /// District ids in the order they were registered.
    order: Vec<String>,
}

impl City {
    /// A city of `districts`, in the order given (the order they were
    /// registered, as [`crate::city::load_city`] reads them).
    pub fn new(districts: impl IntoIterator<Item = CityDistrict>) -> Self {
        let mut city = Self::default();
        for d in districts {
            city.put(d);
        }
        city
    }

    /// Adds or replaces district `d` (and its documents).
    pub fn put(&mut self, d: CityDistrict) {
        if let Some(old) = self.districts.remove(&d.id) {
            self.owner.retain(|_, id| *id != old.id);
        } else {
            self.order.push(d.id.clone());
        }
        for doc in d.directory.district.iter().chain(d.directory.by_doc.keys()) {
            // A document claimed by two districts stays with the first.
            self.owner.entry(*doc).or_insert_with(|| d.id.clone());
        }
        self.districts.insert(d.id.clone(), d);
    }

    /// Replaces the directory of the district whose district document is
    /// `directory.district`; `false` if no district has that document.
    pub fn set_directory(&mut self, directory: Directory) -> bool {
        let Some(doc) = directory.district else {
            return false;
        };
        let Some(d) = self
            .districts
            .values()
            .find(|d| d.directory.district == Some(doc))
            .cloned()
        else {
            return false;
        };
        self.put(CityDistrict { directory, ..d });
        true
    }

    /// The districts in the order they were registered (the city's
    /// lists show them so).
    pub fn in_order(&self) -> impl Iterator<Item = &CityDistrict> {
        self.order.iter().filter_map(|id| self.districts.get(id))
    }

    /// The district that `doc` (a district or unit document) belongs to.
    pub fn district_of(&self, doc: &DocumentId) -> Option<&CityDistrict> {
        self.owner.get(doc).and_then(|id| self.districts.get(id))
    }

    /// Whether `doc` is one of the districts' district documents.
    pub fn is_district_document(&self, doc: &DocumentId) -> bool {
        self.district_of(doc)
            .is_some_and(|d| d.directory.district == Some(*doc))
    }

    /// Whether `doc` is a unit document of some district.
    pub fn is_unit_document(&self, doc: &DocumentId) -> bool {
        self.district_of(doc)
            .is_some_and(|d| d.directory.unit_of(doc).is_some())
    }

    /// The only district, when there is exactly one.
    pub fn only_district(&self) -> Option<&CityDistrict> {
        let mut all = self.districts.values();
        match (all.next(), all.next()) {
            (Some(d), None) => Some(d),
            _ => None,
        }
    }

    /// What `grant` may do with `doc`: a district role only within its own
    /// district (and, for its admin, documents of no district yet: new unit
    /// documents); a city role reads what belongs to a district.
    pub fn access(&self, grant: &Grant, doc: &DocumentId) -> Access {
        let owner = self.district_of(doc);
        if !grant.role.has_district() {
            return if owner.is_some() {
                Access::Read
            } else {
                Access::None
            };
        }
        let Some(mine) = grant
            .district
            .as_deref()
            .and_then(|id| self.districts.get(id))
        else {
            return Access::None;
        };
        match owner {
            Some(o) if o.id == mine.id => {
                access(&mine.directory, grant.role, grant.unit.as_deref(), doc)
            }
            Some(_) => Access::None,
            None if grant.role == Role::Admin => Access::ReadWrite,
            None => Access::None,
        }
    }

    /// Every document `grant` may read, with its access and its district:
    /// per district (in their order), the district document first, then
    /// unit documents by unit id.
    pub fn documents_for(&self, grant: &Grant) -> Vec<(DocumentId, Access, &CityDistrict)> {
        let mut out = Vec::new();
        for d in self.in_order() {
            let docs = d
                .directory
                .district
                .iter()
                .chain(d.directory.units.values().filter_map(|u| u.doc.as_ref()));
            for doc in docs {
                let a = self.access(grant, doc);
                if a.can_read() {
                    out.push((*doc, a, d));
                }
            }
        }
        out
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
        assert_eq!("city-viewer".parse::<Role>().unwrap(), Role::CityViewer);
        assert!(!Role::CityAdmin.has_district() && Role::Viewer.has_district());
        assert!(!Role::CityAdmin.fits_unit(UnitKind::Village));
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

    fn grant(role: Role, unit: Option<&str>, district: Option<&str>) -> Grant {
        Grant {
            device_id: "dev".into(),
            role,
            unit: unit.map(Into::into),
            district: district.map(Into::into),
        }
    }

    /// Two districts: `a` ([`dir`]: documents 0–3) and `b` (district
    /// document 10, a village v1 — the same unit id as in `a` — with
    /// document 11).
    fn city() -> City {
        City::new([
            CityDistrict {
                id: "a".into(),
                name: "甲区".into(),
                directory: dir(),
            },
            CityDistrict {
                id: "b".into(),
                name: "乙区".into(),
                directory: Directory::new(
                    Some(doc(10)),
                    [
                        unit("db", UnitKind::District, None, None),
                        unit("t1", UnitKind::Township, Some("db"), None),
                        unit("v1", UnitKind::Village, Some("t1"), Some(11)),
                    ],
                ),
            },
        ])
    }

    #[test]
    fn a_district_role_sees_nothing_of_another_district() {
        let c = city();
        let rw = Access::ReadWrite;
        let r = Access::Read;
        let no = Access::None;
        // (grant) → access to [a's district, a's v1, b's district, b's v1, no district's 9]
        let cases: [(Grant, [Access; 5]); 9] = [
            (grant(Role::Admin, None, Some("a")), [rw, rw, no, no, rw]),
            (grant(Role::Admin, None, Some("b")), [no, no, rw, rw, rw]),
            (grant(Role::Viewer, None, Some("a")), [r, r, no, no, no]),
            // Same unit id in both districts: only its own district's.
            (
                grant(Role::Village, Some("v1"), Some("a")),
                [r, rw, no, no, no],
            ),
            (
                grant(Role::Village, Some("v1"), Some("b")),
                [no, no, r, rw, no],
            ),
            (
                grant(Role::Township, Some("t1"), Some("b")),
                [no, no, r, rw, no],
            ),
            // A district role with no or an unknown district: nothing.
            (grant(Role::Admin, None, None), [no, no, no, no, no]),
            (grant(Role::Admin, None, Some("zz")), [no, no, no, no, no]),
            // City roles read every district's documents, write none.
            (grant(Role::CityViewer, None, None), [r, r, r, r, no]),
        ];
        for (g, expected) in cases {
            for (i, n) in [0u8, 1, 10, 11, 9].into_iter().enumerate() {
                assert_eq!(c.access(&g, &doc(n)), expected[i], "{g:?} doc {n}");
            }
        }
        assert_eq!(c.access(&grant(Role::CityAdmin, None, None), &doc(11)), r);
        let listed: Vec<_> = c
            .documents_for(&grant(Role::Viewer, None, Some("b")))
            .into_iter()
            .map(|(d, a, district)| (d, a, district.id.clone()))
            .collect();
        assert_eq!(
            listed,
            vec![(doc(10), r, "b".into()), (doc(11), r, "b".into())]
        );
        assert_eq!(
            c.documents_for(&grant(Role::CityViewer, None, None)).len(),
            6
        );
        assert!(c.is_district_document(&doc(10)) && !c.is_district_document(&doc(11)));
        assert!(c.is_unit_document(&doc(11)) && !c.is_unit_document(&doc(9)));
        assert!(c.only_district().is_none());
        // Registration order, not id order ("b" after "a" here; a city
        // registered the other way round lists the other way round).
        let ids: Vec<&str> = c.in_order().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        let reversed = City::new(c.in_order().cloned().collect::<Vec<_>>().into_iter().rev());
        let ids: Vec<&str> = reversed.in_order().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["b", "a"]);
    }

    #[test]
    fn a_directory_replaces_its_own_districts_only() {
        let mut c = city();
        // b's village moves to document 12; a is untouched.
        let moved = Directory::new(
            Some(doc(10)),
            [unit("v1", UnitKind::Village, Some("t1"), Some(12))],
        );
        assert!(c.set_directory(moved));
        assert_eq!(c.district_of(&doc(12)).unwrap().id, "b");
        assert!(c.district_of(&doc(11)).is_none());
        assert_eq!(c.district_of(&doc(1)).unwrap().id, "a");
        // A district document of no district changes nothing.
        assert!(!c.set_directory(Directory::new(Some(doc(20)), [])));
        // A directory claiming another district's document does not take it.
        assert!(c.set_directory(Directory::new(
            Some(doc(10)),
            [unit("x", UnitKind::Village, Some("t1"), Some(1))],
        )));
        assert_eq!(c.district_of(&doc(1)).unwrap().id, "a");
        assert_eq!(
            c.access(&grant(Role::Village, Some("x"), Some("b")), &doc(1)),
            Access::None
        );
    }

    #[test]
    fn the_policy_follows_bound_peers() {
        let p = ServerPolicy::new(city());
        let peer = PeerId::new("tablet");
        let meta = PeerMetadata::default();
        assert_eq!(p.access(&peer, &meta, &doc(1)), Access::None);
        p.bind(peer.clone(), grant(Role::Village, Some("v1"), Some("a")));
        assert_eq!(p.access(&peer, &meta, &doc(1)), Access::ReadWrite);
        assert_eq!(p.access(&peer, &meta, &doc(0)), Access::Read);
        assert_eq!(p.access(&peer, &meta, &doc(11)), Access::None);
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
