//! The SDK's errors: a stable `code` (the wire `error`, or one of the SDK's own), a
//! human `description`, and the HTTP `status` when the server answered.

use alloc::borrow::Cow;
use alloc::string::String;

use crate::json::write::Object;

/// Codes the SDK itself produces (the server's `error` strings pass through as they are).
pub mod codes {
    pub const INVALID_OPTIONS: &str = "invalid_options";
    pub const INVALID_INPUT: &str = "invalid_input";
    pub const NETWORK_ERROR: &str = "network_error";
    pub const TIMEOUT: &str = "timeout";
    pub const INVALID_ID_TOKEN: &str = "invalid_id_token";
    pub const UNEXPECTED_RESPONSE: &str = "unexpected_response";
    pub const STATE_MISMATCH: &str = "state_mismatch";
    pub const NOT_A_CALLBACK: &str = "not_a_callback";
    pub const CANCELLED: &str = "cancelled";
    pub const STORAGE_UNAVAILABLE: &str = "storage_unavailable";
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkError {
    pub code: Cow<'static, str>,
    pub description: Cow<'static, str>,
    /// The HTTP status of the answer, when there was one.
    pub status: Option<u16>,
    /// Seconds to wait, from `Retry-After` on 429.
    pub retry_after: Option<u32>,
    /// With `mfa_required`: the token for `client.mfa`, and the requirements as JSON text.
    pub mfa: Option<(String, String)>,
}

impl SdkError {
    pub fn new(code: &'static str, description: impl Into<Cow<'static, str>>) -> Self {
        Self {
            code: Cow::Borrowed(code),
            description: description.into(),
            status: None,
            retry_after: None,
            mfa: None,
        }
    }

    pub fn invalid_options(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(codes::INVALID_OPTIONS, description)
    }

    pub fn invalid_input(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(codes::INVALID_INPUT, description)
    }

    pub fn invalid_id_token(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(codes::INVALID_ID_TOKEN, description)
    }

    /// An error answer of the server, from its `{error, error_description}` body.
    /// A body without `error` still yields an error that names the status.
    pub fn from_wire(status: u16, error: Option<String>, description: Option<String>) -> Self {
        let (code, description) = match error {
            Some(error) if !error.is_empty() => {
                (Cow::Owned(error), description.unwrap_or_default().into())
            }
            _ => (
                Cow::Borrowed(codes::UNEXPECTED_RESPONSE),
                description.map_or(
                    Cow::Borrowed("The server answered with an unexplained error."),
                    Cow::Owned,
                ),
            ),
        };
        Self {
            code,
            description,
            status: Some(status),
            retry_after: None,
            mfa: None,
        }
    }

    /// The same error without an HTTP status (a redirect carried it, not an answer).
    pub fn without_status(mut self) -> Self {
        self.status = None;
        self
    }

    /// The error as the JS shell throws it (`PasswordlessError`'s own members).
    pub fn write(&self, out: &mut String) {
        let mut object = Object::new(out);
        object.str("code", &self.code);
        object.str("description", &self.description);
        if let Some(status) = self.status {
            object.number("status", status.into());
        }
        if let Some(seconds) = self.retry_after {
            object.number("retryAfter", seconds.into());
        }
        if let Some((token, requirements)) = &self.mfa {
            object.str("mfaToken", token);
            object.key("mfaRequirements").push_str(requirements);
        }
        object.end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_errors_keep_the_servers_code_and_status() {
        let e = SdkError::from_wire(
            403,
            Some("invalid_grant".into()),
            Some("Wrong email or verification code.".into()),
        );
        assert_eq!((e.code.as_ref(), e.status), ("invalid_grant", Some(403)));
        assert_eq!(e.description, "Wrong email or verification code.");
    }

    #[test]
    fn an_error_body_without_a_code_is_an_unexpected_response() {
        let e = SdkError::from_wire(502, None, None);
        assert_eq!(e.code, codes::UNEXPECTED_RESPONSE);
        assert_eq!(e.status, Some(502));
        assert!(!e.description.is_empty());
    }

    #[test]
    fn errors_are_written_with_the_js_member_names() {
        let mut e = SdkError::from_wire(
            429,
            Some("too_many_requests".into()),
            Some("Slow \"down\"".into()),
        );
        e.retry_after = Some(30);
        let mut out = String::new();
        e.write(&mut out);
        assert_eq!(
            out,
            r#"{"code":"too_many_requests","description":"Slow \"down\"","status":429,"retryAfter":30}"#
        );
        let mut out = String::new();
        let mut mfa = SdkError::from_wire(403, Some("mfa_required".into()), None);
        mfa.mfa = Some(("t0k".into(), r#"{"challenge":[{"type":"otp"}]}"#.into()));
        mfa.write(&mut out);
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["mfaToken"], "t0k");
        assert_eq!(back["mfaRequirements"]["challenge"][0]["type"], "otp");
    }
}
