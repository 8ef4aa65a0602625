//! Lenient scalar fields for wire structs.
//!
//! Exports disagree on types (`"osBuild": 22621` here, `"22621"` there, `null` elsewhere). Wire
//! structs use [`Text`] for every scalar they read, so a surprising type never drops a record: any
//! string, number or boolean becomes text, and null, objects and arrays become "absent".

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

/// A scalar read as text; empty when absent, null or not a scalar. `S` holds the text: a
/// `String` (the default), or a [`Str`] borrowed from the record's bytes where it has no escapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text<S = String>(pub Option<S>);

/// [`Text`] borrowed from the record being read when it can be (no escapes to undo): a wire
/// struct of it costs no allocation per field.
pub type Str<'a> = Text<Cow<'a, str>>;

impl<S> Default for Text<S> {
    fn default() -> Self {
        Text(None)
    }
}

/// `text` without white space around it, as `str::trim`; most values start and end with a
/// visible ASCII character and are taken as they are without a look at their characters.
pub fn trimmed(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// `text` in lower case (`str::to_lowercase`), at once for ASCII, which nearly every value is.
pub fn lowered(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    }
}

impl<S: Deref<Target = str>> Text<S> {
    /// The trimmed text, or `None` when absent, blank, or a null written out as text (`"None"`,
    /// `"null"`: what Python- and PowerShell-made exports leave in empty fields).
    pub fn get(&self) -> Option<&str> {
        let text = trimmed(self.0.as_deref()?);
        (!text.is_empty() && text != "None" && text != "null").then_some(text)
    }

    /// The trimmed text, or "" when absent.
    pub fn or_empty(&self) -> &str {
        self.get().unwrap_or("")
    }
}

/// Reads any scalar as text, anything else as absent.
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
        d.deserialize_any(self)
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

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// [`TextVisitor`], keeping a string the deserializer lends for `'de` as it is.
        struct Borrowing;
        fn owned<'a>(text: Text) -> Str<'a> {
            Text(text.0.map(Cow::Owned))
        }
        impl<'de> Visitor<'de> for Borrowing {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Text(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Text(Some(Cow::Owned(v.to_owned()))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Str<'de>, E> {
                TextVisitor.visit_string(v).map(owned)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Str<'de>, E> {
                TextVisitor.visit_bool(v).map(owned)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Str<'de>, E> {
                TextVisitor.visit_i64(v).map(owned)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Str<'de>, E> {
                TextVisitor.visit_u64(v).map(owned)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Str<'de>, E> {
                TextVisitor.visit_f64(v).map(owned)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Str<'de>, E> {
                Ok(Text(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Str<'de>, E> {
                Ok(Text(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Str<'de>, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Str<'de>, A::Error> {
                TextVisitor.visit_seq(seq).map(owned)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Str<'de>, A::Error> {
                TextVisitor.visit_map(map).map(owned)
            }
        }
        deserializer.deserialize_any(Borrowing)
    }
}

/// A list read leniently: a JSON array of anything [`Text`] reads, a single scalar, or null.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextList(pub Vec<String>);

impl<'de> Deserialize<'de> for TextList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Read in one pass (an untagged enum of "many" or "one" buffers the value to try both):
        // an array's items are read as `Text`, anything else is one `Text`.
        struct ListVisitor;
        fn one(text: Text) -> TextList {
            TextList(text.get().map(str::to_owned).into_iter().collect())
        }
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = TextList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of scalars, or one")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TextList, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Text>()? {
                    if let Some(text) = item.get() {
                        items.push(text.to_owned());
                    }
                }
                Ok(TextList(items))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TextList, E> {
                TextVisitor.visit_str(v).map(one)
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<TextList, E> {
                TextVisitor.visit_string(v).map(one)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<TextList, E> {
                TextVisitor.visit_bool(v).map(one)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<TextList, E> {
                TextVisitor.visit_i64(v).map(one)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<TextList, E> {
                TextVisitor.visit_u64(v).map(one)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<TextList, E> {
                TextVisitor.visit_f64(v).map(one)
            }
            fn visit_unit<E: de::Error>(self) -> Result<TextList, E> {
                Ok(TextList(Vec::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<TextList, E> {
                Ok(TextList(Vec::new()))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<TextList, D::Error> {
                d.deserialize_any(ListVisitor)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<TextList, A::Error> {
                TextVisitor.visit_map(map).map(one)
            }
        }
        deserializer.deserialize_any(ListVisitor)
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
    fn text_is_trimmed_of_any_white_space_and_written_out_nulls() {
        let get = |raw: &str| Text(Some(raw.to_owned())).get().map(str::to_owned);
        assert_eq!(get("x"), Some("x".to_owned()));
        assert_eq!(get(" x\t"), Some("x".to_owned()));
        assert_eq!(get("\u{a0}x y\u{2003}"), Some("x y".to_owned()));
        assert_eq!(get("é"), Some("é".to_owned()));
        assert_eq!(get("\nnull "), None);
        assert_eq!(get(" None"), None);
        assert_eq!(get("Nonesuch"), Some("Nonesuch".to_owned()));
        assert_eq!(get(" \u{3000} "), None);
        assert_eq!(get(""), None);
        assert_eq!(Text::<String>(None).get(), None);
    }

    #[test]
    fn str_borrows_what_needs_no_unescaping_and_reads_as_text_does() {
        let json = r#"["a b", "tab\tbed", 7, 2.5, true, null, {"x": "y"}, [1], " None "]"#;
        let borrowed: Vec<Str> = serde_json::from_str(json).expect("valid test json");
        let owned: Vec<Text> = serde_json::from_str(json).expect("valid test json");
        assert!(matches!(borrowed[0].0, Some(Cow::Borrowed("a b"))));
        assert!(matches!(borrowed[1].0, Some(Cow::Owned(_))));
        let got: Vec<Option<&str>> = borrowed.iter().map(Str::get).collect();
        let want: Vec<Option<&str>> = owned.iter().map(Text::get).collect();
        assert_eq!(got, want);
        assert_eq!(
            got[..5],
            [
                Some("a b"),
                Some("tab\tbed"),
                Some("7"),
                Some("2.5"),
                Some("true")
            ]
        );
        assert_eq!(got[5..], [None, None, None, None]);
        // From a value (the value path), strings are lent by the value.
        let value = serde_json::json!("held");
        let lent = Str::deserialize(&value).expect("a string");
        assert!(matches!(lent.0, Some(Cow::Borrowed("held"))));
    }

    #[test]
    fn text_list_accepts_a_scalar() {
        let one: TextList = serde_json::from_str(r#""T1059""#).expect("valid");
        let many: TextList = serde_json::from_str(r#"["T1", null, "T2"]"#).expect("valid");
        assert_eq!(one.0, vec!["T1059"]);
        assert_eq!(many.0, vec!["T1", "T2"]);
    }

    #[test]
    fn text_list_reads_every_shape_as_text_reads_its_items() {
        let read = |json: &str| -> Vec<String> {
            serde_json::from_str::<TextList>(json)
                .expect("valid test json")
                .0
        };
        assert_eq!(
            read(r#"[" a ", 7, 2.5, false, "None", "", [1], {"x": 1}]"#),
            ["a", "7", "2.5", "false"]
        );
        assert_eq!(read("12"), ["12"]);
        assert_eq!(read("true"), ["true"]);
        assert!(read("null").is_empty());
        assert!(read(r#"{"a": ["b"]}"#).is_empty());
        assert!(read("[]").is_empty());
        assert!(read(r#""null""#).is_empty());
        // In a struct, absent and null alike.
        #[derive(Deserialize)]
        struct Holder {
            #[serde(default)]
            roles: Option<TextList>,
        }
        let held: Holder = serde_json::from_str(r#"{"roles": ["x"]}"#).expect("valid");
        assert_eq!(held.roles.map(|r| r.0), Some(vec!["x".to_owned()]));
        let null: Holder = serde_json::from_str(r#"{"roles": null}"#).expect("valid");
        assert!(null.roles.is_none());
    }
}
