//! What a page passed for one option or parameter, or what a server answered under one name,
//! read without failing: the core then says which field is wrong and what it must be (or, for
//! a server's answer, that a required member is missing).
//!
//! Why not `Option<String>` with serde's own type errors: they do not name the field, and the
//! crate that adds the path (serde_path_to_error) wraps every visitor, 4.3 KB brotli of the
//! package. One visitor for every field costs a fraction of that; read member by member
//! (`Members` for the page's objects, `Platform::member` for answers), no struct needs a
//! deserializer of its own.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::error::{codes, SdkError};

/// A field's value, as far as the SDK cares.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Given {
    /// Missing, `undefined` or `null`.
    #[default]
    Absent,
    Text(String),
    Number(f64),
    Flag(bool),
    /// An array of strings (a server's `aud` or list member).
    Texts(Vec<String>),
    /// An object, any other array, or anything else no field takes.
    Other,
}

/// A field that is not what it must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wrong {
    pub field: &'static str,
    pub must_be: &'static str,
}

impl Wrong {
    fn error(self, code: &'static str) -> SdkError {
        SdkError::new(code, String::from(self.field) + " must be " + self.must_be)
    }

    /// As a bad option of the constructor.
    pub fn option(self) -> SdkError {
        self.error(codes::INVALID_OPTIONS)
    }
}

/// As a bad parameter of a method.
impl From<Wrong> for SdkError {
    fn from(wrong: Wrong) -> Self {
        wrong.error(codes::INVALID_INPUT)
    }
}

impl Given {
    /// A string, or absent.
    pub fn text(&self, field: &'static str) -> Result<Option<&str>, Wrong> {
        match self {
            Given::Absent => Ok(None),
            Given::Text(text) => Ok(Some(text)),
            _ => Err(Wrong {
                field,
                must_be: "a string",
            }),
        }
    }

    /// A whole number that fits `u32`, or absent.
    pub fn whole(&self, field: &'static str) -> Result<Option<u32>, Wrong> {
        match self {
            Given::Absent => Ok(None),
            Given::Number(n) if n.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(n) => {
                Ok(Some(*n as u32))
            }
            _ => Err(Wrong {
                field,
                must_be: "a whole number",
            }),
        }
    }

    /// `true` or `false`, or absent.
    pub fn flag(&self, field: &'static str) -> Result<Option<bool>, Wrong> {
        match self {
            Given::Absent => Ok(None),
            Given::Flag(flag) => Ok(Some(*flag)),
            _ => Err(Wrong {
                field,
                must_be: "true or false",
            }),
        }
    }
}

/// What a server answered under one name, taken as it is (a server's answer is not the page's
/// input: a member of the wrong type reads as absent, and the check that needs it refuses).
impl Given {
    pub fn into_text(self) -> Option<String> {
        match self {
            Given::Text(text) => Some(text),
            _ => None,
        }
    }

    pub fn number(&self) -> Option<f64> {
        match self {
            Given::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// A string or an array of strings, as a list.
    pub fn into_texts(self) -> Vec<String> {
        match self {
            Given::Text(text) => vec![text],
            Given::Texts(texts) => texts,
            _ => Vec::new(),
        }
    }
}

impl<'de> Deserialize<'de> for Given {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(GivenVisitor)
    }
}

/// Accepts anything: a value no field takes is [`Given::Other`], and is not looked into (an
/// object may be deep or cyclic).
struct GivenVisitor;

impl<'de> Visitor<'de> for GivenVisitor {
    type Value = Given;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Given, E> {
        Ok(Given::Absent)
    }

    fn visit_none<E: de::Error>(self) -> Result<Given, E> {
        Ok(Given::Absent)
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<Given, E> {
        Ok(Given::Flag(flag))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Given, E> {
        Ok(Given::Number(n as f64))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Given, E> {
        Ok(Given::Number(n as f64))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Given, E> {
        Ok(Given::Number(n))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Given, E> {
        Ok(Given::Text(text.into()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Given, E> {
        Ok(Given::Text(text))
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Given, E> {
        Ok(Given::Other)
    }

    fn visit_byte_buf<E: de::Error>(self, _: Vec<u8>) -> Result<Given, E> {
        Ok(Given::Other)
    }

    // An array of strings is kept; any other is drained as the serde contract asks, without
    // looking into its items (serde-wasm-bindgen never even touches an ignored value).
    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Given, A::Error> {
        let mut texts = Some(Vec::new());
        while let Some(item) = items.next_element::<Item>()? {
            match (item, &mut texts) {
                (Item(Some(text)), Some(list)) => list.push(text),
                _ => texts = None,
            }
        }
        Ok(texts.map_or(Given::Other, Given::Texts))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Given, A::Error> {
        while members.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Given::Other)
    }
}

/// An array's item: a string, or `None` for anything else (not looked into: an item may be
/// deep or cyclic).
struct Item(Option<String>);

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ItemVisitor)
    }
}

struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = Item;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Item, E> {
        Ok(Item(Some(text.into())))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Item, E> {
        Ok(Item(Some(text)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Item, E> {
        Ok(Item(None))
    }

    fn visit_none<E: de::Error>(self) -> Result<Item, E> {
        Ok(Item(None))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Item, E> {
        Ok(Item(None))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Item, E> {
        Ok(Item(None))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Item, E> {
        Ok(Item(None))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Item, E> {
        Ok(Item(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Item, A::Error> {
        while items.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Item(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Item, A::Error> {
        while members.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Item(None))
    }
}

/// An options or parameter struct of [`Given`] fields, read member by member from the page's
/// object: one small reader serves every struct, where a deserializer each cost the package
/// about 1 KB brotli per struct. (The structs keep `Deserialize` for the native tests, which
/// check that both agree: [`tests::members_are_the_serde_names`].)
pub trait Members: Default {
    /// Each field with its name in the page's object.
    fn members(&mut self) -> Vec<(&'static str, &mut Given)>;
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn given(json: &str) -> Given {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn every_value_is_read_and_checked_by_its_accessor() {
        assert_eq!(given(r#""a""#).text("f"), Ok(Some("a")));
        assert_eq!(given("null").text("f"), Ok(None));
        assert_eq!(Given::default().whole("f"), Ok(None));
        assert_eq!(given("500").whole("f"), Ok(Some(500)));
        assert_eq!(given("true").flag("f"), Ok(Some(true)));
        for (json, must_be) in [
            ("7", "a string"),
            ("{\"a\":[1]}", "a string"),
            ("[1]", "a string"),
        ] {
            assert_eq!(
                given(json).text("f"),
                Err(Wrong {
                    field: "f",
                    must_be
                }),
                "{json}"
            );
        }
        for json in ["1.5", "-1", "\"5\"", "4294967296"] {
            assert!(given(json).whole("f").is_err(), "{json}");
        }
        assert!(given("\"yes\"").flag("f").is_err());
    }

    #[test]
    fn a_wrong_field_is_named_with_the_callers_code() {
        let wrong = Wrong {
            field: "email",
            must_be: "a string",
        };
        let input = SdkError::from(wrong);
        assert_eq!(
            (input.code.as_ref(), input.description.as_ref()),
            ("invalid_input", "email must be a string")
        );
        assert_eq!(wrong.option().code, "invalid_options");
    }

    /// `T`'s members are named as serde reads them: each name fills exactly its own field.
    pub(crate) fn members_are_the_serde_names<T: Members + serde::de::DeserializeOwned>() {
        let names: Vec<&str> = T::default().members().into_iter().map(|(n, _)| n).collect();
        assert!(!names.is_empty());
        for name in names {
            let mut read: T = serde_json::from_value(serde_json::json!({ name: "x" })).unwrap();
            let filled: Vec<&str> = read
                .members()
                .into_iter()
                .filter(|(_, given)| **given == Given::Text("x".into()))
                .map(|(n, _)| n)
                .collect();
            assert_eq!(filled, [name], "{}", std::any::type_name::<T>());
        }
    }
}
