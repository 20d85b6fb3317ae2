//! `/mfa/*`: list, challenge, associate and remove second factors with an `mfa_token`:
//! read the request, call `mfa::{manage, challenge, associate}`, answer.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use passwordless_wire::codes;
use serde_json::{json, Value};

use super::answers;
use super::request::{self, optional, required};
use crate::error::TenantError;
use crate::identifiers::{is_e164, normalise_email};
use crate::mfa::associate::{associate as enrol_factor, Association};
use crate::mfa::authenticators::{Authenticator, Kind};
use crate::mfa::challenge::{challenge as challenge_factor, ChallengeOutcome};
use crate::mfa::manage::{self, WithToken};
use crate::tenant::Tenant;

/// The `mfa_token` of an `Authorization: Bearer` header.
fn bearer(headers: &HeaderMap) -> Result<&str, TenantError> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            TenantError::new(
                StatusCode::UNAUTHORIZED,
                codes::UNAUTHORIZED,
                "Send the mfa_token as Authorization: Bearer MFA_TOKEN",
            )
        })
}

/// A refused Bearer `mfa_token`: 401.
fn bearer_refused(check: crate::mfa::session::TokenCheck) -> TenantError {
    answers::mfa_token_refused(check, StatusCode::UNAUTHORIZED)
}

/// `GET /mfa/authenticators`.
pub async fn list(
    State(tenant): State<Tenant>,
    headers: HeaderMap,
) -> Result<Json<Vec<Value>>, TenantError> {
    let token = bearer(&headers)?;
    match manage::list(&tenant, token)? {
        WithToken::Done(list) => Ok(Json(list.iter().map(Authenticator::to_wire).collect())),
        WithToken::Token(check) => Err(bearer_refused(check)),
    }
}

/// `DELETE /mfa/authenticators/{id}`.
pub async fn delete(
    State(tenant): State<Tenant>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, TenantError> {
    let token = bearer(&headers)?;
    match manage::remove(&tenant, token, &id)? {
        WithToken::Done(true) => Ok(StatusCode::NO_CONTENT),
        WithToken::Done(false) => Err(TenantError::new(
            StatusCode::NOT_FOUND,
            codes::NOT_FOUND,
            "Authenticator not found",
        )),
        WithToken::Token(check) => Err(bearer_refused(check)),
    }
}

/// `POST /mfa/challenge`.
pub async fn challenge(
    State(tenant): State<Tenant>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, TenantError> {
    let fields = request::read_fields(&headers, &body)?;
    let client = request::authenticate(&tenant, &fields, || {
        TenantError::missing_parameter("client_id")
    })?
    .client;
    let token = required(&fields, "mfa_token")?;
    let types: Vec<&str> = optional(&fields, "challenge_type")?
        .unwrap_or("otp oob")
        .split_whitespace()
        .collect();
    if let Some(bad) = types.iter().find(|t| !["otp", "oob"].contains(t)) {
        return Err(TenantError::bad_request(
            codes::UNSUPPORTED_CHALLENGE_TYPE,
            format!("Unsupported challenge type: {bad}"),
        ));
    }
    let wanted_id = optional(&fields, "authenticator_id")?;
    match challenge_factor(&tenant, token, &client.client_id, &types, wanted_id)? {
        ChallengeOutcome::Token(check) => {
            Err(answers::mfa_token_refused(check, StatusCode::FORBIDDEN))
        }
        ChallengeOutcome::AssociationRequired => Err(TenantError::new(
            StatusCode::FORBIDDEN,
            codes::ASSOCIATION_REQUIRED,
            "User does not have any active authenticators. Enrol one with /mfa/associate.",
        )),
        ChallengeOutcome::NoMatchingFactor => Err(TenantError::bad_request(
            codes::UNSUPPORTED_CHALLENGE_TYPE,
            format!(
                "User does not have an active authenticator for challenge type {}",
                types.join(" ")
            ),
        )),
        ChallengeOutcome::Otp => Ok(Json(json!({ "challenge_type": "otp" }))),
        ChallengeOutcome::Oob { oob_code, prompt } => {
            let mut answer = json!({ "challenge_type": "oob", "oob_code": oob_code });
            if prompt {
                answer["binding_method"] = json!("prompt");
            }
            Ok(Json(answer))
        }
    }
}

/// `POST /mfa/associate`.
pub async fn associate(
    State(tenant): State<Tenant>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, TenantError> {
    let fields = request::read_fields(&headers, &body)?;
    let list = |name: &str| -> Vec<String> {
        match fields.get(name) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_owned))
                .collect(),
            Some(Value::String(one)) => vec![one.clone()],
            _ => Vec::new(),
        }
    };
    let types = list("authenticator_types");
    let channels = list("oob_channels");
    let kind = match (types.iter().map(String::as_str).collect::<Vec<_>>().as_slice(), channels.first().map(String::as_str)) {
        (["otp"], _) => Kind::Otp,
        (["oob"], Some("sms")) => Kind::Sms,
        (["oob"], Some("email")) => Kind::Email,
        _ => {
            return Err(TenantError::bad_request(
                codes::INVALID_REQUEST,
                "authenticator_types must be [\"otp\"], or [\"oob\"] with oob_channels [\"sms\"] or [\"email\"]",
            ))
        }
    };
    let name = match kind {
        Kind::Sms => {
            let phone = optional(&fields, "phone_number")?
                .ok_or_else(|| TenantError::missing_parameter("phone_number"))?;
            if !is_e164(phone) {
                return Err(TenantError::bad_request(
                    codes::INVALID_REQUEST,
                    "phone_number must be in E.164 format, e.g. +14155550100",
                ));
            }
            Some(phone.to_owned())
        }
        Kind::Email => optional(&fields, "email")?
            .map(|e| {
                normalise_email(e).ok_or_else(|| {
                    TenantError::bad_request(
                        codes::INVALID_REQUEST,
                        "email is not an email address",
                    )
                })
            })
            .transpose()?,
        _ => None,
    };
    let token = bearer(&headers)?;
    let (mut answer, recovery_code) = match enrol_factor(&tenant, token, kind, name.as_deref())? {
        Association::Token(check) => return Err(bearer_refused(check)),
        Association::AlreadyEnrolled => {
            return Err(TenantError::new(
                StatusCode::FORBIDDEN,
                codes::ACCESS_DENIED,
                "User is already enrolled.",
            ))
        }
        Association::Otp {
            secret,
            barcode_uri,
            recovery_code,
        } => (
            json!({
                "authenticator_type": "otp",
                "secret": secret,
                "barcode_uri": barcode_uri,
            }),
            recovery_code,
        ),
        Association::Oob {
            kind,
            oob_code,
            recovery_code,
        } => (
            json!({
                "authenticator_type": "oob",
                "binding_method": "prompt",
                "oob_channel": kind.as_str(),
                "oob_code": oob_code,
            }),
            recovery_code,
        ),
    };
    if let Some(code) = recovery_code {
        answer["recovery_codes"] = json!([code]);
    }
    Ok(Json(answer))
}
