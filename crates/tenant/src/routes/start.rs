//! `POST /passwordless/start`: send a one-time code (to the dev inbox).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use passwordless_wire::{Channel, InboxMessage, MessageKind};
use rand::Rng;
use serde_json::{json, Value};

use super::content_type;
use crate::clock::rfc3339;
use crate::codes::Connection;
use crate::error::TenantError;
use crate::identifiers::{is_e164, normalise_email};
use crate::Tenant;
use passwordless_wire::fields::{parse_fields, string_field, Fields};

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
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, TenantError> {
    let fields = parse_fields(content_type(&headers), &body)
        .map_err(|e| TenantError::bad_request("bad.request", e))?;
    reject_unknown_properties(&fields)?;
    authenticate_start(&tenant, &fields)?;
    let request = StartRequest::read(&fields)?;
    send_code(&tenant, &request)
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

fn authenticate_start(tenant: &Tenant, fields: &Fields) -> Result<(), TenantError> {
    super::authenticate(tenant, fields, || {
        TenantError::bad_request("bad.client_id", "Missing required property: client_id")
    })
    .map(|_| ())
}

/// A checked start request: where to send and what.
struct StartRequest {
    connection: Connection,
    /// Lower-cased email, or the E.164 phone number.
    identifier: String,
}

impl StartRequest {
    fn read(fields: &Fields) -> Result<Self, TenantError> {
        let text = |name: &str, error: &str| {
            string_field(fields, name).map_err(|e| TenantError::bad_request(error, e))
        };
        let connection = match text("connection", "bad.connection")? {
            None => return Err(missing("bad.connection", "connection")),
            Some("email") => Connection::Email,
            Some("sms") => Connection::Sms,
            Some(_) => {
                return Err(TenantError::bad_request(
                    "bad.connection",
                    "Connection does not exist",
                ))
            }
        };
        if let Some(params) = fields.get("authParams") {
            if !params.is_object() {
                return Err(TenantError::bad_request(
                    "bad.authParams",
                    format!(
                        "error in authParams - invalid type: {} (expected object)",
                        json_type(params)
                    ),
                ));
            }
        }
        // Auth0 sends a magic link when `send` is absent.
        match text("send", "bad.request")?.unwrap_or("link") {
            "code" => {}
            "link" => {
                return Err(TenantError::bad_request(
                    "bad.request",
                    "send \"link\" is not supported by this local tenant yet; use send \"code\"",
                ))
            }
            other => {
                return Err(TenantError::bad_request(
                    "bad.request",
                    format!("send must be \"code\" or \"link\", not {other:?}"),
                ))
            }
        }
        let identifier = match connection {
            Connection::Email => {
                let raw =
                    text("email", "bad.email")?.ok_or_else(|| missing("bad.email", "email"))?;
                normalise_email(raw).ok_or_else(|| {
                    TenantError::bad_request(
                        "bad.email",
                        format!("Object didn't pass validation for format email: {raw}"),
                    )
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
        Ok(Self {
            connection,
            identifier,
        })
    }
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

fn send_code(tenant: &Tenant, request: &StartRequest) -> Result<Json<Value>, TenantError> {
    let now = tenant.now();
    let policy = tenant.config().codes;
    let (code, message_id, user) = {
        let mut rng = tenant.rng()?;
        let code = format!(
            "{:0width$}",
            rng.gen_range(0..10u64.pow(policy.length)),
            width = policy.length as usize
        );
        let message_id = format!("msg_{:016x}", rng.gen::<u64>());
        let user =
            tenant
                .users()?
                .get_or_create(request.connection, &request.identifier, &mut *rng, now);
        (code, message_id, user)
    };
    tenant.codes()?.issue(
        request.connection,
        &request.identifier,
        code.clone(),
        policy,
        now,
    );
    let channel = match request.connection {
        Connection::Email => Channel::Email,
        Connection::Sms => Channel::Sms,
    };
    tenant.inbox()?.deliver(InboxMessage {
        id: message_id,
        channel,
        to: request.identifier.clone(),
        kind: MessageKind::Code,
        code: Some(code),
        link: None,
        created_at: rfc3339(now),
    });
    tracing::info!(
        connection = request.connection.as_str(),
        "one-time code sent to the dev inbox"
    );
    Ok(Json(match request.connection {
        Connection::Email => json!({
            "_id": user.id, "email": request.identifier, "email_verified": false,
        }),
        Connection::Sms => json!({
            "_id": user.id, "phone_number": request.identifier,
            "phone_verified": false, "request_language": null,
        }),
    }))
}
