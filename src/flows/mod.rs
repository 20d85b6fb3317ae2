//! The flows as data: what to send for each step, and what the answers mean. No I/O here;
//! `transport.rs` turns a [`Call`] into a `fetch`, and the bindings run the steps in order.

pub mod link;
pub mod mfa;
pub mod passwordless;
pub mod replies;

use serde::{Deserialize, Serialize};

use crate::error::SdkError;
use crate::input;

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

/// A JSON request body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Body {
    Start(passwordless::StartBody),
    Otp(passwordless::OtpGrant),
    Code(link::CodeGrant),
    Challenge(mfa::ChallengeBody),
    Associate(mfa::AssociateBody),
    Mfa(mfa::MfaGrant),
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
#[serde(rename_all = "camelCase")]
pub struct SignInParams {
    pub connection: Option<Connection>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub send: Option<Delivery>,
    pub code: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Connection {
    Email,
    Sms,
}

/// What `start()` sends: a one-time code (the SDK's default) or a magic link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Delivery {
    #[default]
    Code,
    Link,
}

/// Which passwordless connection, with its identifier checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    Email(String),
    Sms(String),
}

impl Identity {
    /// From `{connection, email | phoneNumber}` as the page passed them.
    pub fn read(params: &SignInParams) -> Result<Self, SdkError> {
        match params.connection {
            Some(Connection::Email) => Ok(Identity::Email(input::email(params.email.as_deref())?)),
            Some(Connection::Sms) => Ok(Identity::Sms(input::phone_number(
                params.phone_number.as_deref(),
            )?)),
            None => Err(SdkError::invalid_input(
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
    use super::*;
    use crate::options::Options;

    pub(crate) fn options(redirect: Option<&str>) -> Options {
        crate::options::ClientOptions {
            domain: Some("http://127.0.0.1:8080".into()),
            client_id: Some("demo-client".into()),
            language: Some("fr".into()),
            redirect_uri: redirect.map(Into::into),
            ..Default::default()
        }
        .check()
        .unwrap()
    }

    /// The call's body as the relay reads it.
    pub(crate) fn body(call: &Call) -> serde_json::Value {
        serde_json::to_value(call.body.as_ref().expect("a body")).unwrap()
    }

    pub(crate) fn params(json: serde_json::Value) -> SignInParams {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn identities_are_checked() {
        let read = |json| Identity::read(&params(json));
        assert!(
            read(serde_json::json!({"email": "a@b.co"})).is_err(),
            "no connection"
        );
        assert!(serde_json::from_value::<SignInParams>(
            serde_json::json!({"connection": "github"})
        )
        .is_err());
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
