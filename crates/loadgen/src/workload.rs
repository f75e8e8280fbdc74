//! What the benchmarks sync and merge: unit documents with people, edited
//! through the model's validated write path ([`UnitDocument::put`], one
//! Automerge change with a commit message per edit), exactly as the app
//! writes them.
//!
//! * The **storm**: `tablets` tablets in groups of `group`; every group
//!   shares `docs` unit documents; every tablet edits each of its documents
//!   `changes` times while offline ([`StormSpec`]).
//! * The **merge**: 10 replicas of one unit document × 500 offline changes
//!   (adds and field edits), the same workload as the model crate's divan
//!   bench ([`merge_workload`]).

use yanzhen_model::entities::Person;
use yanzhen_model::store::UnitDocument;
use yanzhen_model::{ChangeMeta, Id};

use crate::Error;

/// People in every storm document before the tablets go offline.
pub const PEOPLE_PER_DOC: u32 = 20;

/// The shape of the reconnect storm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StormSpec {
    /// Simulated tablets.
    pub tablets: u32,
    /// Documents per tablet.
    pub docs: u32,
    /// Offline changes per tablet and document.
    pub changes: u32,
    /// Tablets sharing the same documents (a group edits them concurrently).
    pub group: u32,
}

impl Default for StormSpec {
    fn default() -> Self {
        Self {
            tablets: 200,
            docs: 3,
            changes: 20,
            group: 4,
        }
    }
}

impl StormSpec {
    /// Number of distinct documents.
    pub fn document_count(&self) -> u32 {
        self.tablets.div_ceil(self.group.max(1)) * self.docs
    }

    /// The global indices of the documents of `tablet`.
    pub fn docs_of(&self, tablet: u32) -> impl Iterator<Item = u32> + use<> {
        let first = (tablet / self.group.max(1)) * self.docs;
        first..first + self.docs
    }

    /// The tablets holding document `doc`.
    pub fn tablets_of(&self, doc: u32) -> impl Iterator<Item = u32> + use<> {
        let g = self.group.max(1);
        let first = (doc / self.docs) * g;
        first..(first + g).min(self.tablets)
    }
}

/// 16 bytes from a tag and two numbers (ids and actors of the workload are
/// deterministic, so every run syncs the same bytes).
pub fn bytes16(tag: u8, a: u32, b: u32) -> [u8; 16] {
    let mut out = [tag; 16];
    out[1..5].copy_from_slice(&a.to_le_bytes());
    out[5..9].copy_from_slice(&b.to_le_bytes());
    out
}

/// The unit (record) id of storm document `doc`.
pub fn unit_of(doc: u32) -> Id {
    Id::from_random_bytes(bytes16(0xA0, doc, 0))
}

/// Person `n` of the unit.
pub fn person(id: Id, unit: &Id, n: u32) -> Person {
    yanzhen_model::demo::minimal_person(id, unit, n)
}

/// The id of person `n` of storm document `doc`.
pub fn person_id(doc: u32, n: u32) -> Id {
    Id::from_random_bytes(bytes16(0xB0, doc, n))
}

fn meta(device: &str, time_ms: i64) -> ChangeMeta {
    ChangeMeta::new(device, "bench", "village", time_ms)
}

/// Storm document `doc` as everybody has it before going offline: a unit
/// with [`PEOPLE_PER_DOC`] people, one change each.
pub fn base_document(doc: u32) -> Result<UnitDocument, Error> {
    let unit = unit_of(doc);
    let m = meta("district", 0);
    let mut d = UnitDocument::new_unit(&unit, &bytes16(0xC0, doc, 0), &m)?;
    for n in 0..PEOPLE_PER_DOC {
        d.put(&person(person_id(doc, n), &unit, n), &m)?;
    }
    Ok(d)
}

/// `changes` offline field edits (a person's phone number) by `tablet` on
/// its replica of storm document `doc`: one change each.
pub fn offline_edits(
    d: &mut UnitDocument,
    doc: u32,
    tablet: u32,
    changes: u32,
) -> Result<(), Error> {
    let unit = unit_of(doc);
    let device = format!("tablet-{tablet}");
    for k in 0..changes {
        let n = (tablet * 7 + k * 3) % PEOPLE_PER_DOC;
        let mut p = d
            .get::<Person>(&person_id(doc, n))?
            .unwrap_or_else(|| person(person_id(doc, n), &unit, n));
        p.phone = format!("139{:08}", (tablet * 1000 + k) % 100_000_000);
        d.put(&p, &meta(&device, 1_000 + i64::from(k)))?;
    }
    Ok(())
}

/// A tablet's replica of storm document `doc` after its offline edits.
pub fn tablet_replica(
    base: &UnitDocument,
    doc: u32,
    tablet: u32,
    changes: u32,
) -> Result<UnitDocument, Error> {
    let mut d = base.fork(&bytes16(0xD0, tablet, doc));
    offline_edits(&mut d, doc, tablet, changes)?;
    Ok(d)
}

/// 10 replicas of one unit document, each with 500 local changes made
/// offline (every fifth adds a person, the others edit a phone number).
pub fn merge_workload() -> Result<(UnitDocument, Vec<UnitDocument>), Error> {
    let unit = Id::from_random_bytes([9; 16]);
    let base = UnitDocument::new_unit(&unit, &[1; 16], &ChangeMeta::new("d", "p", "r", 0))?;
    let mut out = Vec::new();
    for r in 0..10u8 {
        let mut doc = base.fork(&[r + 10; 16]);
        let mut mine: Vec<Person> = Vec::new();
        for k in 0..500u32 {
            let m = ChangeMeta::new("dev", "p", "clerk", i64::from(k));
            if k % 5 == 0 || mine.is_empty() {
                let mut b = [r; 16];
                b[1..5].copy_from_slice(&k.to_le_bytes());
                let p = person(Id::from_random_bytes(b), &unit, k);
                doc.put(&p, &m)?;
                mine.push(p);
            } else {
                let i = (k as usize * 7) % mine.len();
                mine[i].phone = format!("139{:08}", k * 13 + u32::from(r));
                doc.put(&mine[i], &m)?;
            }
        }
        out.push(doc);
    }
    Ok((base, out))
}

/// Merges every replica into `target` (what a tablet does when ten offices'
/// offline work arrives).
pub fn merge_all(target: &mut UnitDocument, replicas: &mut [UnitDocument]) -> Result<(), Error> {
    for r in replicas.iter_mut() {
        target.merge(r)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storm_layout_covers_every_tablet_and_document() {
        let s = StormSpec {
            tablets: 10,
            docs: 3,
            changes: 2,
            group: 4,
        };
        assert_eq!(s.document_count(), 9);
        assert_eq!(s.docs_of(5).collect::<Vec<_>>(), vec![3, 4, 5]);
        assert_eq!(s.tablets_of(7).collect::<Vec<_>>(), vec![8, 9]);
        for t in 0..s.tablets {
            for d in s.docs_of(t) {
                assert!(s.tablets_of(d).any(|x| x == t));
            }
        }
    }

    #[test]
    fn offline_edits_are_one_change_each_and_merge() {
        let base = base_document(1).unwrap();
        let mut a = tablet_replica(&base, 1, 0, 5).unwrap();
        let mut b = tablet_replica(&base, 1, 1, 5).unwrap();
        let before = base.automerge().get_changes(&[]).len();
        assert_eq!(a.automerge().get_changes(&[]).len(), before + 5);
        a.merge(&mut b).unwrap();
        assert_eq!(a.automerge().get_changes(&[]).len(), before + 10);
    }
}
