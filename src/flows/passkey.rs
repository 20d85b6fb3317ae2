//! Passkeys, after Auth0's Passkey APIs for embedded applications: what to send for a sign-up
//! (`/passkey/register`), a sign-in (`/passkey/challenge`), the passkey grant, and a passkey
//! added to a signed-in user (the My Account API); and the browser's credential as the grant
//! carries it (base64url, here in Rust).

use passwordless_wire::address::Unicode;
use passwordless_wire::names::{
    METHOD_PASSKEY, MY_ACCOUNT_AUDIENCE_PATH, MY_ACCOUNT_ENROL_SCOPE, MY_ACCOUNT_METHODS_PATH,
    PASSKEY_CHALLENGE_PATH, PASSKEY_REGISTER_PATH,
};
use passwordless_wire::GRANT_WEBAUTHN;
use serde::Deserialize;

pub use super::credential::RawCredential;
use super::{Body, Call, Connection};
use crate::error::{codes, SdkError};
use crate::given::{Given, Members};
use crate::input;
use crate::options::Options;

/// `passkeys.signUp()`'s parameters: the email or the phone number, and a name.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SignUpParams {
    pub email: Given,
    pub phone_number: Given,
    pub name: Given,
}

/// `passkeys.signIn()`'s parameters (its `signal` is taken by the bindings as it is).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignInParams {
    /// `"conditional"`: wait for the user to pick a passkey from a field's autofill.
    pub mediation: Given,
}

impl Members for SignUpParams {
    fn members(&mut self) -> Vec<(&'static str, &mut Given)> {
        vec![
            ("email", &mut self.email),
            ("phoneNumber", &mut self.phone_number),
            ("name", &mut self.name),
        ]
    }
}

impl Members for SignInParams {
    fn members(&mut self) -> Vec<(&'static str, &mut Given)> {
        vec![("mediation", &mut self.mediation)]
    }
}

/// What the browser is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebAuthnCall {
    /// A new passkey (`navigator.credentials.create()`).
    Create,
    /// A passkey the user picks in a sheet now (`navigator.credentials.get()`).
    Get,
    /// A passkey the user picks from the autofill of a field marked
    /// `autocomplete="… webauthn"` (`get()` with `mediation: "conditional"`).
    Autofill,
}

impl SignInParams {
    pub fn mediation(&self) -> Result<WebAuthnCall, SdkError> {
        match self.mediation.text("mediation")? {
            None | Some("optional") | Some("required") => Ok(WebAuthnCall::Get),
            Some("conditional") => Ok(WebAuthnCall::Autofill),
            Some(_) => Err(SdkError::invalid_input(
                "mediation must be \"conditional\" or absent",
            )),
        }
    }
}

/// `passkeys.signUp(params)`: `POST /passkey/register` for a new user.
pub fn register(
    options: &Options,
    params: &SignUpParams,
    unicode: &impl Unicode,
) -> Result<(Call, Connection), SdkError> {
    let email = params.email.text("email")?;
    let phone = params.phone_number.text("phoneNumber")?;
    let name = params.name.text("name")?.filter(|n| !n.trim().is_empty());
    if name.is_some_and(|n| n.chars().count() > 150) {
        return Err(SdkError::invalid_input(
            "name must be at most 150 characters",
        ));
    }
    let (realm, email, phone_number) = match (email, phone) {
        (Some(email), None) => (
            Connection::Email,
            Some(input::email(Some(email), unicode)?),
            None,
        ),
        (None, Some(phone)) => (
            Connection::Sms,
            None,
            Some(input::phone_number(Some(phone))?),
        ),
        _ => {
            return Err(SdkError::invalid_input(
                "give either email or phoneNumber (one of them)",
            ))
        }
    };
    let user_profile = Body::new()
        .maybe("email", email)
        .maybe("phone_number", phone_number)
        .maybe("name", name.map(String::from));
    let body = Body::new()
        .text("client_id", options.client_id.clone())
        .text("realm", realm.as_str())
        .object("user_profile", user_profile);
    Ok((Call::post(PASSKEY_REGISTER_PATH, body), realm))
}

/// `passkeys.signIn()`: `POST /passkey/challenge`.
pub fn challenge(options: &Options) -> Call {
    let body = Body::new().text("client_id", options.client_id.clone());
    Call::post(PASSKEY_CHALLENGE_PATH, body)
}

/// The passkey grant for the credential made or asserted in the ceremony `auth_session`.
pub fn grant(
    options: &Options,
    auth_session: String,
    credential: RawCredential,
    realm: Option<Connection>,
) -> Call {
    // `POST /oauth/token` with the passkey grant.
    let grant = Body::new()
        .text("grant_type", GRANT_WEBAUTHN)
        .text("client_id", options.client_id.clone())
        .text("auth_session", auth_session)
        .object("authn_response", credential.into_json())
        .maybe("realm", realm.map(Connection::as_str))
        .text("scope", options.scope.clone())
        .maybe("audience", options.audience.clone());
    Call::post("/oauth/token", grant)
}

/// The My Account API's audience at `issuer` (which ends with `/`).
pub fn my_account_audience(issuer: &str) -> String {
    String::from(issuer) + MY_ACCOUNT_AUDIENCE_PATH
}

/// The scope a token needs to add a passkey.
pub const ENROL_SCOPE: &str = MY_ACCOUNT_ENROL_SCOPE;

/// `passkeys.add()`'s first call, with the user's My Account token.
pub fn enrol(token: &str) -> Call {
    let body = Body::new().text("type", METHOD_PASSKEY);
    Call::post(MY_ACCOUNT_METHODS_PATH, body).bearer(token)
}

/// The new method's id: the last segment of the enrolment's `Location`, as the My Account API
/// names it (`passkey|…`), or `unexpected_response`.
pub fn method_id(location: Option<&str>) -> Result<String, SdkError> {
    let id = location
        .map(|l| l.split(['?', '#']).next().unwrap_or(l))
        .and_then(|l| l.trim_end_matches('/').rsplit('/').next())
        .filter(|id| !id.is_empty() && id.len() <= 256 && *id != "." && *id != "..")
        .filter(|id| {
            id.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"%|-_.~:".contains(&b))
        });
    id.map(Into::into).ok_or_else(|| {
        SdkError::unexpected_response("the enrolment's answer names no authentication method")
    })
}

/// `passkeys.add()`'s second call: the new credential for the method `id` (as the `Location`
/// wrote it, percent-encoded).
pub fn verify(token: &str, id: &str, auth_session: String, credential: RawCredential) -> Call {
    let body = Body::new()
        .text("auth_session", auth_session)
        .object("authn_response", credential.into_json());
    let path = String::from(MY_ACCOUNT_METHODS_PATH) + "/" + id + "/verify";
    Call::post(&path, body).bearer(token)
}

pub fn unsupported() -> SdkError {
    SdkError::new(
        codes::PASSKEY_UNSUPPORTED,
        "This browser cannot use passkeys here (no WebAuthn, or not a secure page).",
    )
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_passkey_params_members_are_their_serde_names() {
        crate::given::tests::members_are_the_serde_names::<SignUpParams>();
        crate::given::tests::members_are_the_serde_names::<SignInParams>();
    }

    use passwordless_wire::email::Crates;
    use serde_json::json;

    use super::*;
    use crate::flows::tests::{body, options};

    #[test]
    fn a_sign_up_names_one_address_and_checks_it() {
        let params = |v| serde_json::from_value::<SignUpParams>(v).unwrap();
        let (call, realm) = register(
            &options(None),
            &params(json!({"email": " Ada@Example.com ", "name": "Ada"})),
            &Crates,
        )
        .unwrap();
        assert_eq!(realm, Connection::Email);
        assert_eq!(call.path, "/passkey/register");
        assert_eq!(
            body(&call),
            json!({"client_id": "demo-client", "realm": "email",
                   "user_profile": {"email": "Ada@example.com", "name": "Ada"}})
        );
        let (call, realm) = register(
            &options(None),
            &params(json!({"phoneNumber": "+15551234567"})),
            &Crates,
        )
        .unwrap();
        assert_eq!(realm, Connection::Sms);
        assert_eq!(
            body(&call)["user_profile"],
            json!({"phone_number": "+15551234567"})
        );
        for wrong in [
            json!({}),
            json!({"email": "a@b.co", "phoneNumber": "+15551234567"}),
            json!({"email": "not an address"}),
            json!({"phoneNumber": "555"}),
            json!({"email": 42}),
            json!({"email": "a@b.co", "name": "x".repeat(151)}),
        ] {
            let error = register(&options(None), &params(wrong.clone()), &Crates).unwrap_err();
            assert_eq!(error.code, codes::INVALID_INPUT, "{wrong}");
        }
    }

    #[test]
    fn the_grant_carries_the_credential_in_webauthns_json() {
        let raw = RawCredential {
            id: "AQID".into(),
            raw_id: vec![1, 2, 3],
            attachment: Some("platform".into()),
            client_data_json: b"{}".to_vec(),
            authenticator_data: Some(vec![0xff; 4]),
            signature: Some(vec![0]),
            user_handle: Some(b"u".to_vec()),
            ..RawCredential::default()
        };
        let call = grant(&options(None), "s1".into(), raw, None);
        assert_eq!(
            body(&call),
            json!({"grant_type": GRANT_WEBAUTHN, "client_id": "demo-client",
                   "auth_session": "s1", "scope": "openid profile email",
                   "authn_response": {"id": "AQID", "rawId": "AQID", "type": "public-key",
                     "authenticatorAttachment": "platform", "clientExtensionResults": {},
                     "response": {"clientDataJSON": "e30", "authenticatorData": "_____w",
                                  "signature": "AA", "userHandle": "dQ"}}})
        );
        let made = RawCredential {
            attestation_object: Some(vec![0xa0]),
            transports: vec!["internal".into()],
            ..RawCredential::default()
        };
        let response = &body(&grant(
            &options(None),
            "s".into(),
            made,
            Some(Connection::Email),
        ))["authn_response"]["response"];
        assert_eq!(
            response,
            &json!({"clientDataJSON": "", "attestationObject": "oA", "transports": ["internal"]})
        );
    }

    #[test]
    fn the_enrolment_is_the_users_own_call_and_names_its_method() {
        let call = enrol("tok");
        assert_eq!(
            (call.path.as_str(), call.bearer.as_deref()),
            ("/me/v1/authentication-methods", Some("tok"))
        );
        assert_eq!(body(&call), json!({"type": "passkey"}));
        let at = |l| method_id(Some(l)).ok();
        assert_eq!(
            at("https://t.example/me/v1/authentication-methods/passkey%7Cdev_1"),
            Some("passkey%7Cdev_1".into())
        );
        assert_eq!(
            at("/me/v1/authentication-methods/passkey|x/"),
            Some("passkey|x".into())
        );
        assert_eq!(at("https://t.example/x/../"), None);
        assert_eq!(at("https://t.example/a b"), None);
        assert!(method_id(None).is_err());
        let verify = verify("tok", "passkey%7C1", "s".into(), RawCredential::default());
        assert_eq!(
            verify.path,
            "/me/v1/authentication-methods/passkey%7C1/verify"
        );
    }

    #[test]
    fn autofill_is_asked_for_by_name() {
        let read = |v| {
            serde_json::from_value::<SignInParams>(v)
                .unwrap()
                .mediation()
        };
        assert_eq!(read(json!({})).unwrap(), WebAuthnCall::Get);
        assert_eq!(
            read(json!({"mediation": "conditional"})).unwrap(),
            WebAuthnCall::Autofill
        );
        assert_eq!(
            read(json!({"mediation": "silent"})).unwrap_err().code,
            codes::INVALID_INPUT
        );
    }
}
