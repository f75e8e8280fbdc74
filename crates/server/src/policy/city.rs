//! The [`City`]: every district of the deployment with its unit
//! directory, which district each document belongs to, and the rule that
//! keeps a district's devices to their own district (see the module docs
//! of [`crate::policy`]).

use std::collections::{BTreeMap, HashMap};

use yanzhen_sync::{Access, DocumentId};

use super::{Directory, Grant, Role, access};

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
