//! The flows as data: what to send for each step, and what the answers mean. No I/O here;
//! `bindings/transport.rs` turns a [`Call`] into a `fetch`, and the bindings run the steps in order.

pub mod body;
pub mod code_link;
pub mod credential;
pub mod link;
pub mod mfa;
pub mod passkey;
pub mod passwordless;
pub mod replies;
pub mod resend;
pub mod session;

use passwordless_wire::address::Unicode;
use serde::Deserialize;

use crate::error::SdkError;
use crate::given::{Given, Members};
use crate::input;

pub use body::Body;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Delete,
}

/// One request to the relay.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub method: Method,
    pub path: String,
    pub body: Option<Body>,
    /// `Authorization: Bearer …` (the `mfa_token`).
    pub bearer: Option<String>,
    /// Sends `x-request-language` (on `/passwordless/start`).
    pub language: Option<String>,
}

impl Call {
    pub fn get(path: impl Into<String>) -> Self {
        Self {
            method: Method::Get,
            path: path.into(),
            body: None,
            bearer: None,
            language: None,
        }
    }

    pub fn delete(path: impl Into<String>) -> Self {
        Self {
            method: Method::Delete,
            ..Self::get(path)
        }
    }

    pub fn post(path: &str, body: Body) -> Self {
        Self {
            method: Method::Post,
            body: Some(body),
            ..Self::get(path)
        }
    }

    pub fn bearer(mut self, token: &str) -> Self {
        self.bearer = Some(token.into());
        self
    }
}

/// The first factor's parameters: `start()` reads `send`, `verify()` reads `code`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SignInParams {
    /// `"email"` or `"sms"`.
    pub connection: Given,
    pub email: Given,
    pub phone_number: Given,
    /// `"code"` (the default) or `"link"`.
    pub send: Given,
    pub code: Given,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    Email,
    Sms,
}

impl Connection {
    /// The connection's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Connection::Email => "email",
            Connection::Sms => "sms",
        }
    }
}

impl Members for SignInParams {
    fn members(&mut self) -> Vec<(&'static str, &mut Given)> {
        vec![
            ("connection", &mut self.connection),
            ("email", &mut self.email),
            ("phoneNumber", &mut self.phone_number),
            ("send", &mut self.send),
            ("code", &mut self.code),
        ]
    }
}

/// What `start()` sends: a one-time code (the SDK's default) or a magic link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Code,
    Link,
}

impl Delivery {
    /// The `send` member's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Code => "code",
            Delivery::Link => "link",
        }
    }

    pub fn read(send: Option<&str>) -> Result<Self, SdkError> {
        match send {
            None | Some("code") => Ok(Delivery::Code),
            Some("link") => Ok(Delivery::Link),
            Some(_) => Err(SdkError::invalid_input("send must be \"code\" or \"link\"")),
        }
    }
}

/// Which passwordless connection, with its identifier checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    Email(String),
    Sms(String),
}

impl Identity {
    /// From `{connection, email | phoneNumber}` as the page passed them; an email checked
    /// with `unicode` ([`input::email`]).
    pub fn read(params: &SignInParams, unicode: &impl Unicode) -> Result<Self, SdkError> {
        match params.connection.text("connection")? {
            Some("email") => Ok(Identity::Email(input::email(
                params.email.text("email")?,
                unicode,
            )?)),
            Some("sms") => Ok(Identity::Sms(input::phone_number(
                params.phone_number.text("phoneNumber")?,
            )?)),
            _ => Err(SdkError::invalid_input(
                "connection must be \"email\" or \"sms\"",
            )),
        }
    }

    pub fn connection(&self) -> Connection {
        match self {
            Identity::Email(_) => Connection::Email,
            Identity::Sms(_) => Connection::Sms,
        }
    }

    pub fn value(&self) -> &str {
        match self {
            Identity::Email(v) | Identity::Sms(v) => v,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {

    #[test]
    fn the_sign_in_params_members_are_their_serde_names() {
        crate::given::tests::members_are_the_serde_names::<SignInParams>();
    }

    use super::*;
    use crate::options::Options;
    use passwordless_wire::email::Crates;

    pub(crate) fn options(redirect: Option<&str>) -> Options {
        crate::options::ClientOptions {
            domain: Given::Text("http://127.0.0.1:8080".into()),
            client_id: Given::Text("demo-client".into()),
            language: Given::Text("fr".into()),
            redirect_uri: redirect.map_or(Given::Absent, |r| Given::Text(r.into())),
            ..Default::default()
        }
        .check()
        .unwrap()
    }

    /// `value` as the page or the relay sees it: serde-wasm-bindgen makes `None` `undefined`,
    /// which `JSON.stringify` leaves out and a page reads as absent.
    pub(crate) fn as_js(value: &impl serde::Serialize) -> serde_json::Value {
        fn drop_nulls(value: serde_json::Value) -> serde_json::Value {
            match value {
                serde_json::Value::Object(members) => members
                    .into_iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k, drop_nulls(v)))
                    .collect(),
                serde_json::Value::Array(items) => items.into_iter().map(drop_nulls).collect(),
                other => other,
            }
        }
        drop_nulls(serde_json::to_value(value).unwrap())
    }

    /// A JSON object's members, as a platform reads them from a server's answer.
    pub(crate) fn members(value: serde_json::Value) -> impl Fn(&'static str) -> Given {
        move |name| {
            value.get(name).map_or(Given::Absent, |member| {
                serde_json::from_value(member.clone()).unwrap()
            })
        }
    }

    /// The call's body as the relay reads it.
    pub(crate) fn body(call: &Call) -> serde_json::Value {
        as_js(call.body.as_ref().expect("a body"))
    }

    pub(crate) fn params(json: serde_json::Value) -> SignInParams {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn a_code_is_sent_unless_a_link_is_asked_for() {
        assert_eq!(Delivery::read(None), Ok(Delivery::Code));
        assert_eq!(Delivery::read(Some("link")), Ok(Delivery::Link));
        assert!(Delivery::read(Some("Link")).is_err());
        let wrong = Identity::read(&params(serde_json::json!({"connection": true})), &Crates);
        assert_eq!(
            wrong.unwrap_err().description,
            "connection must be a string"
        );
    }

    #[test]
    fn identities_are_checked() {
        let read = |json| Identity::read(&params(json), &Crates);
        assert!(
            read(serde_json::json!({"email": "a@b.co"})).is_err(),
            "no connection"
        );
        let e = read(serde_json::json!({"connection": "github", "email": "a@b.co"})).unwrap_err();
        assert!(e.description.starts_with("connection"), "{}", e.description);
        assert_eq!(
            read(serde_json::json!({"connection": "sms", "phoneNumber": "+1 415 555 0100"}))
                .unwrap(),
            Identity::Sms("+14155550100".into())
        );
        let e = read(serde_json::json!({"connection": "email", "phoneNumber": "+14155550100"}))
            .unwrap_err();
        assert_eq!(e.description, "email is required");
    }
}
