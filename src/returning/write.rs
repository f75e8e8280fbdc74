//! Validated writes on synced documents for the 归雁 screens: a write to
//! the district document (the talent register) through the model's
//! [`DistrictDocument`], leaving the document exactly as it was when the
//! write is refused. Unit-document writes use
//! [`crate::roster::write::edit_unit`].

use automerge::Automerge;
use yanzhen_model::{DistrictDocument, ModelError};

/// Runs the model write `f` on the district document `am`. On error
/// nothing is changed.
pub fn edit_district<R>(
    am: &mut Automerge,
    f: impl FnOnce(&mut DistrictDocument) -> Result<R, ModelError>,
) -> Result<R, ModelError> {
    let before = am.clone();
    let mut doc = match DistrictDocument::from_automerge(std::mem::take(am)) {
        Ok(d) => d,
        Err(e) => {
            *am = before;
            return Err(e);
        }
    };
    match f(&mut doc) {
        Ok(r) => {
            *am = doc.into_automerge();
            Ok(r)
        }
        Err(e) => {
            *am = before;
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yanzhen_model::entities::{ExchangeKind, TalentExchange};
    use yanzhen_model::store::DistrictData;
    use yanzhen_model::{ChangeMeta, Date, Id};

    #[test]
    fn a_refused_district_write_changes_nothing() {
        let meta = ChangeMeta::new("t", "组织部", "admin", 1);
        let mut am = DistrictDocument::new_district("测试区", &[1; 16], &meta)
            .unwrap()
            .into_automerge();
        let heads = am.get_heads();
        let mut x = TalentExchange {
            id: Id::from_random_bytes([2; 16]),
            kind: ExchangeKind::MedicalTraining,
            name: String::new(),
            from_org: String::new(),
            to_org: String::new(),
            unit_id: None,
            pair_id: None,
            start: Date::new(2026, 1, 1).unwrap(),
        };
        assert!(edit_district(&mut am, |d| d.put(&x, &meta)).is_err());
        assert_eq!(am.get_heads(), heads);
        x.name = "测试医生".into();
        edit_district(&mut am, |d| d.put(&x, &meta)).unwrap();
        let data: DistrictData = autosurgeon::hydrate(&am).unwrap();
        assert_eq!(data.exchanges.len(), 1);
    }
}
