//! Model reads and writes of the review and filing screens on the synced
//! (plain `Automerge`) documents: writes go through the shared
//! [`edit_district`] / [`crate::data::edit::edit_unit`] (a refused write
//! leaves the document as it was). The screens read unit documents from
//! the app's shared memo ([`crate::data::units`]).

/// District writes: the shared helper (nothing changed when refused).
pub use crate::data::edit::edit_district;

#[cfg(test)]
mod tests {
    use super::*;
    use yanzhen_model::ChangeMeta;
    use yanzhen_model::entities::{BatchKind, ReviewBatch};
    use yanzhen_model::{Date, DistrictDocument, Id};

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
}
