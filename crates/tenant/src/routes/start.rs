//! `POST /passwordless/start`: send a one-time code or a magic link (to the dev inbox).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use passwordless_wire::fields::{parse_fields, string_field, Fields};
use serde_json::{json, Map, Value};

use super::request::{self, content_type, counted_ip, header_str, Authenticated, PeerIp};
use crate::connection::Connection;
use crate::error::TenantError;
use crate::identifiers::{checked_email, is_e164, normalise_address};
use crate::login::start::{self, StartOutcome, StartRequest};
use crate::messages;
use crate::rate_limit::Decision;
use crate::tenant::Tenant;
use passwordless_wire::email::EmailProblem;

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
        Err(e) => return TenantError::bad_request("bad.request", e).into_response(),
    };
    if let Err(e) = answer_late_when_asked(&tenant, &fields).await {
        return e.into_response();
    }
    // Who is counted: the forwarded IP only for a client that proved itself and is trusted.
    let authenticated = authenticate_start(&tenant, &fields);
    let ip = counted_ip(authenticated.as_ref().ok(), &headers, peer);
    let decision = match start::admit(&tenant, &ip) {
        Ok(decision) => decision,
        Err(e) => return TenantError::from(e).into_response(),
    };
    let mut response = if decision.allowed {
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
    } else {
        too_many_requests(&decision)
    };
    rate_limit_headers(response.headers_mut(), &decision);
    response
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

fn too_many_requests(decision: &Decision) -> Response {
    let mut response = TenantError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_requests",
        "Too many requests. Check the X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers.",
    )
    .into_response();
    response
        .headers_mut()
        .insert("retry-after", HeaderValue::from(decision.retry_after));
    response
}

fn rate_limit_headers(headers: &mut HeaderMap, decision: &Decision) {
    let mut set = |name: &'static str, value: u64| {
        headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
    };
    set("x-ratelimit-limit", u64::from(decision.limit));
    set("x-ratelimit-remaining", u64::from(decision.remaining));
    set("x-ratelimit-reset", decision.reset);
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
        "bad.request",
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
        TenantError::bad_request("bad.client_id", "Missing required property: client_id")
    })
}

/// The start's fields, checked as Auth0 checks them.
fn read_request(fields: &Fields) -> Result<StartRequest, TenantError> {
    let text = |name: &str, error: &str| {
        string_field(fields, name).map_err(|e| TenantError::bad_request(error, e))
    };
    let connection = match text("connection", "bad.connection")? {
        None => return Err(missing("bad.connection", "connection")),
        Some(name) => Connection::parse(name).ok_or_else(|| {
            TenantError::bad_request("bad.connection", "Connection does not exist")
        })?,
    };
    let auth_params = match fields.get("authParams") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(params)) => params.clone(),
        Some(other) => {
            return Err(TenantError::bad_request(
                "bad.authParams",
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
        Connection::Email => "link",
        Connection::Sms => "code",
    };
    let send_link = match text("send", "bad.request")?.unwrap_or(default_send) {
        "code" => false,
        "link" => true,
        other => {
            return Err(TenantError::bad_request(
                "bad.request",
                format!("send must be \"code\" or \"link\", not {other:?}"),
            ))
        }
    };
    let identifier = match connection {
        Connection::Email => {
            let raw = text("email", "bad.email")?.ok_or_else(|| missing("bad.email", "email"))?;
            checked_email(raw).map_err(|problem| match problem {
                EmailProblem::Malformed => TenantError::bad_request(
                    "bad.email",
                    format!("Object didn't pass validation for format email: {raw}"),
                ),
                _ => TenantError::bad_request(
                    "bad.email",
                    format!("email {}", problem.description()),
                ),
            })?
        }
        Connection::Sms => {
            let raw = text("phone_number", "bad.phone_number")?
                .ok_or_else(|| missing("bad.phone_number", "phone_number"))?;
            if !is_e164(raw) {
                return Err(TenantError::bad_request(
                    "bad.phone_number",
                    "String does not match pattern: ^\\+[0-9]{1,15}$",
                ));
            }
            raw.to_owned()
        }
    };
    Ok(StartRequest {
        client_id: text("client_id", "bad.client_id")?
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
) -> Result<Value, TenantError> {
    let user_id = match outcome {
        StartOutcome::Sent { user_id } => user_id,
        StartOutcome::ConnectionDisabled => {
            return Err(TenantError::bad_request(
                "bad.connection",
                "Connection is disabled",
            ))
        }
        StartOutcome::SmsProviderFailed => {
            return Err(TenantError::bad_request(
                "sms_provider_error",
                format!(
                    "The 'To' number {} is not a valid phone number. (Code: 21211)",
                    request.identifier
                ),
            ))
        }
    };
    Ok(match request.connection {
        Connection::Email => json!({
            "_id": user_id, "email": request.identifier, "email_verified": false,
        }),
        Connection::Sms => json!({
            "_id": user_id, "phone_number": request.identifier,
            "phone_verified": false, "request_language": request_language,
        }),
    })
}
