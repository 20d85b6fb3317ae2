//! The JSON bodies of the contract.

use serde::{Deserialize, Serialize};

/// Every error answer: `{"error": CODE, "error_description": TEXT}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireError {
    pub error: String,
    pub error_description: String,
}

impl WireError {
    /// The description is made safe to echo: see [`safe_description`].
    pub fn new(error: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            error: error.into(),
            error_description: safe_description(&description.into()),
        }
    }
}

/// Longest description an error answer carries, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 300;

/// A description as an answer may carry it, whatever input it echoes: control characters
/// (NUL, CR, LF, …) escaped so that nothing can forge a header, a log line or a second
/// line of a page, and at most [`MAX_DESCRIPTION_CHARS`] characters, ending with `…` when cut.
pub fn safe_description(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_DESCRIPTION_CHARS + 8));
    for (count, c) in text.chars().enumerate() {
        if count >= MAX_DESCRIPTION_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// `POST /oauth/token` success answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenSet {
    pub access_token: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub refresh_token: Option<String>,
    pub scope: String,
    pub token_type: String,
    pub expires_in: u64,
    /// After a recovery-code MFA grant: the user's new recovery code, to be shown to them.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub recovery_code: Option<String>,
}

/// One RSA public key of `/.well-known/jwks.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    pub kty: String,
    #[serde(rename = "use")]
    pub use_: String,
    pub alg: String,
    pub kid: String,
    pub n: String,
    pub e: String,
}

/// `/.well-known/jwks.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JwkSet {
    pub keys: Vec<Jwk>,
}

/// The subset of `/.well-known/openid-configuration` that the product uses and serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenIdConfiguration {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
    pub userinfo_endpoint: String,
    pub revocation_endpoint: String,
    pub response_types_supported: Vec<String>,
    pub subject_types_supported: Vec<String>,
    pub id_token_signing_alg_values_supported: Vec<String>,
    pub grant_types_supported: Vec<String>,
    pub scopes_supported: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_input_is_capped_and_its_control_characters_escaped() {
        let e = WireError::new(
            "bad.email",
            format!("{} is not an email", "a".repeat(10_000)),
        );
        assert_eq!(
            e.error_description.chars().count(),
            MAX_DESCRIPTION_CHARS + 1
        );
        assert!(e.error_description.ends_with('…'));
        let e = WireError::new("bad.email", "a\0b\r\nSet-Cookie: x");
        assert_eq!(e.error_description, "a\\u{0}b\\r\\nSet-Cookie: x");
        assert_eq!(
            WireError::new("x", "Wrong email or verification code.").error_description,
            "Wrong email or verification code."
        );
    }
}
