//! A body's fields (`fields::Fields`) read into one of the contract's request types, the way
//! Auth0 reads them: field by field in the type's declaration order, so that the first
//! problem found is the one answered; a field absent, `null` or empty is not given; a field
//! that must be text and is not is named. serde does the reading: this is only its
//! `Deserializer` over the field map.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::Value;

use crate::fields::Fields;

/// Why the fields do not make the type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldError {
    /// A required field is absent, `null` or empty.
    Missing(String),
    /// The field is not of its type (`NAME must be a string`).
    Invalid { field: String, reason: String },
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing(name) => write!(f, "Missing required parameter: {name}"),
            Self::Invalid { reason, .. } => f.write_str(reason),
        }
    }
}

impl std::error::Error for FieldError {}

impl de::Error for FieldError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Self::Invalid {
            field: String::new(),
            reason: message.to_string(),
        }
    }

    fn missing_field(field: &'static str) -> Self {
        Self::Missing(field.to_owned())
    }
}

/// `fields` as a `T` (a struct of strings, optional strings, lists of strings or JSON values).
pub fn read<T: DeserializeOwned>(fields: &Fields) -> Result<T, FieldError> {
    T::deserialize(Body(fields))
}

struct Body<'a>(&'a Fields);

impl<'de> de::Deserializer<'de> for Body<'_> {
    type Error = FieldError;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        names: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, FieldError> {
        visitor.visit_map(Members {
            fields: self.0,
            names: names.iter(),
            current: None,
        })
    }

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, FieldError> {
        Err(de::Error::custom("a request body reads only into a struct"))
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// Every field the type declares, in its order, given or not (so that a missing required
/// field is found where the type declares it, not after every other one).
struct Members<'a> {
    fields: &'a Fields,
    names: std::slice::Iter<'static, &'static str>,
    current: Option<&'static str>,
}

impl<'de> MapAccess<'de> for Members<'_> {
    type Error = FieldError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, FieldError> {
        let Some(name) = self.names.next() else {
            return Ok(None);
        };
        self.current = Some(name);
        seed.deserialize(name.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, FieldError> {
        let name = self.current.take().unwrap_or_default();
        let value = self.fields.get(name).filter(|v| !is_not_given(v));
        seed.deserialize(Member { name, value })
    }
}

fn is_not_given(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

/// One field: `None` when it was not given.
struct Member<'a> {
    name: &'static str,
    value: Option<&'a Value>,
}

impl Member<'_> {
    fn missing(&self) -> FieldError {
        FieldError::Missing(self.name.to_owned())
    }

    fn not_a_string(&self) -> FieldError {
        FieldError::Invalid {
            field: self.name.to_owned(),
            reason: format!("{} must be a string", self.name),
        }
    }
}

impl<'de> de::Deserializer<'de> for Member<'_> {
    type Error = FieldError;

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        match self.value {
            None => visitor.visit_none(),
            Some(_) => visitor.visit_some(self),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        match self.value {
            None => Err(self.missing()),
            Some(Value::String(s)) => visitor.visit_str(s),
            Some(_) => Err(self.not_a_string()),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        self.deserialize_str(visitor)
    }

    /// A list of strings: a JSON array (its strings), or one string (a form gives one value).
    /// Anything else, or nothing, reads as no strings: the caller says what the list must hold.
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        let items: Vec<String> = match self.value {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_owned))
                .collect(),
            Some(Value::String(one)) => vec![one.clone()],
            _ => Vec::new(),
        };
        visitor.visit_seq(items.into_deserializer())
    }

    /// Anything else (a JSON object such as `authParams`) as serde_json reads it.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        let name = self.name;
        let value = self.value.cloned().ok_or_else(|| self.missing())?;
        de::Deserializer::deserialize_any(value, visitor).map_err(|e| FieldError::Invalid {
            field: name.to_owned(),
            reason: format!("{name}: {e}"),
        })
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf
        unit unit_struct newtype_struct tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mfa::AssociateRequest;
    use crate::token::{MfaOobGrant, OtpGrant};
    use serde_json::json;

    fn fields(value: Value) -> Fields {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn reads_a_grant_and_leaves_out_what_is_not_given() {
        let grant: OtpGrant = read(&fields(json!({
            "username": "a@b.co", "otp": "123456", "realm": "email", "scope": "", "other": 1
        })))
        .unwrap();
        assert_eq!((grant.otp.as_str(), grant.scope), ("123456", None));
    }

    #[test]
    fn the_first_problem_in_declaration_order_is_answered() {
        let missing = read::<OtpGrant>(&fields(json!({"otp": 5, "realm": "sms"})));
        assert_eq!(
            missing.unwrap_err().to_string(),
            "Missing required parameter: username"
        );
        let empty = read::<OtpGrant>(&fields(json!({"username": "u", "otp": ""})));
        assert_eq!(empty.unwrap_err(), FieldError::Missing("otp".into()));
        let typed = read::<MfaOobGrant>(&fields(json!({"mfa_token": 7, "oob_code": "c"})));
        assert_eq!(typed.unwrap_err().to_string(), "mfa_token must be a string");
    }

    #[test]
    fn lists_come_as_arrays_or_one_value() {
        let json: AssociateRequest = read(&fields(
            json!({"authenticator_types": ["oob", 3], "oob_channels": "sms"}),
        ))
        .unwrap();
        assert_eq!(json.authenticator_types, ["oob"]);
        assert_eq!(json.oob_channels.unwrap(), ["sms"]);
        // Not a list: no strings, for the caller to refuse in its own words.
        let wrong: AssociateRequest = read(&fields(json!({"authenticator_types": {}}))).unwrap();
        assert!(wrong.authenticator_types.is_empty());
    }
}
