//! `/dev/*` handlers: what only a local tenant has. Never part of a production relay.

use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use passwordless_wire::codes;
use passwordless_wire::fields::{string_field, Fields};
use serde::Deserialize;
use serde_json::{json, Value};

use super::message::InboxMessage;
use super::{faults, inbox, passkeys};
use crate::clock::rfc3339;
use crate::connection::Connection;
use crate::error::TenantError;
use crate::identifiers::{is_e164, normalise_address, normalise_email};
use crate::mfa::authenticators::{self, Kind, NewAuthenticator};
use crate::mfa::enrol::{enrol, new_totp_secret};
use crate::mfa::{self, session};
use crate::policies::MfaPolicy;
use crate::routes::request::read_fields;
use crate::tenant::Tenant;
use crate::users;

/// The development-only routes (`/dev/...`): the inbox, users, the clock and the faults.
pub fn routes(tenant: Tenant) -> Router {
    Router::new()
        .route("/dev/inbox", get(inbox).delete(clear_inbox))
        .route("/dev/users", post(create_user))
        .route("/dev/clock", post(advance_clock))
        .route("/dev/push/{message_id}/{decision}", post(decide_push))
        .route("/dev/mfa-policy", put(set_mfa_policy))
        .route("/dev/id-token-faults", post(arm_id_token_fault))
        .route("/dev/token-answer-faults", post(arm_token_answer_fault))
        .route("/dev/slow-answers", post(arm_slow_answer))
        .route("/dev/passkeys", get(passkeys::list))
        .route("/dev/passkeys/{credential_id}", delete(passkeys::remove))
        .with_state(tenant)
}

#[derive(Deserialize)]
pub struct InboxQuery {
    to: Option<String>,
}

/// `GET /dev/inbox?to=ADDRESS`: the messages to that address (all without `to`), newest first.
pub async fn inbox(
    State(tenant): State<Tenant>,
    Query(query): Query<InboxQuery>,
) -> Result<Json<Vec<InboxMessage>>, TenantError> {
    let to = query.to.as_deref().map(normalise_address);
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
    let fields = read_fields(&headers, &body)?;
    let text = |name: &str| {
        string_field(&fields, name).map_err(|e| TenantError::bad_request(codes::INVALID_REQUEST, e))
    };
    let (connection, identifier) = match (text("email")?, text("phone_number")?) {
        (Some(email), None) => (
            Connection::Email,
            normalise_email(email).ok_or_else(|| {
                TenantError::bad_request(
                    codes::INVALID_REQUEST,
                    format!("{email:?} is not an email address"),
                )
            })?,
        ),
        (None, Some(phone)) if is_e164(phone) => (Connection::Sms, phone.to_owned()),
        (None, Some(phone)) => {
            return Err(TenantError::bad_request(
                codes::INVALID_REQUEST,
                format!("{phone:?} is not an E.164 phone number"),
            ))
        }
        _ => {
            return Err(TenantError::bad_request(
                codes::INVALID_REQUEST,
                "give exactly one of email or phone_number",
            ))
        }
    };
    let factors = requested_factors(&fields)?;
    let now = tenant.now();
    let new_id = tenant.new_user_id()?;
    let totp_secret = new_totp_secret(&tenant)?;
    tenant.store().transaction(|tx| {
        let user = users::mark_verified(tx, connection, &identifier, &new_id, now)?;
        let mut answer = json!({
            "user_id": user.sub(),
            "_id": user.id,
            "connection": connection.as_str(),
            "identifier": user.identifier,
        });
        let mut recovery_codes = Vec::new();
        for (kind, name) in &factors {
            let name = name.clone().or_else(|| match kind {
                Kind::Email => Some(user.identifier.clone()),
                Kind::Push => Some("Dev phone".to_owned()),
                _ => None,
            });
            let secret = if *kind == Kind::Otp {
                totp_secret.as_str()
            } else {
                ""
            };
            let factor = NewAuthenticator {
                user_id: &user.id,
                kind: *kind,
                secret,
                name: name.as_deref(),
                active: true,
            };
            let enrolled = enrol(&tenant, tx, &factor, now)?;
            if *kind == Kind::Otp {
                answer["totp_secret"] = json!(totp_secret);
            }
            recovery_codes.extend(enrolled.recovery_code);
        }
        if !recovery_codes.is_empty() {
            answer["recovery_codes"] = json!(recovery_codes);
        }
        let list = authenticators::list(tx, &user.id, false)?;
        answer["authenticators"] = json!(list.iter().map(|a| a.to_wire()).collect::<Vec<_>>());
        Ok(Json(answer))
    })
}

/// `factors: ["otp", "sms", "email", "push"]`, with `mfa_phone_number` for `sms`.
fn requested_factors(fields: &Fields) -> Result<Vec<(Kind, Option<String>)>, TenantError> {
    let bad = |reason: String| TenantError::bad_request(codes::INVALID_REQUEST, reason);
    let names: Vec<&str> = match fields.get("factors") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .ok_or_else(|| bad("factors must be an array of strings".into()))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(bad("factors must be an array of strings".into())),
    };
    let mut factors = Vec::new();
    for name in names {
        let factor = match name {
            "otp" => (Kind::Otp, None),
            "email" => (Kind::Email, None),
            "push" => (Kind::Push, None),
            "sms" => {
                let phone = string_field(fields, "mfa_phone_number")
                    .map_err(bad)?
                    .filter(|p| is_e164(p))
                    .ok_or_else(|| {
                        bad("the sms factor needs mfa_phone_number in E.164 format".into())
                    })?;
                (Kind::Sms, Some(phone.to_owned()))
            }
            other => {
                return Err(bad(format!(
                    "unknown factor {other:?}; use otp, sms, email or push"
                )))
            }
        };
        if factors.iter().any(|(k, _)| *k == factor.0) {
            return Err(bad(format!("factor {name:?} is listed twice")));
        }
        factors.push(factor);
    }
    Ok(factors)
}

/// `POST /dev/push/{message_id}/approve` or `/deny`: answer a push challenge as the user's phone.
pub async fn decide_push(
    State(tenant): State<Tenant>,
    Path((message_id, decision)): Path<(String, String)>,
) -> Result<Json<Value>, TenantError> {
    let approve = match decision.as_str() {
        "approve" => true,
        "deny" => false,
        _ => {
            return Err(TenantError::bad_request(
                codes::INVALID_REQUEST,
                "decide with /approve or /deny",
            ))
        }
    };
    let decided = tenant
        .store()
        .transaction(|tx| session::decide_push(tx, &message_id, approve))?;
    if !decided {
        return Err(TenantError::new(
            StatusCode::NOT_FOUND,
            codes::NOT_FOUND,
            "No pending push challenge for that message",
        ));
    }
    Ok(Json(
        json!({ "status": if approve { "approved" } else { "denied" } }),
    ))
}

/// A dev route's JSON body, or `invalid_request` saying what was `expected`.
fn dev_body<T>(body: Result<Json<T>, JsonRejection>, expected: &str) -> Result<T, TenantError> {
    body.map(|Json(value)| value).map_err(|e| {
        TenantError::bad_request(
            codes::INVALID_REQUEST,
            format!("expected {expected}: {}", e.body_text()),
        )
    })
}

/// `value` if it is one of `allowed`, or `invalid_request` naming `field` and the choices.
fn one_of(field: &str, value: &str, allowed: &[&str]) -> Result<(), TenantError> {
    if allowed.contains(&value) {
        return Ok(());
    }
    Err(TenantError::bad_request(
        codes::INVALID_REQUEST,
        format!("{field} must be one of {}", allowed.join(", ")),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyChange {
    policy: String,
}

/// `PUT /dev/mfa-policy {"policy": "always" | "when-enrolled"}`.
pub async fn set_mfa_policy(
    State(tenant): State<Tenant>,
    body: Result<Json<PolicyChange>, JsonRejection>,
) -> Result<Json<Value>, TenantError> {
    let change = dev_body(body, "{\"policy\": …}")?;
    let policy = MfaPolicy::parse(&change.policy).ok_or_else(|| {
        TenantError::bad_request(
            codes::INVALID_REQUEST,
            "policy must be \"always\" or \"when-enrolled\"",
        )
    })?;
    tenant
        .store()
        .transaction(|tx| mfa::set_policy(tx, policy))?;
    Ok(Json(json!({ "policy": policy.as_str() })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockAdvance {
    advance_seconds: Option<u64>,
    #[serde(default)]
    reset: bool,
}

/// `POST /dev/clock {"advance_seconds": N}`: move the tenant's clock forward;
/// `{"reset": true}`: back to the real time.
pub async fn advance_clock(
    State(tenant): State<Tenant>,
    body: Result<Json<ClockAdvance>, JsonRejection>,
) -> Result<Json<Value>, TenantError> {
    let change = dev_body(body, "{\"advance_seconds\": N} or {\"reset\": true}")?;
    match (change.advance_seconds, change.reset) {
        (Some(seconds), false) if seconds <= 10 * 365 * 86_400 => tenant.clock().advance(seconds),
        (None, true) => tenant.clock().reset(),
        _ => {
            return Err(TenantError::bad_request(
                codes::INVALID_REQUEST,
                "give advance_seconds (at most ten years) or reset: true",
            ))
        }
    }
    let now = tenant.now();
    Ok(Json(json!({ "now": now, "now_rfc3339": rfc3339(now) })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRequest {
    to: String,
    fault: String,
}

/// `POST /dev/id-token-faults {"to": IDENTIFIER, "fault": KIND}`: the next ID token for that
/// email or phone number is wrong in that way (`alg-none`, `hs256`, `tampered`, `expired`,
/// `wrong-audience`, `unknown-kid`).
pub async fn arm_id_token_fault(
    State(tenant): State<Tenant>,
    body: Result<Json<FaultRequest>, JsonRejection>,
) -> Result<Json<Value>, TenantError> {
    let request = dev_body(body, "{\"to\", \"fault\"}")?;
    one_of("fault", &request.fault, &faults::KINDS)?;
    let to = normalise_address(&request.to);
    tenant
        .store()
        .transaction(|tx| faults::arm(tx, &to, &request.fault))?;
    Ok(Json(json!({ "armed": request.fault, "to": to })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenAnswerFaultRequest {
    to: String,
    field: String,
    /// Any JSON value (`null` when absent).
    #[serde(default)]
    value: Value,
}

/// `POST /dev/token-answer-faults {"to": IDENTIFIER, "field": NAME, "value": JSON}`: the next
/// successful passwordless-OTP `/oauth/token` answer for that email or phone number has that
/// member (`access_token`, `id_token`, `refresh_token`, `scope`, `token_type`, `expires_in`)
/// replaced by `value`, so that a client can prove how it takes an answer of the wrong type.
pub async fn arm_token_answer_fault(
    State(tenant): State<Tenant>,
    body: Result<Json<TokenAnswerFaultRequest>, JsonRejection>,
) -> Result<Json<Value>, TenantError> {
    let request = dev_body(body, "{\"to\", \"field\", \"value\"}")?;
    one_of("field", &request.field, &faults::TOKEN_FIELDS)?;
    let to = normalise_address(&request.to);
    tenant
        .store()
        .transaction(|tx| faults::arm_token_field(tx, &to, &request.field, &request.value))?;
    Ok(Json(
        json!({ "field": request.field, "value": request.value, "to": to }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlowAnswerRequest {
    to: String,
    seconds: u64,
}

/// `POST /dev/slow-answers {"to": IDENTIFIER, "seconds": N}`: the next `/passwordless/start`
/// for that email or phone number answers after N seconds (1 to 30), so that a client can prove
/// its timeout.
pub async fn arm_slow_answer(
    State(tenant): State<Tenant>,
    body: Result<Json<SlowAnswerRequest>, JsonRejection>,
) -> Result<Json<Value>, TenantError> {
    let request = dev_body(body, "{\"to\", \"seconds\"}")?;
    if !(1..=faults::MAX_DELAY_SECONDS).contains(&request.seconds) {
        return Err(TenantError::bad_request(
            codes::INVALID_REQUEST,
            format!("seconds must be from 1 to {}", faults::MAX_DELAY_SECONDS),
        ));
    }
    let to = normalise_address(&request.to);
    tenant
        .store()
        .transaction(|tx| faults::arm_delay(tx, &to, request.seconds))?;
    Ok(Json(json!({ "seconds": request.seconds, "to": to })))
}
