//! The flows as data: what to send for each step. No I/O here; the bindings turn a [`Call`]
//! into a `fetch` and its answer back into a result.

pub mod link;
pub mod mfa;
pub mod passwordless;

use alloc::borrow::ToOwned;
use alloc::string::String;

use crate::json::write::Object;
use crate::options::ClientOptions;

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
    /// A JSON object body, as text.
    pub body: Option<String>,
    /// `Authorization: Bearer …` (the `mfa_token`).
    pub bearer: Option<String>,
    /// Sends `x-request-language` (on `/passwordless/start`).
    pub language: Option<String>,
}

impl Call {
    pub fn post(path: &str, body: String) -> Self {
        Self {
            method: Method::Post,
            path: path.to_owned(),
            body: Some(body),
            bearer: None,
            language: None,
        }
    }

    /// The request as the JS shell hands it to `fetch(url, init)`: `{url, method, headers, body}`.
    pub fn write(&self, options: &ClientOptions<'_>, out: &mut String) {
        let mut request = Object::new(out);
        request.str("url", &options.url(&self.path));
        request.str("method", self.method.as_str());
        let mut headers = Object::new(request.key("headers"));
        if self.body.is_some() {
            headers.str("content-type", "application/json");
        }
        if let Some(token) = &self.bearer {
            let mut value = String::from("Bearer ");
            value.push_str(token);
            headers.str("authorization", &value);
        }
        headers.opt_str("x-request-language", self.language.as_deref());
        headers.end();
        request.opt_str("body", self.body.as_deref());
        request.end();
    }

    /// The string member `key` of the body (tests).
    #[cfg(test)]
    pub fn field(&self, key: &str) -> Option<String> {
        let body = crate::json::parse(self.body.as_deref()?)?;
        body.get(key).as_str().map(str::to_owned)
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
