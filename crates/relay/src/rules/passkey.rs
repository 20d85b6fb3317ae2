//! Auth0's Passkey APIs for embedded applications (`/passkey/register`, `/passkey/challenge`,
//! the webauthn grant) and the My Account API's passkey enrolment: which fields pass, and the
//! checks the relay makes before anything goes upstream. The WebAuthn credential itself is
//! WebAuthn's shape, verified upstream; the relay only bounds it and passes it unchanged.

use passwordless_wire::codes;
use passwordless_wire::fields::{string_field, Fields};
use passwordless_wire::names::{
    METHOD_PASSKEY, MY_ACCOUNT_ENROL_FIELDS, MY_ACCOUNT_VERIFY_FIELDS, PASSKEY_CHALLENGE_FIELDS,
    PASSKEY_PROFILE_FIELDS, PASSKEY_REGISTER_FIELDS,
};
use serde_json::Value;

use super::{check_country, checked_email, pick, with_credentials};
use crate::config::RelayConfig;
use crate::error::RelayError;

/// How deeply a credential (`authn_response`) may nest: a `PublicKeyCredential` as JSON is
/// at most 5 levels (`clientExtensionResults.prf.results.first`); the rest is room, not a
/// licence for a parser bomb (the 16 KiB body limit bounds the size).
pub const CREDENTIAL_MAX_DEPTH: usize = 8;

/// The longest authentication-method id the relay forwards (Auth0's are `passkey|…`, well
/// under this).
pub const METHOD_ID_MAX_LEN: usize = 128;

/// A checked `/passkey/register`: the upstream body and who it is for (rate limits).
#[derive(Debug)]
pub struct PasskeyRegister {
    pub body: Fields,
    /// The lower-cased email and/or the phone number, each counted by the per-identifier limit.
    pub identifiers: Vec<String>,
}

/// The upstream body for a browser's `/passkey/register`: `realm` (an enabled connection) and
/// `user_profile` (`email` in the policy's form, `phone_number` to an allowed country,
/// `name`), nothing else, and the relay's credentials.
pub fn register_body(config: &RelayConfig, fields: &Fields) -> Result<PasskeyRegister, RelayError> {
    check_realm(config, fields)?;
    let profile = match fields.get("user_profile") {
        Some(Value::Object(profile)) => profile,
        None | Some(Value::Null) => {
            return Err(invalid("Missing required parameter: user_profile"))
        }
        Some(_) => return Err(invalid("user_profile must be an object")),
    };
    let text = |name: &str, error: &str| {
        string_field(profile, name)
            .map_err(|e| RelayError::bad_request(error, format!("user_profile.{e}")))
    };
    let email = text("email", codes::BAD_EMAIL)?;
    let phone = text("phone_number", codes::BAD_PHONE_NUMBER)?;
    text("name", codes::INVALID_REQUEST)?;
    if email.is_none() && phone.is_none() {
        return Err(invalid("user_profile needs an email or a phone_number"));
    }
    let mut checked = given(profile, &PASSKEY_PROFILE_FIELDS);
    let mut identifiers = Vec::new();
    if let Some(email) = email {
        let email = checked_email(email, "user_profile.email", codes::BAD_EMAIL)?;
        identifiers.push(email.to_lowercase());
        checked.insert("email".into(), Value::String(email));
    }
    if let Some(phone) = phone {
        check_country(config, phone)?;
        identifiers.push(phone.to_owned());
    }
    let mut body = given(fields, &PASSKEY_REGISTER_FIELDS);
    body.insert("user_profile".into(), Value::Object(checked));
    Ok(PasskeyRegister {
        body: with_credentials(config, body),
        identifiers,
    })
}

/// The upstream body for a browser's `/passkey/challenge`: `realm` and the credentials.
pub fn challenge_body(config: &RelayConfig, fields: &Fields) -> Result<Fields, RelayError> {
    check_realm(config, fields)?;
    Ok(with_credentials(
        config,
        given(fields, &PASSKEY_CHALLENGE_FIELDS),
    ))
}

/// The webauthn grant's own checks (its fields are picked by `token_body`): an enabled
/// `realm`, a string `auth_session`, and `authn_response` a bounded JSON object (so the grant
/// comes as JSON: a form can only carry it as a string).
pub fn check_webauthn_grant(config: &RelayConfig, fields: &Fields) -> Result<(), RelayError> {
    check_realm(config, fields)?;
    required_string(fields, "auth_session")?;
    check_credential(fields)
}

/// The body of `POST /me/v1/authentication-methods`: a passkey, nothing else; no client
/// credentials (the My Account API takes the user's own token).
pub fn enrolment_body(fields: &Fields) -> Result<Fields, RelayError> {
    match required_string(fields, "type")? {
        METHOD_PASSKEY => {}
        other => {
            return Err(invalid(format!(
                "Only a {METHOD_PASSKEY} may be enrolled through this relay, not {}",
                passwordless_wire::fields::quoted(other)
            )))
        }
    }
    for name in ["connection", "identity_user_id"] {
        string_field(fields, name).map_err(invalid)?;
    }
    Ok(given(fields, &MY_ACCOUNT_ENROL_FIELDS))
}

/// The body of `POST /me/v1/authentication-methods/{id}/verify`.
pub fn verification_body(fields: &Fields) -> Result<Fields, RelayError> {
    required_string(fields, "auth_session")?;
    check_credential(fields)?;
    Ok(given(fields, &MY_ACCOUNT_VERIFY_FIELDS))
}

/// An authentication-method id as the upstream's path takes it: 1 to [`METHOD_ID_MAX_LEN`]
/// of URL-safe characters (RFC 3986's unreserved) and `|`, not `.` or `..` (which would name
/// another path), with `|` percent-encoded.
pub fn method_id_segment(id: &str) -> Result<String, RelayError> {
    let safe = |b: u8| b.is_ascii_alphanumeric() || b"-._~|".contains(&b);
    if id.is_empty()
        || id.len() > METHOD_ID_MAX_LEN
        || !id.bytes().all(safe)
        || id.bytes().all(|b| b == b'.')
    {
        return Err(invalid("That is not an authentication method id."));
    }
    Ok(id.replace('|', "%7C"))
}

/// The `allowed` fields that are given: a `null` (an SDK's absent option) means absent, and
/// is not sent on for the identity provider to read as a value.
pub(super) fn given(fields: &Fields, allowed: &[&str]) -> Fields {
    let mut picked = pick(fields, allowed);
    picked.retain(|_, v| !v.is_null());
    picked
}

fn check_realm(config: &RelayConfig, fields: &Fields) -> Result<(), RelayError> {
    let realm = string_field(fields, "realm")
        .map_err(|e| RelayError::bad_request(codes::BAD_CONNECTION, e))?;
    match realm {
        Some(realm) if !config.connections.iter().any(|c| c == realm) => Err(
            RelayError::bad_request(codes::BAD_CONNECTION, "Connection is disabled"),
        ),
        _ => Ok(()),
    }
}

fn check_credential(fields: &Fields) -> Result<(), RelayError> {
    match fields.get("authn_response") {
        Some(credential @ Value::Object(_)) => {
            if depth(credential) > CREDENTIAL_MAX_DEPTH {
                Err(invalid(format!(
                    "authn_response nests deeper than {CREDENTIAL_MAX_DEPTH} levels"
                )))
            } else {
                Ok(())
            }
        }
        None | Some(Value::Null) => Err(invalid("Missing required parameter: authn_response")),
        Some(_) => Err(invalid(
            "authn_response must be a JSON object (send this request as application/json)",
        )),
    }
}

fn required_string<'a>(fields: &'a Fields, name: &str) -> Result<&'a str, RelayError> {
    string_field(fields, name)
        .map_err(invalid)?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid(format!("Missing required parameter: {name}")))
}

/// Levels of nesting: a scalar is 0, `{}` is 1. Recursion is safe: serde_json refuses input
/// deeper than 128 before it gets here.
fn depth(value: &Value) -> usize {
    match value {
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

fn invalid(description: impl Into<String>) -> RelayError {
    RelayError::bad_request(codes::INVALID_REQUEST, description)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ClientSecret;
    use crate::rules::token_body;
    use passwordless_wire::names::{GRANT_REFRESH_TOKEN, GRANT_WEBAUTHN};
    use serde_json::json;

    fn config() -> RelayConfig {
        RelayConfig::new(
            "http://127.0.0.1:1",
            "app",
            ClientSecret::new("s3cret".into()),
        )
    }

    fn fields(value: Value) -> Fields {
        value.as_object().cloned().unwrap_or_default()
    }

    fn credential() -> Value {
        json!({"id": "abc", "rawId": "abc", "type": "public-key",
               "response": {"clientDataJSON": "e30", "attestationObject": "o2M"},
               "clientExtensionResults": {"credProps": {"rk": true}}})
    }

    #[test]
    fn register_passes_the_realm_and_the_profile_only_with_the_relays_credentials() {
        let register = register_body(
            &config(),
            &fields(
                json!({"client_id": "evil", "client_secret": "guess", "realm": "email",
                "connection": "x", "user_profile": {"email": "Ada@Example.COM", "name": "Ada",
                "given_name": "smuggled", "user_metadata": {"role": "admin"}}, "junk": 1}),
            ),
        )
        .unwrap();
        assert_eq!(
            Value::Object(register.body),
            json!({"client_id": "app", "client_secret": "s3cret", "realm": "email",
                   "user_profile": {"email": "Ada@example.com", "name": "Ada"}})
        );
        assert_eq!(register.identifiers, ["ada@example.com"]);
    }

    #[test]
    fn a_null_is_absent_and_not_sent_on() {
        let register = register_body(
            &config(),
            &fields(json!({"realm": null, "user_profile": {"email": null,
                "phone_number": "+14155550100", "name": null}})),
        )
        .unwrap();
        assert_eq!(
            Value::Object(register.body),
            json!({"client_id": "app", "client_secret": "s3cret",
                   "user_profile": {"phone_number": "+14155550100"}})
        );
        let grant = token_body(
            &config(),
            &fields(json!({"grant_type": GRANT_WEBAUTHN, "auth_session": "s",
                "authn_response": credential(), "realm": null, "audience": null, "scope": "openid"})),
        )
        .unwrap();
        assert!(grant.get("realm").is_none() && grant.get("audience").is_none());
        assert_eq!(grant["scope"], "openid");
    }

    #[test]
    fn register_checks_the_address_the_phone_and_the_realm_as_start_does() {
        let register = |body: Value| register_body(&config(), &fields(body));
        let look_alike = register(json!({"user_profile": {"email": "\u{430}dmin@example.com"}}));
        assert_eq!(look_alike.unwrap_err().wire.error, "bad.email");
        let fullwidth = register(json!({"user_profile": {"email": "\u{ff41}dmin@example.com"}}));
        assert_eq!(
            fullwidth.unwrap().body["user_profile"]["email"],
            "admin@example.com"
        );
        let realm =
            register(json!({"realm": "google-oauth2", "user_profile": {"email": "a@b.co"}}));
        assert_eq!(realm.unwrap_err().wire.error, "bad.connection");

        let mut config = config();
        config.sms_country_codes = vec!["44".into()];
        let phone = |number: &str| {
            register_body(
                &config,
                &fields(json!({"realm": "sms", "user_profile": {"phone_number": number}})),
            )
        };
        assert_eq!(
            phone("+14155550100").unwrap_err().wire.error,
            "bad.phone_number"
        );
        assert_eq!(
            phone("+447700900123").unwrap().identifiers,
            ["+447700900123"]
        );

        for (body, code) in [
            (json!({}), "invalid_request"),
            (json!({"user_profile": "a@b.co"}), "invalid_request"),
            (json!({"user_profile": {"name": "Ada"}}), "invalid_request"),
            (json!({"user_profile": {"email": 5}}), "bad.email"),
            (
                json!({"user_profile": {"phone_number": []}}),
                "bad.phone_number",
            ),
            (
                json!({"user_profile": {"email": "a@b.co", "name": {}}}),
                "invalid_request",
            ),
            (
                json!({"realm": 1, "user_profile": {"email": "a@b.co"}}),
                "bad.connection",
            ),
        ] {
            assert_eq!(
                register(body.clone()).unwrap_err().wire.error,
                code,
                "{body}"
            );
        }
    }

    #[test]
    fn a_challenge_carries_the_realm_and_the_relays_credentials_only() {
        let body = challenge_body(
            &config(),
            &fields(json!({"realm": "email", "client_secret": "guess", "user_profile": {}})),
        )
        .unwrap();
        assert_eq!(
            Value::Object(body),
            json!({"realm": "email", "client_id": "app", "client_secret": "s3cret"})
        );
        assert!(challenge_body(&config(), &fields(json!({}))).is_ok());
        let err = challenge_body(&config(), &fields(json!({"realm": "db"}))).unwrap_err();
        assert_eq!(err.wire.error, "bad.connection");
    }

    #[test]
    fn the_webauthn_grant_keeps_its_credential_a_json_object() {
        let body = token_body(
            &config(),
            &fields(json!({"grant_type": GRANT_WEBAUTHN, "auth_session": "s",
                "authn_response": credential(), "realm": "email", "scope": "openid",
                "audience": "https://api", "username": "smuggled", "client_secret": "guess"})),
        )
        .unwrap();
        assert_eq!(
            Value::Object(body),
            json!({"grant_type": GRANT_WEBAUTHN, "auth_session": "s",
                "authn_response": credential(), "realm": "email", "scope": "openid",
                "audience": "https://api", "client_id": "app", "client_secret": "s3cret"})
        );
        let mut deep = json!(1);
        for _ in 0..CREDENTIAL_MAX_DEPTH {
            deep = json!({ "a": deep });
        }
        let grant = |response: Value| {
            token_body(
                &config(),
                &fields(json!({"grant_type": GRANT_WEBAUTHN, "auth_session": "s",
                    "authn_response": response})),
            )
        };
        assert!(
            grant(deep.clone()).is_ok(),
            "{CREDENTIAL_MAX_DEPTH} levels pass"
        );
        for bad in [
            json!({ "a": deep }),
            json!(credential().to_string()),
            Value::Null,
            json!([credential()]),
        ] {
            let err = grant(bad.clone()).unwrap_err();
            assert_eq!(err.wire.error, "invalid_request", "{bad}");
        }
        let no_session = token_body(
            &config(),
            &fields(json!({"grant_type": GRANT_WEBAUTHN, "authn_response": credential()})),
        );
        assert_eq!(no_session.unwrap_err().wire.error, "invalid_request");
        let realm = token_body(
            &config(),
            &fields(json!({"grant_type": GRANT_WEBAUTHN, "auth_session": "s",
                "authn_response": credential(), "realm": "other"})),
        );
        assert_eq!(realm.unwrap_err().wire.error, "bad.connection");
    }

    #[test]
    fn the_refresh_grant_may_ask_for_another_audience() {
        let body = token_body(
            &config(),
            &fields(json!({"grant_type": GRANT_REFRESH_TOKEN, "refresh_token": "rt",
                "audience": "https://tenant.example/me/", "scope": "create:me:authentication_methods"})),
        )
        .unwrap();
        assert_eq!(body["audience"], "https://tenant.example/me/");
        assert_eq!(body["client_secret"], "s3cret");
    }

    #[test]
    fn only_a_passkey_is_enrolled_and_without_client_credentials() {
        let body = enrolment_body(&fields(json!({"type": "passkey", "connection": "email",
            "identity_user_id": "u1", "client_secret": "x", "client_id": "y", "extra": 1})))
        .unwrap();
        assert_eq!(
            Value::Object(body),
            json!({"type": "passkey", "connection": "email", "identity_user_id": "u1"})
        );
        let body = enrolment_body(&fields(json!({"type": "passkey", "connection": null}))).unwrap();
        assert_eq!(Value::Object(body), json!({"type": "passkey"}));
        for bad in [
            json!({}),
            json!({"type": "totp"}),
            json!({"type": "password"}),
            json!({"type": ["passkey"]}),
            json!({"type": "passkey", "connection": 1}),
            json!({"type": "passkey", "identity_user_id": {}}),
        ] {
            let err = enrolment_body(&fields(bad.clone())).unwrap_err();
            assert_eq!(
                (err.status.as_u16(), err.wire.error.as_str()),
                (400, "invalid_request"),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_verification_carries_the_session_and_the_credential_only() {
        let body = verification_body(&fields(json!({"auth_session": "s",
            "authn_response": credential(), "type": "totp", "client_secret": "x"})))
        .unwrap();
        assert_eq!(
            Value::Object(body),
            json!({"auth_session": "s", "authn_response": credential()})
        );
        for bad in [
            json!({"authn_response": credential()}),
            json!({"auth_session": "s"}),
            json!({"auth_session": "s", "authn_response": "{}"}),
        ] {
            assert!(verification_body(&fields(bad.clone())).is_err(), "{bad}");
        }
    }

    #[test]
    fn method_ids_are_url_safe_and_pipes_are_encoded() {
        assert_eq!(
            method_id_segment("passkey|dev_a-B.9~").unwrap(),
            "passkey%7Cdev_a-B.9~"
        );
        let longest = "p".repeat(METHOD_ID_MAX_LEN);
        assert_eq!(method_id_segment(&longest).unwrap(), longest);
        for bad in [
            "",
            ".",
            "..",
            "a/b",
            "a%2Fb",
            "a b",
            "a?b",
            "a#b",
            "é",
            &"p".repeat(METHOD_ID_MAX_LEN + 1),
        ] {
            assert!(method_id_segment(bad).is_err(), "{bad:?}");
        }
    }
}
