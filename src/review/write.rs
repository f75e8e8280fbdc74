//! Model reads and writes of the review and filing screens on the synced
//! (plain `Automerge`) documents: writes go through the shared
//! [`edit_district`] / [`crate::roster::write::edit_unit`] (a refused write
//! leaves the document as it was); [`unit_slice`] reads only what these
//! screens need of a unit document.

use automerge::Automerge;
use autosurgeon::Hydrate;
use std::collections::BTreeMap;
use yanzhen_model::entities::{Nomination, Person, Post};
use yanzhen_model::store::UnitData;
use yanzhen_model::{Id, ModelError};

/// District writes: the shared helper (nothing changed when refused).
pub use crate::roster::write::edit_district;

/// What the screens read of a unit document (hydrating 105 whole unit
/// documents on every change would be slow on a tablet).
#[derive(Debug, Clone, Default, Hydrate)]
struct Slice {
    unit_id: Id,
    people: BTreeMap<Id, Person>,
    posts: BTreeMap<Id, Post>,
    #[autosurgeon(missing = "Default::default")]
    nominations: BTreeMap<Id, Nomination>,
}

/// A unit document's id, people, posts and nominations (the other
/// collections are left empty).
pub fn unit_slice(am: &Automerge) -> Result<UnitData, ModelError> {
    let s: Slice = autosurgeon::hydrate(am)?;
    Ok(UnitData {
        unit_id: s.unit_id,
        people: s.people,
        posts: s.posts,
        nominations: s.nominations,
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use yanzhen_model::ChangeMeta;
    use yanzhen_model::entities::{BatchKind, ReviewBatch};
    use yanzhen_model::{Date, DistrictDocument, UnitDocument};

    fn meta() -> ChangeMeta {
        ChangeMeta::new("tab", "组织部", "admin", 1_700_000_000_000)
    }

    fn batch(name: &str) -> ReviewBatch {
        ReviewBatch {
            id: Id::from_random_bytes([4; 16]),
            name: name.into(),
            kind: BatchKind::Election,
            year: 2026,
            opened: Date::new(2026, 3, 1).unwrap(),
        }
    }

    #[test]
    fn a_refused_district_write_changes_nothing() {
        let mut am = DistrictDocument::new_district("区", &[1; 16], &meta())
            .unwrap()
            .into_automerge();
        let heads = am.get_heads();
        let e = edit_district(&mut am, |d| d.put(&batch(" "), &meta())).unwrap_err();
        assert_eq!(e.field(), Some("name"));
        assert_eq!(am.get_heads(), heads);
        edit_district(&mut am, |d| d.put(&batch("2026年换届联审"), &meta())).unwrap();
        assert_ne!(am.get_heads(), heads);
    }

    #[test]
    fn the_slice_reads_people_posts_and_nominations() {
        let demo = yanzhen_model::demo::generate(3);
        let u = &demo.units[0];
        let am = UnitDocument::create(u, &[1; 16], &meta(), yanzhen_model::store::ChangeOp::Import)
            .unwrap()
            .into_automerge();
        let s = unit_slice(&am).unwrap();
        assert_eq!(s.unit_id, u.unit_id);
        assert_eq!(s.people, u.people);
        assert_eq!(s.posts, u.posts);
        assert!(s.commitments.is_empty());
    }
}
