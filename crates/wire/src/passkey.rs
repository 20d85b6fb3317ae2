//! The bodies of Auth0's Passkey APIs for embedded applications (`/passkey/register`,
//! `/passkey/challenge`) and of the My Account API's passkey enrolment. The WebAuthn options
//! and credentials stay JSON values here: their shape is WebAuthn's, checked by whoever
//! verifies them (webauthn-rs in the local tenant), not by the relay that forwards them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `POST /passkey/register` besides the credentials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PasskeyRegister {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub realm: Option<String>,
    pub user_profile: UserProfile,
}

/// Who a passkey sign-up is for: the email or the phone number, and an optional name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserProfile {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name: Option<String>,
}

/// `POST /passkey/challenge` besides the credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyChallenge {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub realm: Option<String>,
}

/// What `/passkey/register`, `/passkey/challenge` and the My Account enrolment answer: the
/// session that the grant (or the verify call) names, and the options for
/// `navigator.credentials.create()` / `.get()` with binary fields in base64url.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PasskeyCeremony {
    pub auth_session: String,
    pub authn_params_public_key: Value,
}

/// `POST /me/v1/authentication-methods`: the method to enrol (`passkey` through the relay).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodEnrolment {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub connection: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub identity_user_id: Option<String>,
}

/// `POST /me/v1/authentication-methods/{id}/verify`: the ceremony's session and the
/// browser's new credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodVerification {
    pub auth_session: String,
    pub authn_response: Value,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::*;
    use crate::test_support::{keys_of, set};

    /// Each body has exactly the fields `names` lets through the relay.
    #[test]
    fn passkey_bodies_carry_the_fields_names_lists() {
        let s = || Some("x".to_owned());
        let profile = UserProfile {
            email: s(),
            phone_number: s(),
            name: s(),
        };
        assert_eq!(keys_of(&profile), set(&PASSKEY_PROFILE_FIELDS));
        let register = PasskeyRegister {
            realm: s(),
            user_profile: profile,
        };
        assert_eq!(keys_of(&register), set(&PASSKEY_REGISTER_FIELDS));
        assert_eq!(
            keys_of(&PasskeyChallenge { realm: s() }),
            set(&PASSKEY_CHALLENGE_FIELDS)
        );
        let enrolment = MethodEnrolment {
            kind: METHOD_PASSKEY.into(),
            connection: s(),
            identity_user_id: s(),
        };
        assert_eq!(keys_of(&enrolment), set(&MY_ACCOUNT_ENROL_FIELDS));
        let verification = MethodVerification {
            auth_session: "x".into(),
            authn_response: Value::Null,
        };
        assert_eq!(keys_of(&verification), set(&MY_ACCOUNT_VERIFY_FIELDS));
    }
}
