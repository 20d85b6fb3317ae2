//! What the relay lets through: pure functions from the browser's fields to the upstream's.
//! Credentials always come from the relay's configuration, never from the browser.

use passwordless_wire::fields::{string_field, Fields};
use passwordless_wire::{CLIENT_CREDENTIAL_FIELDS, GRANT_PASSWORDLESS_OTP};
use serde_json::Value;

use crate::config::RelayConfig;
use crate::error::RelayError;

/// Fields of `/passwordless/start` that pass, besides the credentials the relay adds.
const START_FIELDS: [&str; 4] = ["connection", "email", "phone_number", "send"];

/// Grant types the relay forwards, with the fields each may carry.
const GRANTS: [(&str, &[&str]); 1] = [(
    GRANT_PASSWORDLESS_OTP,
    &[
        "grant_type",
        "username",
        "otp",
        "realm",
        "scope",
        "audience",
    ],
)];

/// The upstream body for a browser's `/passwordless/start`.
pub fn start_body(config: &RelayConfig, fields: &Fields) -> Result<Fields, RelayError> {
    if fields.contains_key("authParams") {
        return Err(RelayError::bad_request(
            "bad.authParams",
            "this relay does not forward authParams yet",
        ));
    }
    let connection = string_field(fields, "connection")
        .map_err(|e| RelayError::bad_request("bad.connection", e))?;
    if let Some(connection) = connection {
        if !config.connections.iter().any(|c| c == connection) {
            return Err(RelayError::bad_request(
                "bad.connection",
                "Connection is disabled",
            ));
        }
    }
    Ok(with_credentials(config, pick(fields, &START_FIELDS)))
}

/// The upstream body for a browser's `/oauth/token`.
pub fn token_body(config: &RelayConfig, fields: &Fields) -> Result<Fields, RelayError> {
    let grant_type = string_field(fields, "grant_type")
        .map_err(|e| RelayError::bad_request("invalid_request", e))?
        .ok_or_else(|| {
            RelayError::bad_request("invalid_request", "Missing required parameter: grant_type")
        })?;
    let (_, allowed) = GRANTS
        .iter()
        .find(|(grant, _)| *grant == grant_type)
        .ok_or_else(|| {
            RelayError::new(
                axum::http::StatusCode::FORBIDDEN,
                "unauthorized_client",
                format!("Grant type {grant_type} is not allowed through this relay"),
            )
        })?;
    Ok(with_credentials(config, pick(fields, allowed)))
}

fn pick(fields: &Fields, allowed: &[&str]) -> Fields {
    fields
        .iter()
        .filter(|(k, _)| allowed.contains(&k.as_str()))
        .filter(|(k, _)| !CLIENT_CREDENTIAL_FIELDS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
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
    use serde_json::json;

    fn config() -> RelayConfig {
        RelayConfig::new(
            "http://127.0.0.1:1",
            "app",
            ClientSecret::new("s3cret".into()),
        )
    }

    fn fields(value: Value) -> Fields {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn credentials_always_come_from_the_relay() {
        let body = start_body(
            &config(),
            &fields(
                json!({"client_id": "evil", "client_secret": "guess", "client_assertion": "x",
                           "connection": "email", "email": "a@b.co", "send": "code", "other": 1}),
            ),
        )
        .unwrap();
        assert_eq!(
            Value::Object(body),
            json!({"client_id": "app", "client_secret": "s3cret", "connection": "email",
                   "email": "a@b.co", "send": "code"})
        );
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
            &fields(
                json!({"grant_type": GRANT_PASSWORDLESS_OTP, "otp": "1", "client_secret": "x"}),
            ),
        )
        .unwrap();
        assert_eq!(body["client_secret"], "s3cret");
        assert_eq!(body["otp"], "1");
    }
}
