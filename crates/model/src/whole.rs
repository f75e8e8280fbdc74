//! Reading a whole document into its domain type in one pass.
//!
//! `autosurgeon::hydrate` looks every field up in the document on its own:
//! one seek in Automerge's columnar op set per key. For the 105 unit
//! documents of the demo district that was ~250 ms natively, and most of
//! the time between "documents loaded" and "dashboard painted" on a
//! tablet's cold open (`cargo xtask bench`, bench/NOTES.md section 3).
//! [`Automerge::hydrate`] walks each object's operations once instead; its
//! tree reaches the domain type through serde, which every model type
//! derives alongside autosurgeon's mapping. The two mappings agree (tested
//! on every document of the demo district and on replicas merged after
//! random concurrent edits); where serde refuses a tree, [`read`] reads the
//! document with autosurgeon as before, so nothing that read before fails
//! now, and errors are autosurgeon's.

use automerge::hydrate::Value;
use automerge::{Automerge, ScalarValue};
use autosurgeon::{Hydrate, HydrateError};
use serde::de::DeserializeOwned;

/// The whole document as `T` (the current state: the winning value of
/// every conflicted field, as autosurgeon reads it).
pub fn read<T: DeserializeOwned + Hydrate>(am: &Automerge) -> Result<T, HydrateError> {
    match serde_json::from_value(json(&am.hydrate(None))) {
        Ok(t) => Ok(t),
        Err(_) => autosurgeon::hydrate(am),
    }
}

/// A hydrated Automerge value as JSON (what serde reads `T` from).
fn json(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Map(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), json(&v.value))).collect()),
        Value::List(l) => J::Array(l.iter().map(|v| json(&v.value)).collect()),
        Value::Text(t) => J::String(String::from(t)),
        Value::Scalar(s) => match s {
            ScalarValue::Str(s) => J::String(s.to_string()),
            ScalarValue::Int(i) | ScalarValue::Timestamp(i) => (*i).into(),
            ScalarValue::Uint(u) => (*u).into(),
            ScalarValue::F64(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            ScalarValue::Counter(c) => i64::from(c).into(),
            ScalarValue::Boolean(b) => (*b).into(),
            ScalarValue::Bytes(b) => b.iter().map(|x| J::from(*x)).collect(),
            ScalarValue::Null | ScalarValue::Unknown { .. } => J::Null,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DistrictData, UnitData};

    #[test]
    fn the_demo_district_reads_the_same_both_ways() {
        let demo = crate::demo::generate(1);
        let (district, units) = crate::demo::build_documents(&demo).unwrap();
        let d: DistrictData = read(district.automerge()).unwrap();
        assert_eq!(d, autosurgeon::hydrate(district.automerge()).unwrap());
        assert!(!units.is_empty());
        for (_, u) in &units {
            let fast: UnitData = read(u.automerge()).unwrap();
            assert_eq!(fast, autosurgeon::hydrate(u.automerge()).unwrap());
        }
    }

    #[test]
    fn a_tree_serde_refuses_is_read_by_autosurgeon() {
        // A scalar where serde wants a map: both refuse, with autosurgeon's error.
        let mut am = automerge::AutoCommit::new();
        use automerge::transaction::Transactable as _;
        am.put(automerge::ROOT, "schema_version", "not a number")
            .unwrap();
        let err = read::<UnitData>(am.document()).unwrap_err();
        assert_eq!(
            err.to_string(),
            autosurgeon::hydrate::<_, UnitData>(am.document())
                .unwrap_err()
                .to_string()
        );
    }

    #[test]
    fn scalars_become_json() {
        use serde_json::json as j;
        assert_eq!(json(&Value::scalar(ScalarValue::Int(-3))), j!(-3));
        assert_eq!(json(&Value::scalar(ScalarValue::Uint(3))), j!(3));
        assert_eq!(json(&Value::scalar(ScalarValue::Boolean(true))), j!(true));
        assert_eq!(json(&Value::scalar(ScalarValue::Null)), j!(null));
        assert_eq!(json(&Value::scalar(ScalarValue::F64(f64::NAN))), j!(null));
        assert_eq!(
            json(&Value::scalar(ScalarValue::Bytes(vec![1, 2]))),
            j!([1, 2])
        );
        assert_eq!(
            json(&Value::scalar(ScalarValue::Str("甲".into()))),
            j!("甲")
        );
    }
}
