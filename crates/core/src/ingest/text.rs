//! Lenient scalar fields for wire structs.
//!
//! Exports disagree on types (`"osBuild": 22621` here, `"22621"` there, `null` elsewhere). Wire
//! structs use [`Text`] for every scalar they read, so a surprising type never drops a record: any
//! string, number or boolean becomes text, and null, objects and arrays become "absent".

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// A scalar read as text; empty when absent, null or not a scalar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(pub Option<String>);

impl Text {
    /// The trimmed text, or `None` when absent, blank, or a null written out as text (`"None"`,
    /// `"null"`: what Python- and PowerShell-made exports leave in empty fields).
    pub fn get(&self) -> Option<&str> {
        self.0
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty() && *s != "None" && *s != "null")
    }

    /// The trimmed text, or "" when absent.
    pub fn or_empty(&self) -> &str {
        self.get().unwrap_or("")
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(Some(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text(Some(v)))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Text, D::Error> {
                d.deserialize_any(TextVisitor)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Text, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

/// A list read leniently: a JSON array of anything [`Text`] reads, a single scalar, or null.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextList(pub Vec<String>);

impl<'de> Deserialize<'de> for TextList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shape {
            Many(Vec<Text>),
            One(Text),
        }
        Ok(match Shape::deserialize(deserializer)? {
            Shape::Many(items) => TextList(
                items
                    .iter()
                    .filter_map(|t| t.get().map(str::to_owned))
                    .collect(),
            ),
            Shape::One(t) => TextList(t.get().map(str::to_owned).into_iter().collect()),
        })
    }
}

/// [`lenient_vec`] of raw JSON items: an array's items, anything else (`null` too) as one item.
/// Read straight into a `Value`, without the buffering of the untagged enum.
pub fn lenient_values<'de, D>(deserializer: D) -> Result<Vec<serde_json::Value>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::Array(items) => items,
        other => vec![other],
    })
}

/// A list of structs that tolerates `null` and a single object where an array was expected.
pub fn lenient_vec<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Shape<T> {
        Many(Vec<T>),
        One(T),
        // Anything else (null, a number) reads as an empty list.
        #[allow(dead_code)]
        Nothing(serde::de::IgnoredAny),
    }
    Ok(match Shape::<T>::deserialize(deserializer)? {
        Shape::Many(v) => v,
        Shape::One(t) => vec![t],
        Shape::Nothing(_) => Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_reads_any_scalar_and_ignores_structures() {
        let v: Vec<Text> =
            serde_json::from_str(r#"["a", 1, 2.5, true, null, {"x":1}, [1], "None"]"#)
                .expect("valid test json");
        let got: Vec<Option<&str>> = v.iter().map(Text::get).collect();
        assert_eq!(
            got,
            vec![
                Some("a"),
                Some("1"),
                Some("2.5"),
                Some("true"),
                None,
                None,
                None,
                None
            ]
        );
    }

    #[test]
    fn text_list_accepts_a_scalar() {
        let one: TextList = serde_json::from_str(r#""T1059""#).expect("valid");
        let many: TextList = serde_json::from_str(r#"["T1", null, "T2"]"#).expect("valid");
        assert_eq!(one.0, vec!["T1059"]);
        assert_eq!(many.0, vec!["T1", "T2"]);
    }
}
