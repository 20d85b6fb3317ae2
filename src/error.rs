//! The SDK's errors: a stable `code` (the wire `error`, or one of the SDK's own), a human
//! `description`, the HTTP `status` when the server answered, `retryAfter` on 429, and the
//! MFA token and requirements with `mfa_required`.

use std::borrow::Cow;

use serde::Serialize;

use crate::flows::Body;
use crate::given::Given;
use crate::platform::Platform;

/// Declares the error codes once: as constants, and as the TypeScript unions the `.d.ts`
/// publishes (so the published union cannot drift from the codes the SDK knows). The server's
/// codes are the wire crate's list (`with_error_codes!`), written there once for all three parts.
macro_rules! error_codes {
    (
        $(#[$sdk_doc:meta])* sdk { $($(#[$doc:meta])* $name:ident = $code:literal,)* }
        server { $($(#[$sdoc:meta])* $sname:ident = $scode:literal,)* }
    ) => {
        $(#[$sdk_doc])*
        pub mod codes {
            $($(#[$doc])* pub const $name: &str = $code;)*
        }
        /// Codes the relay and the identity provider answer (they pass through as they are):
        /// the contract's, from `passwordless_wire::codes`.
        pub mod server_codes {
            $($(#[$sdoc])* pub const $sname: &str = $scode;)*
        }
        /// `SdkErrorCode` and `ServerErrorCode`, as TypeScript.
        pub const CODES_TS: &str = concat!(
            "/** The SDK's own error codes. */\nexport type SdkErrorCode =",
            $(" | \"", $code, "\"",)*
            ";\n/** The server's error codes that a page should expect. */\nexport type ServerErrorCode =",
            $(" | \"", $scode, "\"",)*
            ";\n"
        );
        /// Every code, the SDK's then the server's.
        pub const ALL_CODES: &[&str] = &[$($code,)* $($scode,)*];
    };
}

passwordless_wire::with_error_codes!(error_codes! {
    /// Codes the SDK itself produces.
    sdk {
        /// The client's options are wrong (the description names the option).
        INVALID_OPTIONS = "invalid_options",
        /// A method's parameters are wrong (the description names the parameter).
        INVALID_INPUT = "invalid_input",
        NETWORK_ERROR = "network_error",
        TIMEOUT = "timeout",
        INVALID_ID_TOKEN = "invalid_id_token",
        /// The server answered something that is not the contract's answer.
        UNEXPECTED_RESPONSE = "unexpected_response",
        /// A magic link opened in another browser or device than the one that asked for it
        /// (no transaction here for its `state`).
        LINK_OTHER_BROWSER = "link_other_browser",
        /// A magic link that was already used, or has expired.
        LINK_USED_OR_EXPIRED = "link_used_or_expired",
        NOT_A_CALLBACK = "not_a_callback",
        /// Polling for a push was aborted by the page.
        CANCELLED = "cancelled",
        STORAGE_UNAVAILABLE = "storage_unavailable",
        /// `refresh()` without a session that has a refresh token.
        NO_SESSION = "no_session",
        /// The session's refresh token was refused: the user is signed out.
        SESSION_EXPIRED = "session_expired",
        /// The browser lacks what the call needs (e.g. `crypto.getRandomValues`), or there
        /// is no browser: a client made while rendering on the server.
        UNSUPPORTED = "unsupported",
        /// A client made before `init()` has loaded the wasm core: `await init()` first.
        NOT_READY = "not_ready",
        /// The user dismissed the browser's passkey sheet (or it timed out).
        PASSKEY_CANCELLED = "passkey_cancelled",
        /// No passkeys here: no WebAuthn, not a secure page, or an origin the relying party
        /// does not cover.
        PASSKEY_UNSUPPORTED = "passkey_unsupported",
        /// This authenticator already holds a passkey for the account.
        PASSKEY_EXISTS = "passkey_exists",
    }
});

/// What the server asks for when a second factor is needed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MfaRequirements {
    pub challenge: Option<Vec<Requirement>>,
    pub enroll: Option<Vec<Requirement>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// Its `type`.
    pub kind: String,
}

impl MfaRequirements {
    /// An error answer's `mfa_requirements`, member by member (a list that is not an array of
    /// `{type}` objects reads as absent).
    pub fn read<P: Platform>(platform: &P, body: &P::Json) -> Option<Self> {
        let requirements = platform.nested(body, "mfa_requirements")?;
        let list = |name| {
            let items = platform.items(&platform.nested(&requirements, name)?)?;
            items
                .iter()
                .map(|item| {
                    let kind = platform.member(item, "type").into_text()?;
                    Some(Requirement { kind })
                })
                .collect()
        };
        Some(Self {
            challenge: list("challenge"),
            enroll: list("enroll"),
        })
    }

    /// As the page gets it: `{challenge?: [{type}], enroll?: [{type}]}`.
    fn to_body(&self) -> Body {
        let list = |requirements: &Vec<Requirement>| {
            let item = |r: &Requirement| Body::new().text("type", r.kind.clone());
            requirements.iter().map(item).collect()
        };
        let mut body = Body::new();
        for (name, requirements) in [("challenge", &self.challenge), ("enroll", &self.enroll)] {
            if let Some(requirements) = requirements {
                body = body.items(name, list(requirements));
            }
        }
        body
    }
}

/// An SDK error: its [`ErrorFields`], boxed so that every `Result<_, SdkError>` is a pointer
/// wide (moving the ~50-byte fields through every `?` of every future cost 2.8 KB brotli).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkError(Box<ErrorFields>);

/// The members the page's `PasswordlessError` gets (camelCase), written as a [`Body`].
impl Serialize for SdkError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut body = Body::new()
            .text("code", self.code.clone())
            .text("description", self.description.clone());
        if let Some(status) = self.status {
            body = body.number("status", status.into());
        }
        if let Some(seconds) = self.retry_after {
            body = body.number("retryAfter", seconds.into());
        }
        body = body.maybe("mfaToken", self.mfa_token.clone());
        if let Some(requirements) = &self.mfa_requirements {
            body = body.object("mfaRequirements", requirements.to_body());
        }
        body.serialize(serializer)
    }
}

impl core::ops::Deref for SdkError {
    type Target = ErrorFields;
    fn deref(&self) -> &ErrorFields {
        &self.0
    }
}
impl core::ops::DerefMut for SdkError {
    fn deref_mut(&mut self) -> &mut ErrorFields {
        &mut self.0
    }
}

/// What an error says (the page gets them in camelCase).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorFields {
    pub code: Cow<'static, str>,
    pub description: Cow<'static, str>,
    /// The HTTP status of the answer, when there was one.
    pub status: Option<u16>,
    /// Seconds to wait, from `Retry-After` on 429.
    pub retry_after: Option<u32>,
    /// With `mfa_required`: the token for `client.mfa`.
    pub mfa_token: Option<String>,
    pub mfa_requirements: Option<Box<MfaRequirements>>,
}

/// The wire error body, `{error, error_description}` (+ the MFA members).
#[derive(Debug, Default)]
pub struct WireError {
    pub error: Option<String>,
    pub error_description: Option<String>,
    pub mfa_token: Option<String>,
    pub mfa_requirements: Option<MfaRequirements>,
}

impl WireError {
    /// The body's members, as `member` reads them (a member that is not a string is absent),
    /// and `requirements`, the `mfa_requirements` member read by the platform.
    pub fn read(
        member: impl Fn(&'static str) -> Given,
        requirements: Option<MfaRequirements>,
    ) -> Self {
        Self {
            error: member("error").into_text(),
            error_description: member("error_description").into_text(),
            mfa_token: member("mfa_token").into_text(),
            mfa_requirements: requirements,
        }
    }
}

impl SdkError {
    pub fn new(code: &'static str, description: impl Into<Cow<'static, str>>) -> Self {
        Self::fields(code, description.into())
    }

    /// (Not generic, so the description's conversion is the only per-type code.)
    #[inline(never)]
    fn fields(code: &'static str, description: Cow<'static, str>) -> Self {
        Self(Box::new(ErrorFields {
            code: Cow::Borrowed(code),
            description,
            status: None,
            retry_after: None,
            mfa_token: None,
            mfa_requirements: None,
        }))
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

    pub fn unexpected_response(description: &'static str) -> Self {
        Self::new(codes::UNEXPECTED_RESPONSE, description)
    }

    /// An error answer of the server, from its body (`None` when it was not a JSON object).
    /// A body without `error` still yields an error that names the status.
    pub fn from_wire(status: u16, body: WireError, retry_after: Option<u32>) -> Self {
        let mut error = match body.error.filter(|e| !e.is_empty()) {
            Some(code) => {
                let mut error = Self::new("", body.error_description.unwrap_or_default());
                error.code = Cow::Owned(code);
                error
            }
            None => Self::new(
                codes::UNEXPECTED_RESPONSE,
                body.error_description.map_or(
                    Cow::Borrowed("The server answered with an unexplained error."),
                    Cow::Owned,
                ),
            ),
        };
        error.status = Some(status);
        error.retry_after = retry_after;
        if error.code == server_codes::MFA_REQUIRED {
            error.mfa_token = body.mfa_token;
            error.mfa_requirements = body.mfa_requirements.map(Box::new);
        }
        error
    }

    /// The same error without an HTTP status (a redirect carried it, not an answer).
    pub fn without_status(mut self) -> Self {
        self.status = None;
        self
    }

    pub fn timeout() -> Self {
        Self::new(codes::TIMEOUT, "The server did not answer in time.")
    }

    pub fn network() -> Self {
        Self::new(codes::NETWORK_ERROR, "The server could not be reached.")
    }

    pub fn cancelled() -> Self {
        Self::new(codes::CANCELLED, "Waiting for the approval was cancelled.")
    }

    pub fn storage_unavailable() -> Self {
        Self::new(
            codes::STORAGE_UNAVAILABLE,
            "Web Storage is unavailable or full, so magic links cannot work here.",
        )
    }
}

/// `Retry-After` in whole seconds (the HTTP-date form is not used by the relay or Auth0).
pub fn retry_after_seconds(header: Option<&str>) -> Option<u32> {
    let text = header?.trim_ascii();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::tests::as_js;

    fn wire(json: &str) -> WireError {
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        // As the platforms read it (`MfaRequirements::read`; tests/core_sign_in.rs).
        let list = |requirements: &serde_json::Value, name| {
            let items = requirements.get(name)?.as_array()?;
            let kind = |item: &serde_json::Value| item["type"].as_str().unwrap().into();
            Some(
                items
                    .iter()
                    .map(|item| Requirement { kind: kind(item) })
                    .collect(),
            )
        };
        let requirements = value.get("mfa_requirements").map(|r| MfaRequirements {
            challenge: list(r, "challenge"),
            enroll: list(r, "enroll"),
        });
        WireError::read(crate::flows::tests::members(value), requirements)
    }

    #[test]
    fn wire_errors_keep_the_servers_code_and_status() {
        let e = SdkError::from_wire(
            403,
            wire(
                r#"{"error":"invalid_grant","error_description":"Wrong email or verification code."}"#,
            ),
            None,
        );
        assert_eq!((e.code.as_ref(), e.status), ("invalid_grant", Some(403)));
        assert_eq!(e.description, "Wrong email or verification code.");
    }

    #[test]
    fn an_error_body_without_a_code_is_an_unexpected_response() {
        let e = SdkError::from_wire(502, WireError::default(), None);
        assert_eq!(e.code, codes::UNEXPECTED_RESPONSE);
        assert_eq!(e.status, Some(502));
        assert!(!e.description.is_empty());
    }

    #[test]
    fn errors_have_the_js_member_names() {
        let e = SdkError::from_wire(
            429,
            wire(r#"{"error":"too_many_requests","error_description":"Slow \"down\""}"#),
            retry_after_seconds(Some(" 30 ")),
        );
        assert_eq!(
            as_js(&e).to_string(),
            r#"{"code":"too_many_requests","description":"Slow \"down\"","retryAfter":30,"status":429}"#
        );
        let mfa = SdkError::from_wire(
            403,
            wire(
                r#"{"error":"mfa_required","mfa_token":"t0k","mfa_requirements":{"challenge":[{"type":"otp"}]}}"#,
            ),
            None,
        );
        let back = as_js(&mfa);
        assert_eq!(back["mfaToken"], "t0k");
        assert_eq!(back["mfaRequirements"]["challenge"][0]["type"], "otp");
        assert!(back["mfaRequirements"].get("enroll").is_none());
    }

    #[test]
    fn an_empty_code_is_unexpected_and_mfa_members_come_only_with_mfa_required() {
        let empty = SdkError::from_wire(
            500,
            wire(r#"{"error":"","error_description":"Boom"}"#),
            None,
        );
        assert_eq!(
            (empty.code.as_ref(), empty.description.as_ref()),
            ("unexpected_response", "Boom")
        );
        let other = SdkError::from_wire(
            403,
            wire(
                r#"{"error":"invalid_grant","mfa_token":"t","mfa_requirements":{"challenge":[]}}"#,
            ),
            None,
        );
        assert_eq!((&other.mfa_token, &other.mfa_requirements), (&None, &None));
    }

    #[test]
    fn retry_after_is_whole_seconds_only() {
        assert_eq!(retry_after_seconds(Some("120")), Some(120));
        for bad in [
            None,
            Some(""),
            Some("soon"),
            Some("-1"),
            Some("1.5"),
            Some("99999999999"),
        ] {
            assert_eq!(retry_after_seconds(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_published_union_has_every_code() {
        for code in ALL_CODES {
            let quoted = String::from("\"") + code + "\"";
            assert!(CODES_TS.contains(&quoted), "{code}");
        }
        assert!(
            CODES_TS.contains("\"invalid_request\"") && CODES_TS.contains("\"sms_provider_error\"")
        );
    }
}
