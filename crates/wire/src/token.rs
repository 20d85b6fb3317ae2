//! `POST /oauth/token`: the fields each grant carries and the token set it answers.

use serde::{Deserialize, Serialize};

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

/// The passwordless one-time-code grant ([`GRANT_PASSWORDLESS_OTP`](crate::GRANT_PASSWORDLESS_OTP)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtpGrant {
    /// The email address or the phone number the code went to.
    pub username: String,
    pub otp: String,
    /// The connection: `email` or `sms`.
    pub realm: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub audience: Option<String>,
}

/// The authorization-code grant: a magic link's `code` exchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationCodeGrant {
    pub code: String,
    /// The callback the link redirected to (the relay requires it; the tenant checks it).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub redirect_uri: Option<String>,
}

/// The refresh-token grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshTokenGrant {
    pub refresh_token: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub scope: Option<String>,
    /// Another API of the same user (a multi-resource refresh token), e.g. My Account.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub audience: Option<String>,
}

/// The passkey grant (`urn:okta:params:oauth:grant-type:webauthn`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebauthnGrant {
    pub auth_session: String,
    /// The browser's `PublicKeyCredential` as JSON (id, rawId, type, response, … base64url).
    pub authn_response: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub realm: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub audience: Option<String>,
}

/// The `mfa-otp` grant: a TOTP code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaOtpGrant {
    pub mfa_token: String,
    pub otp: String,
}

/// The `mfa-oob` grant: an out-of-band challenge's `oob_code`, with the code the user read
/// when its `binding_method` is `prompt`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaOobGrant {
    pub mfa_token: String,
    pub oob_code: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub binding_code: Option<String>,
}

/// The `mfa-recovery-code` grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaRecoveryCodeGrant {
    pub mfa_token: String,
    pub recovery_code: String,
}

/// `POST /oauth/revoke`: the refresh token to revoke.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    pub token: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::*;
    use crate::test_support::{keys_of, set};

    /// Each grant's type has exactly the fields `names::GRANTS` lets through the relay.
    #[test]
    fn grant_types_carry_the_fields_names_lists() {
        let s = || "x".to_owned();
        let cases = [
            (
                GRANT_PASSWORDLESS_OTP,
                keys_of(&OtpGrant {
                    username: s(),
                    otp: s(),
                    realm: s(),
                    scope: Some(s()),
                    audience: Some(s()),
                }),
            ),
            (
                GRANT_AUTHORIZATION_CODE,
                keys_of(&AuthorizationCodeGrant {
                    code: s(),
                    redirect_uri: Some(s()),
                }),
            ),
            (
                GRANT_REFRESH_TOKEN,
                keys_of(&RefreshTokenGrant {
                    refresh_token: s(),
                    scope: Some(s()),
                    audience: Some(s()),
                }),
            ),
            (
                GRANT_MFA_OTP,
                keys_of(&MfaOtpGrant {
                    mfa_token: s(),
                    otp: s(),
                }),
            ),
            (
                GRANT_MFA_OOB,
                keys_of(&MfaOobGrant {
                    mfa_token: s(),
                    oob_code: s(),
                    binding_code: Some(s()),
                }),
            ),
            (
                GRANT_MFA_RECOVERY_CODE,
                keys_of(&MfaRecoveryCodeGrant {
                    mfa_token: s(),
                    recovery_code: s(),
                }),
            ),
            (
                GRANT_WEBAUTHN,
                keys_of(&WebauthnGrant {
                    auth_session: s(),
                    authn_response: serde_json::json!({}),
                    realm: Some(s()),
                    scope: Some(s()),
                    audience: Some(s()),
                }),
            ),
        ];
        assert_eq!(cases.len(), GRANTS.len());
        for (grant, keys) in cases {
            assert_eq!(keys, set(grant_fields(grant).unwrap()), "{grant}");
        }
        assert_eq!(keys_of(&Revocation { token: s() }), set(&REVOKE_FIELDS));
    }

    #[test]
    fn a_token_set_reads_as_auth0_writes_it() {
        let set: TokenSet = serde_json::from_str(
            r#"{"access_token":"a","id_token":"i","scope":"openid","token_type":"Bearer","expires_in":86400}"#,
        )
        .unwrap();
        assert_eq!(set.id_token.as_deref(), Some("i"));
        assert_eq!(set.refresh_token, None);
        let back = serde_json::to_value(&set).unwrap();
        assert!(back.get("recovery_code").is_none());
    }
}
