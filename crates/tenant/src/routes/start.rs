//! `POST /passwordless/start`: send a one-time code or a magic link (to the dev inbox).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use passwordless_wire::codes;
use passwordless_wire::fields::{parse_fields, string_field, Fields};
use passwordless_wire::names::{SEND_CODE, SEND_LINK};
use passwordless_wire::start::{EmailStarted, SmsStarted, Started};
use serde_json::{Map, Value};

use super::rate_limited;
use super::request::{
    self, content_type, counted_ip, email_identifier, header_str, phone_identifier, Authenticated,
    PeerIp,
};
use crate::connection::Connection;
use crate::error::TenantError;
use crate::identifiers::normalise_address;
use crate::login::start::{self, StartOutcome, StartRequest};
use crate::messages;
use crate::tenant::Tenant;

const ALLOWED_PROPERTIES: [&str; 7] = [
    "client_id",
    "client_secret",
    "connection",
    "email",
    "phone_number",
    "send",
    "authParams",
];

pub async fn passwordless_start(
    State(tenant): State<Tenant>,
    PeerIp(peer): PeerIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fields = match parse_fields(content_type(&headers), &body) {
        Ok(fields) => fields,
        Err(e) => return TenantError::bad_request(codes::BAD_REQUEST, e).into_response(),
    };
    if let Err(e) = answer_late_when_asked(&tenant, &fields).await {
        return e.into_response();
    }
    // Who is counted: the forwarded IP only for a client that proved itself and is trusted.
    let authenticated = authenticate_start(&tenant, &fields);
    let ip = counted_ip(authenticated.as_ref().ok(), &headers, peer);
    rate_limited::admitted(start::admit(&tenant, &ip), || {
        let language = messages::negotiate(
            header_str(&headers, "x-request-language"),
            header_str(&headers, "accept-language"),
            &tenant.config().languages,
        );
        let request_language = header_str(&headers, "x-request-language");
        authenticated
            .and_then(|a| {
                reject_unknown_properties(&fields)?;
                let request = read_request(&fields)?;
                let outcome = start::start(&tenant, a.client, &request, language)?;
                answer(&request, outcome, request_language)
            })
            .map(Json)
            .into_response()
    })
}

/// Waits when the dev tools armed a slow answer for this identifier (outside any transaction).
async fn answer_late_when_asked(tenant: &Tenant, fields: &Fields) -> Result<(), TenantError> {
    let field = |name| string_field(fields, name).ok().flatten();
    let Some(identifier) = field("email").or_else(|| field("phone_number")) else {
        return Ok(());
    };
    let delay = start::delay(tenant, &normalise_address(identifier))?;
    if let Some(seconds) = delay {
        tokio::time::sleep(std::time::Duration::from_secs(seconds)).await;
    }
    Ok(())
}

fn reject_unknown_properties(fields: &Fields) -> Result<(), TenantError> {
    let unknown: Vec<&str> = fields
        .keys()
        .map(String::as_str)
        .filter(|k| !ALLOWED_PROPERTIES.contains(k))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(TenantError::bad_request(
        codes::BAD_REQUEST,
        format!(
            "the following properties are not allowed: {}",
            unknown.join(", ")
        ),
    ))
}

fn authenticate_start<'a>(
    tenant: &'a Tenant,
    fields: &Fields,
) -> Result<Authenticated<'a>, TenantError> {
    request::authenticate(tenant, fields, || {
        TenantError::bad_request(codes::BAD_CLIENT_ID, "Missing required property: client_id")
    })
}

/// The start's fields, checked as Auth0 checks them.
fn read_request(fields: &Fields) -> Result<StartRequest, TenantError> {
    let text = |name: &str, error: &str| {
        string_field(fields, name).map_err(|e| TenantError::bad_request(error, e))
    };
    let connection = match text("connection", codes::BAD_CONNECTION)? {
        None => return Err(missing(codes::BAD_CONNECTION, "connection")),
        Some(name) => Connection::parse(name).ok_or_else(|| {
            TenantError::bad_request(codes::BAD_CONNECTION, "Connection does not exist")
        })?,
    };
    let auth_params = match fields.get("authParams") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(params)) => params.clone(),
        Some(other) => {
            return Err(TenantError::bad_request(
                codes::BAD_AUTH_PARAMS,
                format!(
                    "error in authParams - invalid type: {} (expected object)",
                    json_type(other)
                ),
            ))
        }
    };
    // Without `send`, Auth0 emails a magic link but texts a code (Auth0's SDKs document
    // `sendSMS` as sending a verification code).
    let default_send = match connection {
        Connection::Email => SEND_LINK,
        Connection::Sms => SEND_CODE,
    };
    let send_link = match text("send", codes::BAD_REQUEST)?.unwrap_or(default_send) {
        SEND_CODE => false,
        SEND_LINK => true,
        other => {
            return Err(TenantError::bad_request(
                codes::BAD_REQUEST,
                format!("send must be \"code\" or \"link\", not {other:?}"),
            ))
        }
    };
    let identifier = match connection {
        Connection::Email => {
            let raw = text("email", codes::BAD_EMAIL)?
                .ok_or_else(|| missing(codes::BAD_EMAIL, "email"))?;
            email_identifier(raw)?
        }
        Connection::Sms => {
            let raw = text("phone_number", codes::BAD_PHONE_NUMBER)?
                .ok_or_else(|| missing(codes::BAD_PHONE_NUMBER, "phone_number"))?;
            phone_identifier(raw)?
        }
    };
    Ok(StartRequest {
        client_id: text("client_id", codes::BAD_CLIENT_ID)?
            .unwrap_or_default()
            .to_owned(),
        connection,
        identifier,
        send_link,
        auth_params,
    })
}

fn missing(error: &str, property: &str) -> TenantError {
    TenantError::bad_request(error, format!("Missing required property: {property}"))
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The wire answer to a start.
fn answer(
    request: &StartRequest,
    outcome: StartOutcome,
    request_language: Option<&str>,
) -> Result<Started, TenantError> {
    let user_id = match outcome {
        StartOutcome::Sent { user_id } => user_id,
        StartOutcome::ConnectionDisabled => {
            return Err(TenantError::bad_request(
                codes::BAD_CONNECTION,
                "Connection is disabled",
            ))
        }
        StartOutcome::SmsProviderFailed => {
            return Err(TenantError::bad_request(
                codes::SMS_PROVIDER_ERROR,
                format!(
                    "The 'To' number {} is not a valid phone number. (Code: 21211)",
                    request.identifier
                ),
            ))
        }
    };
    Ok(match request.connection {
        Connection::Email => Started::Email(EmailStarted {
            id: user_id,
            email: request.identifier.clone(),
            email_verified: false,
        }),
        Connection::Sms => Started::Sms(SmsStarted {
            id: user_id,
            phone_number: request.identifier.clone(),
            phone_verified: false,
            request_language: request_language.map(str::to_owned),
        }),
    })
}
