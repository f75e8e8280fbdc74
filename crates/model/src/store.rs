//! The document partition and typed writes.
//!
//! * One **unit document** per village/community ([`UnitData`]): its people,
//!   posts and logs. One **district document** ([`DistrictData`]): the unit
//!   directory and programme-wide records. See ARCHITECTURE.md, "Data: the
//!   document partition".
//! * Every collection is a map keyed by record [`Id`], created once when the
//!   document is created (never lazily, so two devices never race to create
//!   the same collection object).
//! * Writes go through [`Document::put`] / [`Document::remove`]: validate,
//!   check same-document references, then apply in one Automerge transaction
//!   whose commit message ([`ChangeMessage`]) says who changed which fields.
//!   A rejected write changes nothing.
//! * Every document stores `schema_version`; [`Document::load`] migrates
//!   older documents (see [`crate::migrate`]).
//!
//! Long file: the document partition, the typed write commands and their one
//! validated transaction are one API; the entity types are in `entities.rs`.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{
    ActorId, AutoSerde, Automerge, AutomergeError, ChangeHash, ObjId, ObjType, ROOT, ReadDoc, Value,
};
use autosurgeon::{Hydrate, HydrateError, Reconcile, ReconcileError};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::entities::*;
use crate::ids::Id;
use crate::validate::{Validate, ValidationError};

/// The schema version written by this build.
pub const SCHEMA_VERSION: u64 = 3;

/// Anything that can go wrong reading or writing a document.
#[derive(Debug, Error)]
pub enum ModelError {
    #[error(transparent)]
    Validation(#[from] ValidationError),
    #[error("record not found")]
    NotFound,
    #[error("document schema {0} is newer than this app supports ({SCHEMA_VERSION})")]
    SchemaTooNew(u64),
    #[error("document schema {0} cannot be migrated")]
    SchemaUnsupported(u64),
    #[error("document is not a Yanzhen document: {0}")]
    Corrupt(String),
    #[error("record has no field {0}")]
    NoSuchField(String),
    // Automerge's and autosurgeon's errors are large (hundreds of bytes):
    // boxed, every `Result<_, ModelError>` stays small (clippy's
    // `result_large_err`), and these are the rare, corrupt-document cases.
    #[error(transparent)]
    Automerge(Box<AutomergeError>),
    #[error(transparent)]
    Hydrate(Box<HydrateError>),
    #[error(transparent)]
    Reconcile(Box<ReconcileError>),
}

impl From<AutomergeError> for ModelError {
    fn from(e: AutomergeError) -> Self {
        ModelError::Automerge(Box::new(e))
    }
}

impl From<HydrateError> for ModelError {
    fn from(e: HydrateError) -> Self {
        ModelError::Hydrate(Box::new(e))
    }
}

impl From<ReconcileError> for ModelError {
    fn from(e: ReconcileError) -> Self {
        ModelError::Reconcile(Box::new(e))
    }
}

impl ModelError {
    /// The message key the UI translates (listed in
    /// [`crate::validate::ALL_MESSAGE_KEYS`]).
    pub fn message_key(&self) -> &'static str {
        match self {
            ModelError::Validation(v) => v.message_key(),
            ModelError::NotFound => "model.not_found",
            ModelError::SchemaTooNew(_) => "model.schema.too_new",
            ModelError::SchemaUnsupported(_) => "model.schema.unsupported",
            ModelError::NoSuchField(_) => "model.conflict.no_such_field",
            ModelError::Corrupt(_)
            | ModelError::Automerge(_)
            | ModelError::Hydrate(_)
            | ModelError::Reconcile(_) => "model.document.corrupt",
        }
    }

    /// The field the message belongs to, for validation errors.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            ModelError::Validation(v) => v.field(),
            _ => None,
        }
    }
}

/// Who makes a change, and when (Unix milliseconds, supplied by the caller).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeMeta {
    /// Device id (e.g. the tablet's install id).
    pub device: String,
    /// Person's display name.
    pub person: String,
    /// Person's role (e.g. `secretary`, `clerk`, `district`).
    pub role: String,
    /// Unix time in milliseconds.
    pub time_ms: i64,
}

impl ChangeMeta {
    /// Convenience constructor.
    pub fn new(device: &str, person: &str, role: &str, time_ms: i64) -> Self {
        ChangeMeta {
            device: device.into(),
            person: person.into(),
            role: role.into(),
            time_ms,
        }
    }
}

/// Kind of change recorded in a [`ChangeMessage`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeOp {
    /// Document created (genesis: schema version and empty collections).
    Init,
    /// Bulk import (demo generator, initial data load): every record.
    Import,
    /// A record was created.
    Create,
    /// Fields of a record were changed.
    Update,
    /// A record was removed.
    Remove,
    /// A conflict was resolved by writing the chosen value.
    Resolve,
    /// Schema migration.
    Migrate,
}

/// The commit message of every change the model makes: compact JSON,
/// versioned by `v` (currently 1). Example:
/// `{"v":1,"d":"tab-3","p":"王芳","r":"clerk","op":"update","c":"people","id":"…","f":["phone"]}`.
/// Readers ignore unknown keys; a change without a parseable message (e.g.
/// from another tool) shows as an anonymous change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeMessage {
    /// Format version.
    pub v: u8,
    /// Device id.
    pub d: String,
    /// Person name.
    pub p: String,
    /// Role.
    pub r: String,
    /// What happened.
    pub op: ChangeOp,
    /// Collection of the record touched.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub c: String,
    /// Id of the record touched.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Fields touched (dotted for nested fields).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub f: Vec<String>,
}

/// Current [`ChangeMessage`] format version.
pub const MESSAGE_VERSION: u8 = 1;

impl ChangeMessage {
    /// A message for `meta`.
    pub fn new(meta: &ChangeMeta, op: ChangeOp, c: &str, id: &str, f: Vec<String>) -> Self {
        ChangeMessage {
            v: MESSAGE_VERSION,
            d: meta.device.clone(),
            p: meta.person.clone(),
            r: meta.role.clone(),
            op,
            c: c.into(),
            id: id.into(),
            f,
        }
    }
    /// The message of the migration from schema `from` to `to`: device
    /// [`crate::authorship::MIGRATION_DEVICE`], role `system`, no person.
    pub fn migration(from: u64, to: u64) -> Self {
        ChangeMessage {
            v: MESSAGE_VERSION,
            d: crate::authorship::MIGRATION_DEVICE.into(),
            p: String::new(),
            r: "system".into(),
            op: ChangeOp::Migrate,
            c: String::new(),
            id: String::new(),
            f: vec![format!("schema_version:{from}->{to}")],
        }
    }
    /// Encodes as compact JSON.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("plain struct serialises")
    }
    /// Parses a commit message; `None` if it is not one of ours.
    pub fn decode(s: &str) -> Option<Self> {
        serde_json::from_str(s).ok()
    }
    /// Commit options carrying this message and the time.
    pub fn commit_options(&self, time_ms: i64) -> CommitOptions {
        CommitOptions::default()
            .with_message(self.encode())
            .with_time(time_ms)
    }
}

// ---------------------------------------------------------------- partition

/// Marker for the kind of a document.
pub trait Scope: 'static {
    /// The hydrated content of a document of this kind.
    type Data: Reconcile + serde::de::DeserializeOwned + Clone + std::fmt::Debug;
    /// Name used in error messages.
    const NAME: &'static str;
    /// The collections (maps keyed by record id) of this kind of document.
    const COLLECTIONS: &'static [&'static str];
}

/// A collection (a map keyed by record id) read from the document by
/// autosurgeon (the native tests' second reader; the app reads with
/// [`crate::whole`]). autosurgeon's own `BTreeMap` reading collects the
/// entries and sorts them, a copy of the stable sort per record type;
/// automerge already lists a map's keys in order, so here the entries are
/// inserted one by one. The result is the same map.
fn hydrate_records<D: autosurgeon::ReadDoc, V: Hydrate>(
    doc: &D,
    obj: &automerge::ObjId,
    prop: autosurgeon::Prop<'_>,
) -> Result<BTreeMap<Id, V>, HydrateError> {
    autosurgeon::hydrate_prop(doc, obj, prop).map(|Records(map)| map)
}

/// [`hydrate_records`]'s map.
struct Records<V>(BTreeMap<Id, V>);

impl<V: Hydrate> Hydrate for Records<V> {
    fn hydrate_map<D: autosurgeon::ReadDoc>(
        doc: &D,
        obj: &automerge::ObjId,
    ) -> Result<Self, HydrateError> {
        let mut map = BTreeMap::new();
        for item in doc.map_range(obj, ..) {
            let value = V::hydrate(doc, obj, item.key.as_ref().into())?;
            map.insert(Id::from(item.key.to_string()), value);
        }
        Ok(Records(map))
    }
}

/// A village/community document.
#[derive(Debug, Clone, Copy)]
pub struct UnitScope;
/// The district document.
#[derive(Debug, Clone, Copy)]
pub struct DistrictScope;

/// One unit's document content. Collections are keyed by record id.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct UnitData {
    pub schema_version: u64,
    /// The unit this document belongs to (its entry in the district directory).
    pub unit_id: Id,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub people: BTreeMap<Id, Person>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub posts: BTreeMap<Id, Post>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub commitments: BTreeMap<Id, TermCommitment>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub duty_reports: BTreeMap<Id, DutyReport>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub incomes: BTreeMap<Id, CollectiveIncome>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub pay: BTreeMap<Id, PayRecord>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub attendance: BTreeMap<Id, Attendance>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub certificates: BTreeMap<Id, Certificate>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub appointments: BTreeMap<Id, Appointment>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub contacts: BTreeMap<Id, ContactLog>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub leads: BTreeMap<Id, InvestmentLead>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub reserve_cadres: BTreeMap<Id, ReserveCadre>,
    /// Added in schema 2.
    #[serde(default)]
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_records")]
    pub career_moves: BTreeMap<Id, CareerMove>,
    /// Added in schema 3: candidates the unit submits to the joint review.
    #[serde(default)]
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_records")]
    pub nominations: BTreeMap<Id, Nomination>,
}

impl UnitData {
    /// An empty unit document for `unit_id`.
    pub fn new(unit_id: Id) -> Self {
        UnitData {
            schema_version: SCHEMA_VERSION,
            unit_id,
            ..Default::default()
        }
    }
}

/// The district document content.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct DistrictData {
    pub schema_version: u64,
    pub name: String,
    /// The unit directory: district, townships/streets, villages/communities
    /// (with the [`crate::ids::DocId`] of each unit document).
    #[autosurgeon(hydrate = "hydrate_records")]
    pub units: BTreeMap<Id, Unit>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub policies: BTreeMap<Id, RewardPolicy>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub batches: BTreeMap<Id, ReviewBatch>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub reviews: BTreeMap<Id, CandidateReview>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub filings: BTreeMap<Id, Filing>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub assessments: BTreeMap<Id, Assessment>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub sessions: BTreeMap<Id, TrainingSession>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub studios: BTreeMap<Id, MasterStudio>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub mentorships: BTreeMap<Id, Mentorship>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub exchanges: BTreeMap<Id, TalentExchange>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub pool: BTreeMap<Id, PoolCandidate>,
    #[autosurgeon(hydrate = "hydrate_records")]
    pub homecoming: BTreeMap<Id, HomecomingCase>,
}

impl DistrictData {
    /// An empty district document.
    pub fn new(name: &str) -> Self {
        DistrictData {
            schema_version: SCHEMA_VERSION,
            name: name.into(),
            ..Default::default()
        }
    }

    /// Villages and communities (units that have their own document).
    pub fn unit_documents(&self) -> impl Iterator<Item = &Unit> {
        self.units
            .values()
            .filter(|u| matches!(u.kind, UnitKind::Village | UnitKind::Community))
    }
}

impl Scope for UnitScope {
    type Data = UnitData;
    const NAME: &'static str = "unit";
    const COLLECTIONS: &'static [&'static str] = &[
        "people",
        "posts",
        "commitments",
        "duty_reports",
        "incomes",
        "pay",
        "attendance",
        "certificates",
        "appointments",
        "contacts",
        "leads",
        "reserve_cadres",
        "career_moves",
        "nominations",
    ];
}

impl Scope for DistrictScope {
    type Data = DistrictData;
    const NAME: &'static str = "district";
    const COLLECTIONS: &'static [&'static str] = &[
        "units",
        "policies",
        "batches",
        "reviews",
        "filings",
        "assessments",
        "sessions",
        "studios",
        "mentorships",
        "exchanges",
        "pool",
        "homecoming",
    ];
}

/// A record type: which document and collection it lives in.
pub trait Record: Validate + Reconcile + Serialize + serde::de::DeserializeOwned + Clone {
    /// The document kind holding this record.
    type Scope: Scope;
    /// The collection (root key) holding this record.
    const COLLECTION: &'static str;
    /// The record's id.
    fn id(&self) -> &Id;
    /// References to other records in the same document that must exist:
    /// `(field, collection, id)`.
    fn references(&self) -> Vec<(&'static str, &'static str, &Id)> {
        Vec::new()
    }
}

macro_rules! record {
    ($t:ty, $scope:ty, $coll:literal $(, $field:ident => $target:literal)*) => {
        impl Record for $t {
            type Scope = $scope;
            const COLLECTION: &'static str = $coll;
            fn id(&self) -> &Id {
                &self.id
            }
            fn references(&self) -> Vec<(&'static str, &'static str, &Id)> {
                #[allow(unused_mut)]
                let mut v = Vec::new();
                $(record!(@push v, self.$field, stringify!($field), $target);)*
                v
            }
        }
    };
    (@push $v:ident, $e:expr, $name:expr, $target:literal) => {
        for r in Refs::refs(&$e) {
            $v.push(($name, $target, r));
        }
    };
}

/// Helper to treat `Id` and `Option<Id>` uniformly in [`record!`].
trait Refs {
    fn refs(&self) -> Vec<&Id>;
}
impl Refs for Id {
    fn refs(&self) -> Vec<&Id> {
        vec![self]
    }
}
impl Refs for Option<Id> {
    fn refs(&self) -> Vec<&Id> {
        self.iter().collect()
    }
}

record!(Person, UnitScope, "people");
record!(Post, UnitScope, "posts", person_id => "people");
record!(TermCommitment, UnitScope, "commitments", person_id => "people");
record!(DutyReport, UnitScope, "duty_reports", person_id => "people");
record!(CollectiveIncome, UnitScope, "incomes");
record!(PayRecord, UnitScope, "pay", person_id => "people");
record!(Attendance, UnitScope, "attendance", person_id => "people");
record!(Certificate, UnitScope, "certificates", person_id => "people");
record!(Appointment, UnitScope, "appointments");
record!(ContactLog, UnitScope, "contacts", appointment_id => "appointments");
record!(InvestmentLead, UnitScope, "leads", advisor_id => "appointments");
record!(ReserveCadre, UnitScope, "reserve_cadres", mentor_person_id => "people");
record!(CareerMove, UnitScope, "career_moves", person_id => "people");
record!(Nomination, UnitScope, "nominations");

record!(Unit, DistrictScope, "units", parent => "units");
record!(RewardPolicy, DistrictScope, "policies");
record!(ReviewBatch, DistrictScope, "batches");
record!(CandidateReview, DistrictScope, "reviews", batch_id => "batches", unit_id => "units");
record!(Filing, DistrictScope, "filings");
record!(Assessment, DistrictScope, "assessments");
record!(TrainingSession, DistrictScope, "sessions");
record!(MasterStudio, DistrictScope, "studios");
record!(Mentorship, DistrictScope, "mentorships", studio_id => "studios");
record!(TalentExchange, DistrictScope, "exchanges", pair_id => "exchanges");
record!(PoolCandidate, DistrictScope, "pool");
record!(HomecomingCase, DistrictScope, "homecoming");

// ---------------------------------------------------------------- documents

/// A Yanzhen Automerge document of kind `S`.
#[derive(Debug, Clone)]
pub struct Document<S: Scope> {
    doc: Automerge,
    _scope: PhantomData<S>,
}

/// A village/community document.
pub type UnitDocument = Document<UnitScope>;
/// The district document.
pub type DistrictDocument = Document<DistrictScope>;

/// The object id of a root collection.
pub(crate) fn collection_obj<D: ReadDoc>(doc: &D, coll: &str) -> Result<ObjId, ModelError> {
    match doc.get(ROOT, coll)? {
        Some((Value::Object(ObjType::Map), id)) => Ok(id),
        _ => Err(ModelError::Corrupt(format!("missing collection {coll}"))),
    }
}

/// The object id of a record map, if present.
pub(crate) fn record_obj<D: ReadDoc>(
    doc: &D,
    coll: &str,
    id: &str,
) -> Result<Option<ObjId>, ModelError> {
    let c = collection_obj(doc, coll)?;
    Ok(match doc.get(&c, id)? {
        Some((Value::Object(ObjType::Map), o)) => Some(o),
        _ => None,
    })
}

/// Top-level fields whose serialised values differ between two records.
fn changed_fields<R: Serialize>(old: Option<&R>, new: &R) -> Vec<String> {
    let new = serde_json::to_value(new).unwrap_or_default();
    let old = old.map(|o| serde_json::to_value(o).unwrap_or_default());
    let serde_json::Value::Object(n) = new else {
        return Vec::new();
    };
    n.iter()
        .filter(|(k, v)| old.as_ref().and_then(|o| o.get(k.as_str())) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect()
}

impl<S: Scope> Document<S> {
    /// Creates a new document from `data` (an empty [`UnitData::new`] /
    /// [`DistrictData::new`], or a bulk import) in a single change.
    pub fn create(
        data: &S::Data,
        actor: &[u8],
        meta: &ChangeMeta,
        op: ChangeOp,
    ) -> Result<Self, ModelError> {
        let mut doc = Automerge::new().with_actor(ActorId::from(actor));
        let msg = ChangeMessage::new(meta, op, "", "", Vec::new());
        doc.transact_with(
            |_| msg.commit_options(meta.time_ms),
            |tx| autosurgeon::reconcile(tx, data),
        )
        .map_err(|f| f.error)?;
        let d = Document {
            doc,
            _scope: PhantomData,
        };
        d.check()?;
        Ok(d)
    }

    /// Loads a saved document, sets the local actor and migrates it to
    /// [`SCHEMA_VERSION`] if it is older (the migration is one change).
    pub fn load(bytes: &[u8], actor: &[u8]) -> Result<Self, ModelError> {
        let doc = Automerge::load(bytes)?.with_actor(ActorId::from(actor));
        Self::from_automerge(doc)
    }

    /// Wraps an Automerge document (e.g. one received by sync), migrating it
    /// if needed.
    pub fn from_automerge(mut doc: Automerge) -> Result<Self, ModelError> {
        crate::migrate::migrate::<S>(&mut doc)?;
        let d = Document {
            doc,
            _scope: PhantomData,
        };
        d.check()?;
        Ok(d)
    }

    fn check(&self) -> Result<(), ModelError> {
        for c in S::COLLECTIONS {
            collection_obj(&self.doc, c)?;
        }
        Ok(())
    }

    /// The schema version stored in the document.
    pub fn schema_version(&self) -> Result<u64, ModelError> {
        crate::migrate::schema_version(&self.doc)
    }

    /// The underlying Automerge document (for sync).
    pub fn automerge(&self) -> &Automerge {
        &self.doc
    }

    /// Mutable access for sync (`receive_sync_message`, `load_incremental`).
    /// Writing records directly bypasses validation: use [`Self::put`].
    pub fn automerge_mut(&mut self) -> &mut Automerge {
        &mut self.doc
    }

    /// Unwraps the Automerge document.
    pub fn into_automerge(self) -> Automerge {
        self.doc
    }

    /// Saves the whole document (compressed).
    pub fn save(&self) -> Vec<u8> {
        self.doc.save()
    }

    /// The current heads.
    pub fn heads(&self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }

    /// Sets the actor used for local changes (16 bytes from the device).
    pub fn set_actor(&mut self, actor: &[u8]) {
        self.doc.set_actor(ActorId::from(actor));
    }

    /// Merges another replica of the same document into this one.
    pub fn merge(&mut self, other: &mut Self) -> Result<Vec<ChangeHash>, ModelError> {
        Ok(self.doc.merge(&mut other.doc)?)
    }

    /// A copy with another actor (a second device, in tests).
    pub fn fork(&self, actor: &[u8]) -> Self {
        Document {
            doc: self.doc.fork().with_actor(ActorId::from(actor)),
            _scope: PhantomData,
        }
    }

    /// Hydrates the whole document (in one pass: [`crate::whole`]).
    pub fn data(&self) -> Result<S::Data, ModelError> {
        Ok(crate::whole::read(&self.doc)?)
    }

    /// The document as JSON (debugging, exports).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(AutoSerde::from(&self.doc)).unwrap_or_default()
    }

    /// Whether a record with `id` exists in `collection`.
    pub fn contains(&self, collection: &str, id: &Id) -> Result<bool, ModelError> {
        Ok(record_obj(&self.doc, collection, id.as_str())?.is_some())
    }

    /// Reads one record.
    pub fn get<R: Record<Scope = S>>(&self, id: &Id) -> Result<Option<R>, ModelError> {
        match record_obj(&self.doc, R::COLLECTION, id.as_str())? {
            Some(obj) => Ok(Some(crate::whole::read_obj(&self.doc, &obj)?)),
            None => Ok(None),
        }
    }

    /// Validates `record` and writes it (create or update) in one change.
    /// Only changed fields are written. Returns the change hash, or `None`
    /// if nothing changed. On error the document is untouched.
    pub fn put<R: Record<Scope = S>>(
        &mut self,
        record: &R,
        meta: &ChangeMeta,
    ) -> Result<Option<ChangeHash>, ModelError> {
        record.validate()?;
        for (field, coll, id) in record.references() {
            if !self.contains(coll, id)? {
                return Err(ValidationError::UnknownReference { field }.into());
            }
        }
        let old: Option<R> = self.get(record.id())?;
        let fields = changed_fields(old.as_ref(), record);
        if fields.is_empty() {
            return Ok(None);
        }
        let op = if old.is_some() {
            ChangeOp::Update
        } else {
            ChangeOp::Create
        };
        let msg = ChangeMessage::new(meta, op, R::COLLECTION, record.id().as_str(), fields);
        let ok = self
            .doc
            .transact_with(
                |_| msg.commit_options(meta.time_ms),
                |tx| {
                    let c = collection_obj(tx, R::COLLECTION)?;
                    autosurgeon::reconcile_prop(tx, &c, record.id().as_str(), record)?;
                    Ok::<_, ModelError>(())
                },
            )
            .map_err(|f| f.error)?;
        Ok(ok.hash)
    }

    /// Removes a record in one change. Removing a missing record is
    /// [`ModelError::NotFound`].
    pub fn remove<R: Record<Scope = S>>(
        &mut self,
        id: &Id,
        meta: &ChangeMeta,
    ) -> Result<ChangeHash, ModelError> {
        if !self.contains(R::COLLECTION, id)? {
            return Err(ModelError::NotFound);
        }
        let msg = ChangeMessage::new(
            meta,
            ChangeOp::Remove,
            R::COLLECTION,
            id.as_str(),
            Vec::new(),
        );
        let ok = self
            .doc
            .transact_with(
                |_| msg.commit_options(meta.time_ms),
                |tx| {
                    let c = collection_obj(tx, R::COLLECTION)?;
                    tx.delete(&c, id.as_str())?;
                    Ok::<_, ModelError>(())
                },
            )
            .map_err(|f| f.error)?;
        ok.hash.ok_or(ModelError::NotFound)
    }

    /// Runs `f` in one transaction with `msg` as commit message; used by the
    /// conflict resolver. Rolled back if `f` fails.
    pub(crate) fn transact<T>(
        &mut self,
        msg: &ChangeMessage,
        time_ms: i64,
        f: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<T, ModelError>,
    ) -> Result<(T, Option<ChangeHash>), ModelError> {
        let ok = self
            .doc
            .transact_with(|_| msg.commit_options(time_ms), f)
            .map_err(|f| f.error)?;
        Ok((ok.result, ok.hash))
    }
}

impl UnitDocument {
    /// A new, empty unit document.
    pub fn new_unit(unit_id: &Id, actor: &[u8], meta: &ChangeMeta) -> Result<Self, ModelError> {
        Self::create(&UnitData::new(unit_id.clone()), actor, meta, ChangeOp::Init)
    }
}

impl DistrictDocument {
    /// A new, empty district document.
    pub fn new_district(name: &str, actor: &[u8], meta: &ChangeMeta) -> Result<Self, ModelError> {
        Self::create(&DistrictData::new(name), actor, meta, ChangeOp::Init)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_error_is_small_and_keeps_its_message_key() {
        // Every write returns `Result<_, ModelError>`: keep it well under
        // clippy's 128-byte `result_large_err` bound.
        assert!(
            std::mem::size_of::<ModelError>() <= 64,
            "{}",
            std::mem::size_of::<ModelError>()
        );
        let e: ModelError = AutomergeError::Fail.into();
        assert_eq!(e.message_key(), "model.document.corrupt");
        assert!(matches!(e, ModelError::Automerge(_)));
    }
}
