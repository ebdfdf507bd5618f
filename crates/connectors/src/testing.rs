//! Helpers for the contract tests: the specs' location, and the field names a wire type reads
//! (taken from serde itself, so the tests check the real types, not a copy of their fields).

use serde::de::{self, Deserialize, Deserializer, Visitor};

#[path = "../../sandbox/src/shopify/admin_schema.rs"]
pub(crate) mod admin_schema;

/// A file of `shared/specs/`, which sits beside the workspace (and beside CI's clone).
pub(crate) fn spec(path: &str) -> String {
    let full = format!(
        "{}/../../../shared/specs/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("reading {full}: {e}"))
}

pub(crate) fn spec_json(path: &str) -> serde_json::Value {
    serde_json::from_str(&spec(path)).unwrap()
}

/// The JSON field names `T` deserializes (after `rename`s).
pub(crate) fn field_names<T: for<'de> Deserialize<'de>>() -> &'static [&'static str] {
    let mut fields = None;
    let _ = T::deserialize(Probe(&mut fields));
    fields.unwrap_or_else(|| panic!("{} is not a struct", std::any::type_name::<T>()))
}

struct Probe<'a>(&'a mut Option<&'static [&'static str]>);

impl<'de> Deserializer<'de> for Probe<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = Some(fields);
        Err(de::Error::custom("probed"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// A file of the project's own `docs/` (the supplier contract is ours, not a vendor's).
pub(crate) fn project_doc(path: &str) -> String {
    let full = format!("{}/../../docs/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("reading {full}: {e}"))
}
