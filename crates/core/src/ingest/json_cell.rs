//! JSON written into a cell (Sentinel's `Entities`, a list column), read into a value that
//! borrows its strings from the cell and keeps an object's members in one sorted list.
//!
//! It holds what `serde_json::Value` would hold for the same text (this build's
//! `serde_json::Map` is a `BTreeMap`: members in key order, a repeated key keeps its last value;
//! the same numbers; the same depth limit), without an allocation per string or per map node.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};
use std::borrow::Cow;
use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    Object(Object<'a>),
}

/// An object's members sorted by key, each key once.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Object<'a>(Vec<(Cow<'a, str>, Json<'a>)>);

impl<'a> Json<'a> {
    /// The JSON text `text`, or `None` when it is not JSON.
    pub fn parse(text: &'a str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }

    /// The same value as `value`, borrowing its strings.
    pub fn borrowing(value: &'a Value) -> Self {
        match value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Number(n.clone()),
            Value::String(s) => Json::String(Cow::Borrowed(s)),
            Value::Array(items) => Json::Array(items.iter().map(Json::borrowing).collect()),
            Value::Object(map) => Json::Object(Object::sorted(
                map.iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), Json::borrowing(v)))
                    .collect(),
            )),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Json::Object(o) => Some(o),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// The member `key` of an object (`None` for anything else).
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        self.as_object()?.get(key)
    }

    /// A scalar as text, as `Row::text` reads a field: a string trimmed, a number or a boolean
    /// written out; `None` for anything else.
    pub fn scalar_text(&self) -> Option<Cow<'_, str>> {
        match self {
            Json::String(s) => Some(Cow::Borrowed(super::text::trimmed(s))),
            Json::Number(n) => Some(Cow::Owned(n.to_string())),
            Json::Bool(b) => Some(Cow::Owned(b.to_string())),
            _ => None,
        }
    }

    /// The same value as a `serde_json::Value`.
    #[cfg(test)]
    pub fn to_value(&self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Number(n.clone()),
            Json::String(s) => Value::String(s.to_string()),
            Json::Array(items) => Value::Array(items.iter().map(Json::to_value).collect()),
            Json::Object(o) => Value::Object(o.to_map()),
        }
    }
}

impl<'a> Object<'a> {
    /// Members as read, in any order, repeated keys included: sorted, the last of each key kept.
    fn sorted(mut members: Vec<(Cow<'a, str>, Json<'a>)>) -> Self {
        if !members.is_sorted_by(|a, b| a.0 < b.0) {
            // Reversed, a stable sort puts the last of equal keys first, and dedup keeps the first.
            members.reverse();
            members.sort_by(|a, b| a.0.cmp(&b.0));
            members.dedup_by(|later, first| later.0 == first.0);
        }
        Object(members)
    }

    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        self.0
            .binary_search_by(|(k, _)| k.as_ref().cmp(key))
            .ok()
            .map(|at| &self.0[at].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Json<'a>)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Json<'a>> {
        self.0.iter_mut().map(|(_, v)| v)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first of `names` (in any letter case; of two keys differing only in case, the last in
    /// key order) that holds a scalar, as trimmed text; `"None"`/`"null"` and blanks are absent.
    /// What `Row::text` answers for the same object.
    pub fn text(&self, names: &[&str]) -> Option<Cow<'_, str>> {
        names.iter().find_map(|name| {
            let (_, value) = self
                .0
                .iter()
                .rev()
                .find(|(key, _)| key.len() == name.len() && key.eq_ignore_ascii_case(name))?;
            super::tabular::usable(value.scalar_text()?)
        })
    }

    #[cfg(test)]
    pub fn to_map(&self) -> serde_json::Map<String, Value> {
        self.0
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_value()))
            .collect()
    }
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Json<'de>, E> {
        Ok(Json::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Json<'de>, E> {
        Ok(Json::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Json<'de>, E> {
        Ok(Json::Number(n.into()))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Json<'de>, E> {
        Ok(Number::from_f64(f).map_or(Json::Null, Json::Number))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(s)))
    }

    fn visit_unit<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json<'de>, D::Error> {
        Json::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(Key(key)) = map.next_key()? {
            members.push((key, map.next_value()?));
        }
        Ok(Json::Object(Object::sorted(members)))
    }
}

/// An object's key, borrowed when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_serde_json_value_reads() {
        let texts = [
            r#"{"b":1,"a":[true,null,-2,3.5,1e300,18446744073709551616,"x\"y",{"k":"v"}],"$id":"1"}"#,
            r#"{"Type":"ip","type":"url","Type":"host","A":{"z":0,"z":-0.0,"y":[]}}"#,
            r#"[{"é\u00e9":"\ud83d\ude00"},{},[],"",0,-0,1.0e2]"#,
            r#"  {"x": "  padded  "}  "#,
        ];
        for text in texts {
            let value: Value = serde_json::from_str(text).expect("test JSON");
            let json = Json::parse(text).expect("JSON");
            assert_eq!(json.to_value(), value, "{text}");
            assert_eq!(Json::borrowing(&value), json, "{text}");
        }
        for bad in ["", "{", "[1e400]", r#"{"a":1}x"#, "[1,]", &"[".repeat(200)] {
            assert_eq!(
                Json::parse(bad).is_some(),
                serde_json::from_str::<Value>(bad).is_ok(),
                "{bad}"
            );
        }
        let deep = format!("{}1{}", "[".repeat(127), "]".repeat(127));
        assert!(Json::parse(&deep).is_some());
    }

    #[test]
    fn members_are_found_by_exact_key_and_by_name_in_any_case() {
        let Some(Json::Object(o)) = Json::parse(
            r#"{"HostName":" ws-1 ","hostname":"ws-2","N":7,"B":false,"E":"None","O":{}}"#,
        ) else {
            panic!("an object")
        };
        assert_eq!(o.get("HostName").and_then(Json::as_str), Some(" ws-1 "));
        assert_eq!(o.get("HOSTNAME"), None);
        // `hostname` sorts after `HostName`: the last of the two in key order answers.
        assert_eq!(o.text(&["HOSTNAME"]).as_deref(), Some("ws-2"));
        assert_eq!(o.text(&["n"]).as_deref(), Some("7"));
        assert_eq!(o.text(&["b"]).as_deref(), Some("false"));
        assert_eq!(o.text(&["E", "O", "N"]).as_deref(), Some("7"));
        assert!(o.contains_key("O") && !o.contains_key("o"));
        assert_eq!(o.len(), 6);
    }
}
