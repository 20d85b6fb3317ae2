//! What the relay lets through: pure functions from the browser's fields to the upstream's.
//! Credentials always come from the relay's configuration, never from the browser; only the
//! allowed grants, enabled connections, allowlisted `authParams` and configured callbacks pass.
//! The passkey calls' rules are in [`passkey`].

pub mod passkey;

use passwordless_wire::codes;
use passwordless_wire::email::canonical_email;
use passwordless_wire::fields::{string_field, Fields};
use passwordless_wire::names::{
    grant_fields, ASSOCIATE_FIELDS, AUTH_PARAMS, CHALLENGE_FIELDS, CONNECTION_EMAIL,
    CONNECTION_SMS, GRANT_AUTHORIZATION_CODE, GRANT_PASSWORDLESS_OTP, GRANT_WEBAUTHN,
    REVOKE_FIELDS, START_FIELDS,
};
use serde_json::{Map, Value};

use crate::config::RelayConfig;
use crate::error::RelayError;

/// A checked `/passwordless/start`: the upstream body and who it is for (rate limits).
#[derive(Debug)]
pub struct Start {
    pub body: Fields,
    /// The lower-cased email or the phone number.
    pub identifier: Option<String>,
}

/// The upstream body for a browser's `/passwordless/start`.
pub fn start_body(config: &RelayConfig, fields: &Fields) -> Result<Start, RelayError> {
    let text = |name: &str, error: &str| {
        string_field(fields, name).map_err(|e| RelayError::bad_request(error, e))
    };
    let connection = text("connection", codes::BAD_CONNECTION)?;
    if let Some(connection) = connection {
        if !config.connections.iter().any(|c| c == connection) {
            return Err(RelayError::bad_request(
                codes::BAD_CONNECTION,
                "Connection is disabled",
            ));
        }
    }
    let phone = text("phone_number", codes::BAD_PHONE_NUMBER)?;
    if let (Some(CONNECTION_SMS), Some(phone)) = (connection, phone) {
        check_country(config, phone)?;
    }
    if let Some(params) = fields.get("authParams") {
        check_auth_params(config, params)?;
    }
    let mut body = pick(fields, &START_FIELDS);
    let identifier = match connection {
        Some(CONNECTION_SMS) => phone.map(str::to_owned),
        _ => match text("email", codes::BAD_EMAIL)? {
            Some(email) => {
                let email = checked_email(email, "email", codes::BAD_EMAIL)?;
                let identifier = email.to_lowercase();
                body.insert("email".into(), Value::String(email));
                Some(identifier)
            }
            None => None,
        },
    };
    Ok(Start {
        body: with_credentials(config, body),
        identifier,
    })
}

/// The address in the one form the policy keeps (`passwordless_wire::email`): a look-alike
/// is refused before it can become a second account upstream.
fn checked_email(raw: &str, field: &str, error: &str) -> Result<String, RelayError> {
    canonical_email(raw).map_err(|problem| {
        RelayError::bad_request(error, format!("{field} {}", problem.description()))
    })
}

fn check_country(config: &RelayConfig, phone: &str) -> Result<(), RelayError> {
    if config.sms_country_codes.is_empty() {
        return Ok(());
    }
    let digits = phone.trim().strip_prefix('+').unwrap_or("");
    if config
        .sms_country_codes
        .iter()
        .any(|code| digits.starts_with(code.as_str()))
    {
        return Ok(());
    }
    Err(RelayError::bad_request(
        codes::BAD_PHONE_NUMBER,
        "SMS to this country is not enabled for this application",
    ))
}

fn check_auth_params(config: &RelayConfig, params: &Value) -> Result<(), RelayError> {
    let Value::Object(params) = params else {
        return Err(RelayError::bad_request(
            codes::BAD_AUTH_PARAMS,
            "error in authParams - invalid type: expected object",
        ));
    };
    if let Some(key) = params.keys().find(|k| !AUTH_PARAMS.contains(&k.as_str())) {
        return Err(RelayError::bad_request(
            codes::BAD_AUTH_PARAMS,
            format!(
                "authParams.{key} is not allowed; allowed: {}",
                AUTH_PARAMS.join(", ")
            ),
        ));
    }
    if let Some((key, _)) = params.iter().find(|(_, v)| !v.is_string()) {
        return Err(RelayError::bad_request(
            codes::BAD_AUTH_PARAMS,
            format!("authParams.{key} must be a string"),
        ));
    }
    if let Some(uri) = params.get("redirect_uri").and_then(Value::as_str) {
        check_callback(config, uri, codes::BAD_AUTH_PARAMS)?;
    }
    Ok(())
}

fn check_callback(config: &RelayConfig, uri: &str, error: &str) -> Result<(), RelayError> {
    if config.callbacks.iter().any(|c| c == uri) {
        Ok(())
    } else {
        Err(RelayError::bad_request(
            error,
            "redirect_uri is not one of this application's callbacks",
        ))
    }
}

/// The upstream body for a browser's `/oauth/token`, and its grant type.
pub fn token_body(config: &RelayConfig, fields: &Fields) -> Result<Fields, RelayError> {
    let grant_type = string_field(fields, "grant_type")
        .map_err(|e| RelayError::bad_request(codes::INVALID_REQUEST, e))?
        .ok_or_else(|| {
            RelayError::bad_request(
                codes::INVALID_REQUEST,
                "Missing required parameter: grant_type",
            )
        })?;
    let allowed = grant_fields(grant_type).ok_or_else(|| {
        RelayError::new(
            axum::http::StatusCode::FORBIDDEN,
            codes::UNAUTHORIZED_CLIENT,
            format!("Grant type {grant_type} is not allowed through this relay"),
        )
    })?;
    if grant_type == GRANT_AUTHORIZATION_CODE {
        let uri = string_field(fields, "redirect_uri")
            .map_err(|e| RelayError::bad_request(codes::INVALID_REQUEST, e))?
            .ok_or_else(|| {
                RelayError::bad_request(
                    codes::INVALID_REQUEST,
                    "Missing required parameter: redirect_uri",
                )
            })?;
        check_callback(config, uri, codes::INVALID_REQUEST)?;
    }
    let mut body = if grant_type == GRANT_WEBAUTHN {
        passkey::check_webauthn_grant(config, fields)?;
        passkey::given(fields, allowed)
    } else {
        pick(fields, allowed)
    };
    body.insert("grant_type".into(), Value::String(grant_type.to_owned()));
    if grant_type == GRANT_PASSWORDLESS_OTP
        && fields.get("realm") == Some(&Value::from(CONNECTION_EMAIL))
    {
        if let Some(Value::String(username)) = fields.get("username") {
            let email = checked_email(username, "username", codes::INVALID_REQUEST)?;
            body.insert("username".into(), Value::String(email));
        }
    }
    Ok(with_credentials(config, body))
}

/// The upstream body for `/oauth/revoke`: the refresh token to revoke, nothing else the
/// endpoint could take (no `client_assertion`, no `token_type_hint` games), and the relay's
/// credentials.
pub fn revoke_body(config: &RelayConfig, fields: &Fields) -> Result<Fields, RelayError> {
    let token = string_field(fields, "token")
        .map_err(|e| RelayError::bad_request(codes::INVALID_REQUEST, e))?
        .filter(|t| !t.is_empty());
    if token.is_none() {
        return Err(RelayError::bad_request(
            codes::INVALID_REQUEST,
            "Missing required parameter: token",
        ));
    }
    Ok(with_credentials(config, pick(fields, &REVOKE_FIELDS)))
}

/// The upstream body for `/mfa/challenge`.
pub fn challenge_body(config: &RelayConfig, fields: &Fields) -> Fields {
    with_credentials(config, pick(fields, &CHALLENGE_FIELDS))
}

/// The upstream body for `/mfa/associate` (authenticated by its Bearer `mfa_token`).
pub fn associate_body(config: &RelayConfig, fields: &Fields) -> Result<Fields, RelayError> {
    if let Some(Value::String(phone)) = fields.get("phone_number") {
        check_country(config, phone)?;
    }
    let mut body = pick(fields, &ASSOCIATE_FIELDS);
    body.insert("client_id".into(), Value::String(config.client_id.clone()));
    Ok(body)
}

fn pick(fields: &Fields, allowed: &[&str]) -> Fields {
    fields
        .iter()
        .filter(|(k, _)| allowed.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect::<Map<_, _>>()
}

fn with_credentials(config: &RelayConfig, mut body: Fields) -> Fields {
    body.insert("client_id".into(), Value::String(config.client_id.clone()));
    body.insert(
        "client_secret".into(),
        Value::String(config.client_secret.expose().to_owned()),
    );
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ClientSecret;
    use passwordless_wire::names::{GRANT_MFA_OTP, GRANT_PASSWORDLESS_OTP};
    use serde_json::json;

    fn config() -> RelayConfig {
        let mut config = RelayConfig::new(
            "http://127.0.0.1:1",
            "app",
            ClientSecret::new("s3cret".into()),
        );
        config.callbacks = vec!["https://app.example.com/callback".into()];
        config
    }

    fn fields(value: Value) -> Fields {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn credentials_always_come_from_the_relay() {
        let start = start_body(
            &config(),
            &fields(
                json!({"client_id": "evil", "client_secret": "guess", "client_assertion": "x",
                           "connection": "email", "email": "Ada@B.co", "send": "code", "other": 1}),
            ),
        )
        .unwrap();
        assert_eq!(
            Value::Object(start.body),
            // The address goes on in the policy's form: its domain lower-cased (IDNA).
            json!({"client_id": "app", "client_secret": "s3cret", "connection": "email",
                   "email": "Ada@b.co", "send": "code"})
        );
        assert_eq!(start.identifier.as_deref(), Some("ada@b.co"));
    }

    #[test]
    fn only_enabled_connections_and_allowed_grants_pass() {
        let mut config = config();
        config.connections = vec!["email".into()];
        let err = start_body(&config, &fields(json!({"connection": "sms"}))).unwrap_err();
        assert_eq!(err.wire.error, "bad.connection");
        let err = token_body(
            &config,
            &fields(json!({"grant_type": "client_credentials"})),
        )
        .unwrap_err();
        assert_eq!(
            (err.status.as_u16(), err.wire.error.as_str()),
            (403, "unauthorized_client")
        );
        let body = token_body(
            &config,
            &fields(json!({"grant_type": GRANT_MFA_OTP, "otp": "1",
            "mfa_token": "t", "client_secret": "x", "username": "smuggled"})),
        )
        .unwrap();
        assert_eq!(body["client_secret"], "s3cret");
        assert_eq!(body["otp"], "1");
        assert!(
            body.get("username").is_none(),
            "fields of other grants are dropped"
        );
    }

    #[test]
    fn auth_params_come_from_an_allowlist_and_redirects_from_the_callbacks() {
        let ok = json!({"connection": "email", "email": "a@b.co", "send": "link",
                        "authParams": {"redirect_uri": "https://app.example.com/callback", "state": "s"}});
        assert!(start_body(&config(), &fields(ok)).is_ok());
        for (params, why) in [
            (
                json!({"redirect_uri": "https://evil.example/"}),
                "callbacks",
            ),
            (json!({"connection": "google-oauth2"}), "not allowed"),
            (json!({"state": 5}), "string"),
        ] {
            let request = json!({"connection": "email", "email": "a@b.co", "authParams": params});
            let err = start_body(&config(), &fields(request)).unwrap_err();
            assert_eq!(err.wire.error, "bad.authParams");
            assert!(
                err.wire.error_description.contains(why),
                "{}",
                err.wire.error_description
            );
        }
        let exchange = json!({"grant_type": "authorization_code", "code": "c", "redirect_uri": "https://evil.example/"});
        assert!(token_body(&config(), &fields(exchange)).is_err());
    }

    #[test]
    fn sms_goes_only_to_allowed_countries() {
        let mut config = config();
        config.sms_country_codes = vec!["1".into(), "44".into()];
        let sms = |phone: &str| fields(json!({"connection": "sms", "phone_number": phone}));
        assert!(start_body(&config, &sms("+14155550100")).is_ok());
        assert!(start_body(&config, &sms("+447700900123")).is_ok());
        let err = start_body(&config, &sms("+8613800138000")).unwrap_err();
        assert_eq!(err.wire.error, "bad.phone_number");
    }

    #[test]
    fn only_the_token_is_revoked_with_the_relays_credentials() {
        let body = revoke_body(
            &config(),
            &fields(
                json!({"token": "rt1", "client_id": "evil", "client_secret": "guess",
                           "token_type_hint": "access_token", "client_assertion": "x"}),
            ),
        )
        .unwrap();
        assert_eq!(
            Value::Object(body),
            json!({"token": "rt1", "client_id": "app", "client_secret": "s3cret"})
        );
        for bad in [json!({}), json!({"token": ""}), json!({"token": 7})] {
            let e = revoke_body(&config(), &fields(bad)).unwrap_err();
            assert_eq!(e.status, axum::http::StatusCode::BAD_REQUEST);
        }
    }

    #[test]
    fn look_alike_addresses_are_refused_or_made_one() {
        let start = |email: &str| {
            start_body(
                &config(),
                &fields(json!({"connection": "email", "email": email, "send": "code"})),
            )
        };
        let fullwidth = start("\u{ff41}dmin@Example.com").unwrap();
        assert_eq!(fullwidth.body["email"], "admin@example.com");
        assert_eq!(fullwidth.identifier.as_deref(), Some("admin@example.com"));
        let idn = start("Ada@Bücher.de").unwrap();
        assert_eq!(idn.body["email"], "Ada@xn--bcher-kva.de");
        assert_eq!(idn.identifier.as_deref(), Some("ada@xn--bcher-kva.de"));
        for (email, problem) in [
            ("\u{430}dmin@example.com", "before the @"),
            ("admin@ex\u{430}mple.com", "domain"),
            ("ad\u{200b}min@example.com", "invisible"),
        ] {
            let refused = start(email).unwrap_err();
            assert_eq!(refused.wire.error, "bad.email");
            assert!(
                refused.wire.error_description.contains(problem),
                "{refused:?}"
            );
        }
    }

    #[test]
    fn the_otp_grant_takes_the_same_form_of_the_address() {
        let token = |username: &str| {
            token_body(
                &config(),
                &fields(
                    json!({"grant_type": GRANT_PASSWORDLESS_OTP, "realm": "email",
                               "username": username, "otp": "123456"}),
                ),
            )
        };
        assert_eq!(
            token("\u{ff41}dmin@example.com").unwrap()["username"],
            "admin@example.com"
        );
        let refused = token("\u{430}dmin@example.com").unwrap_err();
        assert_eq!(refused.wire.error, "invalid_request");
        let sms = token_body(
            &config(),
            &fields(json!({"grant_type": GRANT_PASSWORDLESS_OTP, "realm": "sms",
                           "username": "+14155550100", "otp": "123456"})),
        );
        assert_eq!(sms.unwrap()["username"], "+14155550100");
    }
}
