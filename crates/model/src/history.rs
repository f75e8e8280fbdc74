//! Conflicts and history of a record.
//!
//! * [`conflicts`]: every field of a record that holds concurrent values
//!   (Automerge `get_all`), with who wrote each value.
//! * [`Document::resolve`]: write the chosen value (validated) in one change.
//! * [`history`]: the changes that touched a record (device / person, time,
//!   fields), read back from the [`ChangeMessage`] of each change, plus the
//!   change that created the record object (for bulk imports).
//! * [`Document::record_at`]: the record as it was at an earlier change.

use std::collections::HashMap;

use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ChangeHash, ObjId, ObjType, ReadDoc, ScalarValue, Value};

use crate::ids::Id;
use crate::store::{
    ChangeMessage, ChangeMeta, ChangeOp, Document, ModelError, Record, Scope, record_obj,
};

/// Which record: collection and id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RecordPath {
    pub collection: String,
    pub id: Id,
}

impl RecordPath {
    /// The path of record `id` of type `R`.
    pub fn of<R: Record>(id: &Id) -> Self {
        RecordPath {
            collection: R::COLLECTION.to_string(),
            id: id.clone(),
        }
    }
}

/// Who wrote a value / made a change, from the change's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writer {
    pub change: ChangeHash,
    pub actor: ActorId,
    pub time_ms: i64,
    /// Parsed commit message (`None` for changes not made by this model).
    pub message: Option<ChangeMessage>,
}

impl Writer {
    /// Device id, or the actor in hex for foreign changes.
    pub fn device(&self) -> String {
        self.message
            .as_ref()
            .map(|m| m.d.clone())
            .unwrap_or_else(|| self.actor.to_hex_string())
    }
    /// Person name, if recorded.
    pub fn person(&self) -> &str {
        self.message.as_ref().map(|m| m.p.as_str()).unwrap_or("")
    }
}

/// A value in a conflict.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Scalar(ScalarValue),
    Object(ObjType),
}

impl std::fmt::Display for FieldValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FieldValue::Scalar(ScalarValue::Str(s)) => f.write_str(s),
            FieldValue::Scalar(s) => write!(f, "{s}"),
            FieldValue::Object(o) => write!(f, "<{o:?}>"),
        }
    }
}

/// A field holding concurrent values. `field` is dotted for nested maps and
/// uses the index for list elements (`signoffs.2.result`).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldConflict {
    pub field: String,
    /// Each concurrent value with its writer; the first is the one Automerge
    /// currently shows.
    pub values: Vec<(FieldValue, Option<Writer>)>,
}

/// Looks up which change made an op, by actor and op counter.
struct WriterIndex {
    by_actor: HashMap<ActorId, Vec<(u64, u64, Writer)>>,
}

impl WriterIndex {
    fn new(doc: &Automerge) -> Self {
        let mut by_actor: HashMap<ActorId, Vec<(u64, u64, Writer)>> = HashMap::new();
        for m in doc.get_changes_meta(&[]) {
            let w = Writer {
                change: m.hash,
                actor: m.actor.clone().into_owned(),
                time_ms: m.timestamp,
                message: m.message.as_deref().and_then(ChangeMessage::decode),
            };
            by_actor
                .entry(w.actor.clone())
                .or_default()
                .push((m.start_op, m.max_op, w));
        }
        WriterIndex { by_actor }
    }

    fn writer(&self, op: &ObjId) -> Option<Writer> {
        let ObjId::Id(counter, actor, _) = op else {
            return None;
        };
        self.by_actor
            .get(actor)?
            .iter()
            .find(|(s, e, _)| s <= counter && counter <= e)
            .map(|(_, _, w)| w.clone())
    }
}

fn collect_conflicts(
    doc: &Automerge,
    idx: &WriterIndex,
    obj: &ObjId,
    prefix: &str,
    out: &mut Vec<FieldConflict>,
) -> Result<(), ModelError> {
    let ty = doc.object_type(obj)?;
    let props: Vec<automerge::Prop> = match ty {
        ObjType::Map | ObjType::Table => doc.keys(obj).map(automerge::Prop::Map).collect(),
        ObjType::List => (0..doc.length(obj)).map(automerge::Prop::Seq).collect(),
        ObjType::Text => return Ok(()),
    };
    for prop in props {
        let name = match &prop {
            automerge::Prop::Map(k) => k.clone(),
            automerge::Prop::Seq(i) => i.to_string(),
        };
        let field = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}.{name}")
        };
        let all = doc.get_all(obj, prop)?;
        if all.len() > 1 {
            let values: Vec<(FieldValue, Option<Writer>)> = all
                .iter()
                .map(|(v, id)| {
                    let fv = match v {
                        Value::Scalar(s) => FieldValue::Scalar(s.as_ref().clone()),
                        Value::Object(o) => FieldValue::Object(*o),
                    };
                    (fv, idx.writer(id))
                })
                .collect();
            // Identical concurrent values (e.g. two deterministic migrations)
            // are not a conflict anyone needs to see.
            if values.iter().any(|(v, _)| *v != values[0].0) {
                out.push(FieldConflict { field, values });
            }
        } else if let Some((Value::Object(_), child)) = all.into_iter().next() {
            collect_conflicts(doc, idx, &child, &field, out)?;
        }
    }
    Ok(())
}

/// Every field of the record at `path` holding concurrent values.
pub fn conflicts(doc: &Automerge, path: &RecordPath) -> Result<Vec<FieldConflict>, ModelError> {
    let Some(obj) = record_obj(doc, &path.collection, path.id.as_str())? else {
        return Err(ModelError::NotFound);
    };
    let idx = WriterIndex::new(doc);
    let mut out = Vec::new();
    collect_conflicts(doc, &idx, &obj, "", &mut out)?;
    Ok(out)
}

/// One entry of a record's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeEntry {
    pub hash: ChangeHash,
    pub time_ms: i64,
    pub device: String,
    pub person: String,
    pub role: String,
    pub op: Option<ChangeOp>,
    /// Fields touched (empty for create-by-import: every field).
    pub fields: Vec<String>,
}

impl ChangeEntry {
    fn from_writer(w: Writer) -> Self {
        let m = w.message.clone();
        ChangeEntry {
            hash: w.change,
            time_ms: w.time_ms,
            device: w.device(),
            person: m.as_ref().map(|m| m.p.clone()).unwrap_or_default(),
            role: m.as_ref().map(|m| m.r.clone()).unwrap_or_default(),
            op: m.as_ref().map(|m| m.op),
            fields: m.map(|m| m.f).unwrap_or_default(),
        }
    }
}

/// The changes that touched the record at `path`, oldest first (causal
/// order): the change that created the record's object (also when it was a
/// bulk import) and every change whose message names the record.
pub fn history(doc: &Automerge, path: &RecordPath) -> Result<Vec<ChangeEntry>, ModelError> {
    let created_by = record_obj(doc, &path.collection, path.id.as_str())?;
    let creation = created_by
        .as_ref()
        .and_then(|o| WriterIndex::new(doc).writer(o));
    let mut out = Vec::new();
    for m in doc.get_changes_meta(&[]) {
        let msg = m.message.as_deref().and_then(ChangeMessage::decode);
        let names_it = msg
            .as_ref()
            .is_some_and(|x| x.c == path.collection && x.id == path.id.as_str());
        let creates_it = creation.as_ref().is_some_and(|c| c.change == m.hash);
        if names_it || creates_it {
            out.push(ChangeEntry::from_writer(Writer {
                change: m.hash,
                actor: m.actor.into_owned(),
                time_ms: m.timestamp,
                message: msg,
            }));
        }
    }
    Ok(out)
}

impl<S: Scope> Document<S> {
    /// Conflicts of record `id` of type `R` (see [`conflicts`]).
    pub fn conflicts<R: Record<Scope = S>>(
        &self,
        id: &Id,
    ) -> Result<Vec<FieldConflict>, ModelError> {
        conflicts(self.automerge(), &RecordPath::of::<R>(id))
    }

    /// History of record `id` of type `R` (see [`history`]).
    pub fn history<R: Record<Scope = S>>(&self, id: &Id) -> Result<Vec<ChangeEntry>, ModelError> {
        history(self.automerge(), &RecordPath::of::<R>(id))
    }

    /// Record `id` as it was right after change `at` (`None` if it did not
    /// exist yet).
    pub fn record_at<R: Record<Scope = S>>(
        &self,
        id: &Id,
        at: &ChangeHash,
    ) -> Result<Option<R>, ModelError> {
        let old = self.automerge().fork_at(&[*at])?;
        match record_obj(&old, R::COLLECTION, id.as_str())? {
            Some(obj) => Ok(Some(crate::whole::read_obj(&old, &obj)?)),
            None => Ok(None),
        }
    }

    /// Resolves a conflict on `field` (dotted path as in [`FieldConflict`])
    /// of record `id` by writing `chosen`. The record must still validate
    /// afterwards, otherwise nothing is written.
    pub fn resolve<R: Record<Scope = S>>(
        &mut self,
        id: &Id,
        field: &str,
        chosen: ScalarValue,
        meta: &ChangeMeta,
    ) -> Result<Option<ChangeHash>, ModelError> {
        let msg = ChangeMessage::new(
            meta,
            ChangeOp::Resolve,
            R::COLLECTION,
            id.as_str(),
            vec![field.to_string()],
        );
        let (_, hash) = self.transact(&msg, meta.time_ms, |tx| {
            let Some(mut obj) = record_obj(tx, R::COLLECTION, id.as_str())? else {
                return Err(ModelError::NotFound);
            };
            let parts: Vec<&str> = field.split('.').collect();
            let (last, inner) = parts
                .split_last()
                .ok_or_else(|| ModelError::NoSuchField(field.into()))?;
            let prop_of = |tx: &automerge::transaction::Transaction<'_>,
                           o: &ObjId,
                           p: &str|
             -> Result<automerge::Prop, ModelError> {
                match tx.object_type(o)? {
                    ObjType::List => p
                        .parse::<usize>()
                        .map(automerge::Prop::Seq)
                        .map_err(|_| ModelError::NoSuchField(field.into())),
                    _ => Ok(automerge::Prop::Map(p.to_string())),
                }
            };
            for p in inner {
                let prop = prop_of(tx, &obj, p)?;
                match tx.get(&obj, prop)? {
                    Some((Value::Object(_), child)) => obj = child,
                    _ => return Err(ModelError::NoSuchField(field.into())),
                }
            }
            let prop = prop_of(tx, &obj, last)?;
            if tx.get(&obj, prop.clone())?.is_none() {
                return Err(ModelError::NoSuchField(field.into()));
            }
            tx.put(&obj, prop, chosen)?;
            let Some(obj) = record_obj(tx, R::COLLECTION, id.as_str())? else {
                return Err(ModelError::NotFound);
            };
            let rec: R = crate::whole::read_obj(tx, &obj)?;
            rec.validate()?;
            Ok(())
        })?;
        Ok(hash)
    }
}
