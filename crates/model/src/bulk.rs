//! Many records in one validated change: a spreadsheet import writes a
//! whole roster at once or nothing. Every record is validated and its
//! same-document references checked **before** anything is written; the
//! first bad record is named by its index and the document is untouched.
//! The change carries a [`ChangeOp::Import`] message for the collection
//! (per-record history finds it as the change that created each record).

use automerge::ChangeHash;
use thiserror::Error;

use crate::store::{
    ChangeMessage, ChangeMeta, ChangeOp, Document, ModelError, Record, Scope, collection_obj,
};
use crate::validate::ValidationError;

/// Why a bulk write was refused (nothing was written).
#[derive(Debug, Error)]
pub enum BulkError {
    /// Record `index` (0-based, in the order given) is invalid.
    #[error("record {index}: {error}")]
    Record {
        index: usize,
        error: Box<ModelError>,
    },
    /// The document itself could not be written.
    #[error(transparent)]
    Model(Box<ModelError>),
}

impl From<ModelError> for BulkError {
    fn from(e: ModelError) -> Self {
        BulkError::Model(Box::new(e))
    }
}

impl BulkError {
    /// The model's error (for its message key and field).
    pub fn model_error(&self) -> &ModelError {
        match self {
            BulkError::Record { error, .. } | BulkError::Model(error) => error,
        }
    }
}

impl<S: Scope> Document<S> {
    /// Validates every record of `records` and writes them all (creates or
    /// updates) in **one** change, or nothing. Returns the change hash
    /// (`None` for an empty list).
    pub fn put_all<R: Record<Scope = S>>(
        &mut self,
        records: &[R],
        meta: &ChangeMeta,
    ) -> Result<Option<ChangeHash>, BulkError> {
        for (index, r) in records.iter().enumerate() {
            let fail = |error: ModelError| BulkError::Record {
                index,
                error: Box::new(error),
            };
            r.validate().map_err(|e| fail(e.into()))?;
            for (field, coll, id) in r.references() {
                let in_batch = coll == R::COLLECTION && records.iter().any(|o| o.id() == id);
                if !in_batch && !self.contains(coll, id).map_err(fail)? {
                    return Err(fail(ValidationError::UnknownReference { field }.into()));
                }
            }
        }
        if records.is_empty() {
            return Ok(None);
        }
        let msg = ChangeMessage::new(meta, ChangeOp::Import, R::COLLECTION, "", Vec::new());
        let (_, hash) = self.transact(&msg, meta.time_ms, |tx| {
            let c = collection_obj(tx, R::COLLECTION)?;
            for r in records {
                autosurgeon::reconcile_prop(tx, &c, r.id().as_str(), r)?;
            }
            Ok(())
        })?;
        Ok(hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::minimal_person;
    use crate::entities::{Person, Post};
    use crate::history::RecordPath;
    use crate::history::history;
    use crate::ids::Id;
    use crate::store::UnitDocument;

    fn meta() -> ChangeMeta {
        ChangeMeta::new("tab", "东风村", "office", 1_700_000_000_000)
    }

    fn people(unit: &Id, n: u8) -> Vec<Person> {
        (0..n)
            .map(|i| minimal_person(Id::from_random_bytes([i + 1; 16]), unit, i as u32))
            .collect()
    }

    #[test]
    fn all_records_in_one_change() {
        let unit = Id::from_random_bytes([9; 16]);
        let mut doc = UnitDocument::new_unit(&unit, &[1; 16], &meta()).unwrap();
        let before = doc.automerge().get_changes(&[]).len();
        let batch = people(&unit, 5);
        let hash = doc.put_all(&batch, &meta()).unwrap();
        assert!(hash.is_some());
        assert_eq!(doc.automerge().get_changes(&[]).len(), before + 1);
        let data = doc.data().unwrap();
        assert_eq!(data.people.len(), 5);
        for p in &batch {
            assert_eq!(data.people[&p.id], *p);
            // The import shows in each record's history.
            let h = history(doc.automerge(), &RecordPath::of::<Person>(&p.id)).unwrap();
            assert_eq!(h.len(), 1);
        }
        assert_eq!(doc.put_all::<Person>(&[], &meta()).unwrap(), None);
    }

    #[test]
    fn one_bad_record_writes_nothing_and_is_named() {
        let unit = Id::from_random_bytes([9; 16]);
        let mut doc = UnitDocument::new_unit(&unit, &[1; 16], &meta()).unwrap();
        let heads = doc.heads();
        let mut batch = people(&unit, 4);
        batch[2].id_number = "11010119900101123".into(); // 17 characters
        match doc.put_all(&batch, &meta()) {
            Err(BulkError::Record { index, error }) => {
                assert_eq!(index, 2);
                assert_eq!(error.field(), Some("id_number"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(doc.heads(), heads);
        assert!(doc.data().unwrap().people.is_empty());
    }

    #[test]
    fn references_must_exist_in_the_document() {
        let unit = Id::from_random_bytes([9; 16]);
        let mut doc = UnitDocument::new_unit(&unit, &[1; 16], &meta()).unwrap();
        let post = Post {
            id: Id::from_random_bytes([3; 16]),
            person_id: Id::from_random_bytes([4; 16]),
            title: crate::entities::PostTitle::Secretary,
            start: crate::Date::new(2021, 1, 1).unwrap(),
            end: None,
            how_obtained: crate::entities::HowObtained::Election,
            concurrent_director: true,
        };
        let e = doc.put_all(&[post], &meta()).unwrap_err();
        assert!(matches!(e, BulkError::Record { index: 0, .. }), "{e:?}");
    }
}
