//! Reading a whole document into its domain type in one pass.
//!
//! `autosurgeon::hydrate` looks every field up in the document on its own:
//! one seek in Automerge's columnar op set per key. For the 105 unit
//! documents of the demo district that was ~250 ms natively, and most of
//! the time between "documents loaded" and "dashboard painted" on a
//! tablet's cold open (`cargo xtask bench`, bench/NOTES.md section 3).
//! [`Automerge::hydrate`] walks each object's operations once instead; serde
//! reads its tree directly (no JSON in between), which every model type
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
    match T::deserialize(Tree(&am.hydrate(None))) {
        Ok(t) => Ok(t),
        Err(_) => autosurgeon::hydrate(am),
    }
}

/// A hydrated tree as serde's input (what `serde_json::Value` would give
/// for its JSON, without building it).
#[derive(Clone, Copy)]
struct Tree<'a>(&'a Value);

impl Tree<'_> {
    /// Read as null (JSON has no NaN or infinity, nor automerge's future
    /// value types).
    fn is_null(self) -> bool {
        match self.0 {
            Value::Scalar(ScalarValue::Null | ScalarValue::Unknown { .. }) => true,
            Value::Scalar(ScalarValue::F64(f)) => !f.is_finite(),
            _ => false,
        }
    }
}

/// Why serde refused a tree (only ever seen as "fall back").
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
        // serde itself reads them (no fallback taken).
        assert!(DistrictData::deserialize(Tree(&district.automerge().hydrate(None))).is_ok());
        for (_, u) in &units {
            assert!(UnitData::deserialize(Tree(&u.automerge().hydrate(None))).is_ok());
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
