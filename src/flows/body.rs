//! A request's JSON body (or an answer renamed for the page) as data: its members by name, in
//! order, written by one `Serialize` for every call. (A struct per body cost a serializer each, all of them inlined into the one
//! request state machine: about 1.6 KB brotli of the package.) The relay reads exactly these
//! members; the contract tests (`tests/core_contract.rs`) check each body against the wire
//! crate's request types.

use std::borrow::Cow;

use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

/// A JSON object's members: what a call sends.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Body(Vec<(&'static str, Member)>);

/// One member's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Member {
    Text(Cow<'static, str>),
    Number(f64),
    Flag(bool),
    List(Vec<Cow<'static, str>>),
    Object(Body),
    Items(Vec<Body>),
}

impl Body {
    pub fn new() -> Self {
        Self::default()
    }

    /// With the member `name`, a string.
    pub fn text(mut self, name: &'static str, value: impl Into<Cow<'static, str>>) -> Self {
        self.0.push((name, Member::Text(value.into())));
        self
    }

    /// With the member `name` when there is a value (an absent one is left out, as the
    /// relay reads a missing member).
    pub fn maybe(self, name: &'static str, value: Option<impl Into<Cow<'static, str>>>) -> Self {
        match value {
            Some(value) => self.text(name, value),
            None => self,
        }
    }

    /// With the member `name`, a number.
    pub fn number(mut self, name: &'static str, value: f64) -> Self {
        self.0.push((name, Member::Number(value)));
        self
    }

    /// With the member `name`, `true` or `false`.
    pub fn flag(mut self, name: &'static str, value: bool) -> Self {
        self.0.push((name, Member::Flag(value)));
        self
    }

    /// With the member `name`, an array of strings.
    pub fn list(mut self, name: &'static str, items: Vec<Cow<'static, str>>) -> Self {
        self.0.push((name, Member::List(items)));
        self
    }

    /// With the member `name`, an array of objects.
    pub fn items(mut self, name: &'static str, items: Vec<Body>) -> Self {
        self.0.push((name, Member::Items(items)));
        self
    }

    /// With the member `name`, an object.
    pub fn object(mut self, name: &'static str, members: Body) -> Self {
        self.0.push((name, Member::Object(members)));
        self
    }
}

impl Serialize for Body {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // A struct, not a map: serde-wasm-bindgen writes a map as a JS `Map`, which
        // `JSON.stringify` cannot write.
        let mut object = serializer.serialize_struct("", self.0.len())?;
        for (name, member) in &self.0 {
            object.serialize_field(name, member)?;
        }
        object.end()
    }
}

impl Serialize for Member {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Member::Text(text) => serializer.serialize_str(text),
            // A whole number as one (JSON writes `30`, not `30.0`; JS has one number type).
            Member::Number(number) if number.fract() == 0.0 && number.abs() < 9.0e15 => {
                serializer.serialize_i64(*number as i64)
            }
            Member::Number(number) => serializer.serialize_f64(*number),
            Member::Flag(flag) => serializer.serialize_bool(*flag),
            Member::List(items) => serializer.collect_seq(items),
            Member::Object(members) => members.serialize(serializer),
            Member::Items(items) => serializer.collect_seq(items),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_written_in_order_and_absent_ones_left_out() {
        let body = Body::new()
            .text("client_id", "c")
            .maybe("audience", None::<String>)
            .maybe("scope", Some(String::from("openid")))
            .flag("active", true)
            .number("expiresAt", 1180.5)
            .number("resendAfter", 30.0)
            .list("authenticator_types", vec!["oob".into()])
            .object("user_profile", Body::new().text("email", "a@b.co"))
            .items("challenge", vec![Body::new().text("type", "otp")]);
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"client_id":"c","scope":"openid","active":true,"expiresAt":1180.5,"resendAfter":30,"authenticator_types":["oob"],"user_profile":{"email":"a@b.co"},"challenge":[{"type":"otp"}]}"#
        );
        assert_eq!(serde_json::to_string(&Body::new()).unwrap(), "{}");
    }
}
