//! The MFA part of the contract: the `mfa_required` answer, `GET /mfa/authenticators`,
//! `POST /mfa/challenge` and `POST /mfa/associate`. (The MFA grants are in `token`.)

use serde::{Deserialize, Serialize};

/// The 403 answer of a first factor that needs a second: the wire error plus the token
/// that proves the first factor and what the second may be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaRequired {
    /// Always [`codes::MFA_REQUIRED`](crate::codes::MFA_REQUIRED).
    pub error: String,
    pub error_description: String,
    pub mfa_token: String,
    pub mfa_requirements: MfaRequirements,
}

/// What the second factor may be: the user's factors (`challenge`), or, when the user has
/// none yet and the tenant requires one, what may be enrolled (`enroll`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaRequirements {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub challenge: Option<Vec<FactorType>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub enroll: Option<Vec<FactorType>>,
}

/// One entry of `mfa_requirements`: `otp`, `phone`, `email`, `push-notification`,
/// `recovery-code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorType {
    #[serde(rename = "type")]
    pub type_: String,
}

/// One entry of `GET /mfa/authenticators`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authenticator {
    pub id: String,
    /// `otp`, `oob` or `recovery-code`.
    pub authenticator_type: String,
    pub active: bool,
    /// For `oob`: `sms`, `email` or `auth0` (push).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub oob_channel: Option<String>,
    /// For `oob`: the phone number or address; `Some(None)` is written `"name": null` (an
    /// `oob` factor without one), `None` leaves the member out.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name: Option<Option<String>>,
}

/// `POST /mfa/challenge` besides the credentials (`names::CHALLENGE_FIELDS`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeRequest {
    pub mfa_token: String,
    /// `otp`, `oob` or both separated by a space (the default).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub challenge_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub authenticator_id: Option<String>,
}

/// The answer of `/mfa/challenge`: `{"challenge_type":"otp"}`, or an `oob` one with its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    pub challenge_type: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub oob_code: Option<String>,
    /// `prompt`: the grant must carry the `binding_code` the user was sent.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub binding_method: Option<String>,
}

/// `POST /mfa/associate` (`names::ASSOCIATE_FIELDS`; the `mfa_token` is the Bearer token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssociateRequest {
    /// `["otp"]` or `["oob"]`.
    #[serde(default)]
    pub authenticator_types: Vec<String>,
    /// With `oob`: `["sms"]` or `["email"]`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub oob_channels: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub email: Option<String>,
}

/// The answer of `/mfa/associate`: a TOTP secret and its barcode URI, or an `oob` code.
/// `recovery_codes` come only with the user's first factor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Association {
    /// `otp` or `oob`.
    pub authenticator_type: String,
    /// For `otp`: base32.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub secret: Option<String>,
    /// For `otp`: `otpauth://totp/…`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub barcode_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub binding_method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub oob_channel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub oob_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub recovery_codes: Option<Vec<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::{ASSOCIATE_FIELDS, CHALLENGE_FIELDS};
    use crate::test_support::{keys_of, set};
    use serde_json::json;

    #[test]
    fn requests_carry_the_fields_names_lists() {
        let s = || Some("x".to_owned());
        let challenge = ChallengeRequest {
            mfa_token: "t".into(),
            challenge_type: s(),
            authenticator_id: s(),
        };
        assert_eq!(keys_of(&challenge), set(&CHALLENGE_FIELDS));
        let associate = AssociateRequest {
            authenticator_types: vec!["oob".into()],
            oob_channels: Some(vec!["sms".into()]),
            phone_number: s(),
            email: s(),
        };
        assert_eq!(keys_of(&associate), set(&ASSOCIATE_FIELDS));
    }

    #[test]
    fn the_contracts_mfa_required_reads() {
        let body: MfaRequired = serde_json::from_value(json!({
            "error": "mfa_required", "error_description": "Multifactor authentication required",
            "mfa_token": "m", "mfa_requirements": {"challenge": [{"type": "otp"}, {"type": "recovery-code"}]}
        }))
        .unwrap();
        let types: Vec<_> = body.mfa_requirements.challenge.unwrap();
        assert_eq!(types[1].type_, "recovery-code");
        assert_eq!(body.mfa_requirements.enroll, None);
    }

    #[test]
    fn an_oob_factor_without_a_name_says_null() {
        let factor = Authenticator {
            id: "email|dev_1".into(),
            authenticator_type: "oob".into(),
            active: true,
            oob_channel: Some("email".into()),
            name: Some(None),
        };
        assert_eq!(serde_json::to_value(&factor).unwrap()["name"], json!(null));
        let otp = Authenticator {
            oob_channel: None,
            name: None,
            ..factor
        };
        assert!(serde_json::to_value(&otp).unwrap().get("name").is_none());
    }
}
