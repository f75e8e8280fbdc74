//! Reading a document, or one record of it, into its domain type in one
//! pass: the only reading codec the app reaches.
//!
//! `autosurgeon::hydrate` looks every field up in the document on its own:
//! one seek in Automerge's columnar op set per key. For the 105 unit
//! documents of the demo district that was ~250 ms natively, and most of
//! the time between "documents loaded" and "dashboard painted" on a
//! tablet's cold open (`cargo xtask bench`, bench/NOTES.md section 3).
//! [`Automerge::hydrate`] walks each object's operations once instead; serde
//! reads its tree directly (no JSON in between), which every model type
//! derives alongside autosurgeon's mapping.
//!
//! Whole documents ([`read`]) and single records ([`read_obj`]: the current
//! record, one at old heads, one inside a transaction) are read this way, so
//! the web app carries one reader of each model type, not two (issue 16:
//! autosurgeon's `Hydrate` code was ~135 KB of the main module). The
//! `Hydrate` derives stay for the native tests that check the two mappings
//! agree: on every document of the demo district, on replicas merged after
//! random concurrent edits, and with every field of every record replaced
//! by each kind of Automerge value. Every tree autosurgeon reads, serde
//! reads to the same value; serde also reads a few trees autosurgeon
//! refuses (a text object where a string is due, a signed or unsigned
//! integer of the other kind in range, a counter or timestamp as an
//! integer, an integer as a float, a missing `Option` field as `None`, an
//! unknown scalar as null). Where serde refuses, the error is a
//! [`HydrateError`] with serde's message, never a panic.

use automerge::hydrate::Value;
use automerge::{Automerge, ObjId, ReadDoc, ScalarValue};
use autosurgeon::HydrateError;
use serde::de::DeserializeOwned;

/// The whole document as `T` (the current state: the winning value of
/// every conflicted field, as autosurgeon reads it).
pub fn read<T: DeserializeOwned>(am: &Automerge) -> Result<T, HydrateError> {
    from_tree(&am.hydrate(None))
}

/// The object `obj` of `doc` (e.g. one record's map) as `T`, in its
/// current state; `doc` may be a transaction (its own writes included) or
/// a fork at old heads.
pub fn read_obj<T: DeserializeOwned, D: ReadDoc>(doc: &D, obj: &ObjId) -> Result<T, HydrateError> {
    from_tree(&doc.hydrate(obj, None)?)
}

/// A hydrated tree as `T`.
fn from_tree<T: DeserializeOwned>(tree: &Value) -> Result<T, HydrateError> {
    T::deserialize(Tree(tree))
        .map_err(|Refused(why)| HydrateError::unexpected("the model's shape", why))
}

/// A hydrated tree as serde's input (what `serde_json::Value` would give
/// for its JSON, without building it).
#[derive(Clone, Copy)]
struct Tree<'a>(&'a Value);

impl Tree<'_> {
    /// Read as null (as are automerge's future value types). A NaN or an
    /// infinity stays a float, as autosurgeon reads it.
    fn is_null(self) -> bool {
        matches!(
            self.0,
            Value::Scalar(ScalarValue::Null | ScalarValue::Unknown { .. })
        )
    }
}

/// Why serde refused a tree (serde's message).
#[derive(Debug)]
struct Refused(String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

impl serde::de::Error for Refused {
    fn custom<M: std::fmt::Display>(msg: M) -> Self {
        Refused(msg.to_string())
    }
}

impl<'de> serde::Deserializer<'de> for Tree<'_> {
    type Error = Refused;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, v: V) -> Result<V::Value, Refused> {
        if self.is_null() {
            return v.visit_unit();
        }
        match self.0 {
            Value::Map(_) => self.deserialize_map(v),
            Value::List(_) => self.deserialize_seq(v),
            Value::Text(t) => v.visit_string(String::from(t)),
            Value::Scalar(s) => match s {
                ScalarValue::Str(s) => v.visit_str(s),
                ScalarValue::Int(i) | ScalarValue::Timestamp(i) => v.visit_i64(*i),
                ScalarValue::Uint(u) => v.visit_u64(*u),
                ScalarValue::F64(f) => v.visit_f64(*f),
                ScalarValue::Counter(c) => v.visit_i64(i64::from(c)),
                ScalarValue::Boolean(b) => v.visit_bool(*b),
                ScalarValue::Bytes(_) => self.deserialize_seq(v),
                ScalarValue::Null | ScalarValue::Unknown { .. } => v.visit_unit(),
            },
        }
    }

    // Maps, structs and lists are read only from their own kind of tree
    // (anything else is refused, as each of their visitors would refuse
    // it): each struct's deserialiser then holds its `visit_map` alone, not
    // also the `visit_seq` and scalar paths no document takes (about a
    // third of the model's code in the wasm).
    fn deserialize_map<V: serde::de::Visitor<'de>>(self, v: V) -> Result<V::Value, Refused> {
        let Value::Map(m) = self.0 else {
            return Err(serde::de::Error::custom("not a map"));
        };
        let mut map = serde::de::value::MapDeserializer::<_, Refused>::new(
            m.iter().map(|(k, e)| (k.as_str(), Tree(&e.value))),
        );
        let out = v.visit_map(&mut map)?;
        map.end()?;
        Ok(out)
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Refused> {
        self.deserialize_map(v)
    }

    fn deserialize_seq<V: serde::de::Visitor<'de>>(self, v: V) -> Result<V::Value, Refused> {
        use serde::de::value::SeqDeserializer;
        match self.0 {
            Value::List(l) => {
                let mut seq = SeqDeserializer::<_, Refused>::new(l.iter().map(|e| Tree(&e.value)));
                let out = v.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(out)
            }
            Value::Scalar(ScalarValue::Bytes(b)) => {
                v.visit_seq(SeqDeserializer::<_, Refused>::new(b.iter().copied()))
            }
            _ => Err(serde::de::Error::custom("not a list")),
        }
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(self, v: V) -> Result<V::Value, Refused> {
        if self.is_null() {
            v.visit_none()
        } else {
            v.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, Refused> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Refused> {
        match self.0 {
            // A unit variant: its name.
            Value::Scalar(ScalarValue::Str(s)) => {
                v.visit_enum(serde::de::IntoDeserializer::<Refused>::into_deserializer(
                    s.as_str(),
                ))
            }
            Value::Text(t) => v.visit_enum(
                serde::de::IntoDeserializer::<Refused>::into_deserializer(String::from(t)),
            ),
            // Any other variant: a map of one entry, name → content.
            Value::Map(m) if m.len() == 1 => {
                let (name, e) = m.iter().next().expect("one entry");
                v.visit_enum(Variant(name, Tree(&e.value)))
            }
            _ => Err(serde::de::Error::custom("not an enum")),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct tuple tuple_struct identifier ignored_any
    }
}

impl<'de> serde::de::IntoDeserializer<'de, Refused> for Tree<'_> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

/// A non-unit enum variant: `{name: content}`.
struct Variant<'a>(&'a str, Tree<'a>);

impl<'de, 'a> serde::de::EnumAccess<'de> for Variant<'a> {
    type Error = Refused;
    type Variant = Tree<'a>;

    fn variant_seed<S: serde::de::DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Tree<'a>), Refused> {
        let name = seed.deserialize(serde::de::IntoDeserializer::<Refused>::into_deserializer(
            self.0,
        ))?;
        Ok((name, self.1))
    }
}

impl<'de> serde::de::VariantAccess<'de> for Tree<'_> {
    type Error = Refused;

    fn unit_variant(self) -> Result<(), Refused> {
        Ok(())
    }

    fn newtype_variant_seed<S: serde::de::DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<S::Value, Refused> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: serde::de::Visitor<'de>>(
        self,
        _len: usize,
        v: V,
    ) -> Result<V::Value, Refused> {
        serde::Deserializer::deserialize_any(self, v)
    }

    fn struct_variant<V: serde::de::Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Refused> {
        serde::Deserializer::deserialize_map(self, v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DistrictData, UnitData};
    use serde::Deserialize as _;

    /// What serde reads from a hydrated value, as JSON.
    fn json(v: &Value) -> serde_json::Value {
        serde_json::Value::deserialize(Tree(v)).unwrap()
    }

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
    fn a_tree_both_refuse_is_an_error_with_serdes_message() {
        // A scalar where a map is due.
        let mut am = automerge::AutoCommit::new();
        use automerge::transaction::Transactable as _;
        am.put(automerge::ROOT, "schema_version", "not a number")
            .unwrap();
        assert!(autosurgeon::hydrate::<_, UnitData>(am.document()).is_err());
        let err = read::<UnitData>(am.document()).unwrap_err();
        assert!(matches!(err, HydrateError::Unexpected(_)));
        assert!(err.to_string().contains("invalid type"), "{err}");
    }

    #[test]
    fn collections_added_by_a_later_schema_read_as_empty_when_missing() {
        // As autosurgeon's `missing = "Default::default"` reads them (a
        // document of schema 1 or 2, before migration).
        let mut am = automerge::AutoCommit::new();
        autosurgeon::reconcile(&mut am, UnitData::new(crate::Id::from_string("u"))).unwrap();
        use automerge::transaction::Transactable as _;
        am.delete(automerge::ROOT, "career_moves").unwrap();
        am.delete(automerge::ROOT, "nominations").unwrap();
        let by_field: UnitData = autosurgeon::hydrate(am.document()).unwrap();
        assert_eq!(read::<UnitData>(am.document()).unwrap(), by_field);
        assert_eq!(by_field, UnitData::new(crate::Id::from_string("u")));
    }

    #[test]
    fn a_float_that_is_not_finite_stays_a_float() {
        let nan = Value::scalar(ScalarValue::F64(f64::NAN));
        assert!(f64::deserialize(Tree(&nan)).unwrap().is_nan());
        assert!(Option::<f64>::deserialize(Tree(&nan)).unwrap().is_some());
        let null = Value::scalar(ScalarValue::Null);
        assert_eq!(Option::<f64>::deserialize(Tree(&null)).unwrap(), None);
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

    #[test]
    fn maps_and_lists_are_read_only_as_their_own_kind() {
        use automerge::transaction::Transactable as _;
        use serde_json::json as j;
        use std::collections::BTreeMap;
        let mut am = automerge::AutoCommit::new();
        let list = am
            .put_object(automerge::ROOT, "list", automerge::ObjType::List)
            .unwrap();
        am.insert(&list, 0, 1_i64).unwrap();
        am.insert(&list, 1, 2_i64).unwrap();
        let map = am
            .put_object(automerge::ROOT, "map", automerge::ObjType::Map)
            .unwrap();
        am.put(&map, "a", 1_i64).unwrap();
        let root = am.document().hydrate(None);
        assert_eq!(json(&root), j!({"list": [1, 2], "map": {"a": 1}}));
        let Value::Map(m) = &root else {
            panic!("the root is a map")
        };
        let (list, map) = (m.get("list").unwrap(), m.get("map").unwrap());
        assert_eq!(Vec::<i64>::deserialize(Tree(list)).unwrap(), [1, 2]);
        let read = BTreeMap::<String, i64>::deserialize(Tree(map)).unwrap();
        assert_eq!(read, BTreeMap::from([("a".to_owned(), 1)]));
        // The other way round, or from a scalar, serde refuses.
        assert!(Vec::<i64>::deserialize(Tree(map)).is_err());
        assert!(BTreeMap::<String, i64>::deserialize(Tree(list)).is_err());
        assert!(UnitData::deserialize(Tree(list)).is_err());
        let scalar = Value::scalar(ScalarValue::Int(1));
        assert!(Vec::<i64>::deserialize(Tree(&scalar)).is_err());
        assert!(UnitData::deserialize(Tree(&scalar)).is_err());
        let bytes = Value::scalar(ScalarValue::Bytes(vec![7, 8]));
        assert_eq!(Vec::<u8>::deserialize(Tree(&bytes)).unwrap(), [7, 8]);
    }
}
