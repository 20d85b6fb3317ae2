//! `/dev/*`: what only a local tenant has. Never part of a production relay.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Json;
use passwordless_wire::fields::{parse_fields, string_field};
use passwordless_wire::InboxMessage;
use serde::Deserialize;
use serde_json::{json, Value};

use super::content_type;
use crate::clock::rfc3339;
use crate::codes::Connection;
use crate::error::TenantError;
use crate::identifiers::{is_e164, normalise_email};
use crate::{inbox, users, Tenant};

#[derive(Deserialize)]
pub struct InboxQuery {
    to: Option<String>,
}

/// `GET /dev/inbox?to=ADDRESS`: the messages to that address (all without `to`), newest first.
pub async fn inbox(
    State(tenant): State<Tenant>,
    Query(query): Query<InboxQuery>,
) -> Result<Json<Vec<InboxMessage>>, TenantError> {
    let to = query
        .to
        .map(|to| normalise_email(&to).unwrap_or_else(|| to.trim().to_owned()));
    Ok(Json(
        tenant
            .store()
            .transaction(|tx| inbox::list(tx, to.as_deref()))?,
    ))
}

/// `DELETE /dev/inbox`: forget every message.
pub async fn clear_inbox(State(tenant): State<Tenant>) -> Result<Json<Value>, TenantError> {
    let deleted = tenant.store().transaction(inbox::clear)?;
    Ok(Json(json!({ "deleted": deleted })))
}

/// `POST /dev/users {"email"}` or `{"phone_number"}`: a verified user, created if new.
pub async fn create_user(
    State(tenant): State<Tenant>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, TenantError> {
    let fields = parse_fields(content_type(&headers), &body)
        .map_err(|e| TenantError::bad_request("invalid_request", e))?;
    let text = |name: &str| {
        string_field(&fields, name).map_err(|e| TenantError::bad_request("invalid_request", e))
    };
    let (connection, identifier) = match (text("email")?, text("phone_number")?) {
        (Some(email), None) => (
            Connection::Email,
            normalise_email(email).ok_or_else(|| {
                TenantError::bad_request(
                    "invalid_request",
                    format!("{email:?} is not an email address"),
                )
            })?,
        ),
        (None, Some(phone)) if is_e164(phone) => (Connection::Sms, phone.to_owned()),
        (None, Some(phone)) => {
            return Err(TenantError::bad_request(
                "invalid_request",
                format!("{phone:?} is not an E.164 phone number"),
            ))
        }
        _ => {
            return Err(TenantError::bad_request(
                "invalid_request",
                "give exactly one of email or phone_number",
            ))
        }
    };
    let now = tenant.now();
    let new_id = tenant.new_user_id()?;
    let user = tenant
        .store()
        .transaction(|tx| users::mark_verified(tx, connection, &identifier, &new_id, now))?;
    Ok(Json(json!({
        "user_id": user.sub(),
        "_id": user.id,
        "connection": connection.as_str(),
        "identifier": user.identifier,
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockAdvance {
    advance_seconds: u64,
}

/// `POST /dev/clock {"advance_seconds": N}`: move the tenant's clock forward.
pub async fn advance_clock(
    State(tenant): State<Tenant>,
    body: Result<Json<ClockAdvance>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, TenantError> {
    let Json(advance) = body.map_err(|e| {
        TenantError::bad_request(
            "invalid_request",
            format!("expected {{\"advance_seconds\": N}}: {}", e.body_text()),
        )
    })?;
    if advance.advance_seconds > 10 * 365 * 86_400 {
        return Err(TenantError::bad_request(
            "invalid_request",
            "advance_seconds must be at most ten years",
        ));
    }
    tenant.inner.clock.advance(advance.advance_seconds);
    let now = tenant.now();
    Ok(Json(json!({ "now": now, "now_rfc3339": rfc3339(now) })))
}
