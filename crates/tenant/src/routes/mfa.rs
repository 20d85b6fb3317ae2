//! `/mfa/*`: list, challenge, associate and remove second factors with an `mfa_token`:
//! read the request, call `mfa::{manage, challenge, associate}`, answer.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use passwordless_wire::codes;
use passwordless_wire::mfa::{
    AssociateRequest, Association as Enrolled, Authenticator as WireAuthenticator, Challenge,
    ChallengeRequest,
};

use super::answers;
use super::request::{self, read_as};
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
) -> Result<Json<Vec<WireAuthenticator>>, TenantError> {
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
) -> Result<Json<Challenge>, TenantError> {
    let fields = request::read_fields(&headers, &body)?;
    let client = request::authenticate(&tenant, &fields, || {
        TenantError::missing_parameter("client_id")
    })?
    .client;
    let request: ChallengeRequest = read_as(&fields)?;
    let types: Vec<&str> = request
        .challenge_type
        .as_deref()
        .unwrap_or("otp oob")
        .split_whitespace()
        .collect();
    if let Some(bad) = types.iter().find(|t| !["otp", "oob"].contains(t)) {
        return Err(TenantError::bad_request(
            codes::UNSUPPORTED_CHALLENGE_TYPE,
            format!("Unsupported challenge type: {bad}"),
        ));
    }
    let (token, wanted_id) = (&request.mfa_token, request.authenticator_id.as_deref());
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
        ChallengeOutcome::Otp => Ok(Json(Challenge {
            challenge_type: "otp".into(),
            oob_code: None,
            binding_method: None,
        })),
        ChallengeOutcome::Oob { oob_code, prompt } => Ok(Json(Challenge {
            challenge_type: "oob".into(),
            oob_code: Some(oob_code),
            binding_method: prompt.then(|| "prompt".into()),
        })),
    }
}

/// `POST /mfa/associate`.
pub async fn associate(
    State(tenant): State<Tenant>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Enrolled>, TenantError> {
    let fields = request::read_fields(&headers, &body)?;
    let request: AssociateRequest = read_as(&fields)?;
    let types: Vec<&str> = request
        .authenticator_types
        .iter()
        .map(String::as_str)
        .collect();
    let channel = request
        .oob_channels
        .as_ref()
        .and_then(|c| c.first())
        .map(String::as_str);
    let kind = match (types.as_slice(), channel) {
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
            let phone = request
                .phone_number
                .as_deref()
                .ok_or_else(|| TenantError::missing_parameter("phone_number"))?;
            if !is_e164(phone) {
                return Err(TenantError::bad_request(
                    codes::INVALID_REQUEST,
                    "phone_number must be in E.164 format, e.g. +14155550100",
                ));
            }
            Some(phone.to_owned())
        }
        Kind::Email => request
            .email
            .as_deref()
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
    let answer = match enrol_factor(&tenant, token, kind, name.as_deref())? {
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
        } => Enrolled {
            authenticator_type: "otp".into(),
            secret: Some(secret),
            barcode_uri: Some(barcode_uri),
            binding_method: None,
            oob_channel: None,
            oob_code: None,
            recovery_codes: recovery_code.map(|code| vec![code]),
        },
        Association::Oob {
            kind,
            oob_code,
            recovery_code,
        } => Enrolled {
            authenticator_type: "oob".into(),
            secret: None,
            barcode_uri: None,
            binding_method: Some("prompt".into()),
            oob_channel: Some(kind.as_str().into()),
            oob_code: Some(oob_code),
            recovery_codes: recovery_code.map(|code| vec![code]),
        },
    };
    Ok(Json(answer))
}
