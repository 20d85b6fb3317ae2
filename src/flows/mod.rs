//! The flows as data: what to send for each step. No I/O here; the bindings turn a [`Call`]
//! into a `fetch` and its answer back into a result.

pub mod link;
pub mod mfa;
pub mod passwordless;

use crate::json::Json;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// One request to the relay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub method: Method,
    pub path: String,
    /// A JSON object body.
    pub body: Option<Json>,
    /// `Authorization: Bearer …` (the `mfa_token`).
    pub bearer: Option<String>,
    /// Sends `x-request-language` (on `/passwordless/start`).
    pub language: Option<String>,
}

impl Call {
    pub fn post(path: &str, fields: Vec<(&'static str, Json)>) -> Self {
        Self {
            method: Method::Post,
            path: path.to_owned(),
            body: Some(Json::Object(fields)),
            bearer: None,
            language: None,
        }
    }

    /// The string field `key` of the body (tests).
    pub fn field(&self, key: &str) -> Option<&str> {
        self.body.as_ref()?.get(key)?.as_str()
    }
}

/// Which passwordless connection, with its identifier checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    Email(String),
    Sms(String),
}

impl Identity {
    /// From `{connection, email | phoneNumber}` as the page passed them.
    pub fn read(
        connection: Option<&str>,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> Result<Self, crate::error::SdkError> {
        match connection {
            Some("email") => Ok(Identity::Email(crate::input::email(email)?)),
            Some("sms") => Ok(Identity::Sms(crate::input::phone_number(phone)?)),
            _ => Err(crate::error::SdkError::invalid_input(
                "connection must be \"email\" or \"sms\"",
            )),
        }
    }

    pub fn connection(&self) -> &'static str {
        match self {
            Identity::Email(_) => "email",
            Identity::Sms(_) => "sms",
        }
    }

    pub fn value(&self) -> &str {
        match self {
            Identity::Email(v) | Identity::Sms(v) => v,
        }
    }
}
