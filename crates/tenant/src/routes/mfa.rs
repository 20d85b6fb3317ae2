//! `/mfa/*`: list, challenge, associate and remove second factors with an `mfa_token`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use passwordless_wire::{Channel, InboxMessage, MessageKind};
use rand::Rng;
use rusqlite::Transaction;
use serde_json::{json, Value};

use super::{optional, required};
use crate::clock::rfc3339;
use crate::error::TenantError;
use crate::identifiers::{is_e164, normalise_email};
use crate::mfa::authenticators::{self, Authenticator, Kind, NewAuthenticator};
use crate::mfa::enrol::{barcode_uri, enrol, new_totp_secret};
use crate::mfa::session::{self, PendingLogin};
use crate::mfa::OOB_CODE_LIFETIME_SECS;
use crate::{inbox, users, Tenant};

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
                "unauthorized",
                "Send the mfa_token as Authorization: Bearer MFA_TOKEN",
            )
        })
}

fn bearer_login(
    tenant: &Tenant,
    tx: &Transaction<'_>,
    headers: &HeaderMap,
) -> Result<PendingLogin, TenantError> {
    session::login(
        tx,
        bearer(headers)?,
        None,
        tenant.now(),
        StatusCode::UNAUTHORIZED,
    )
}

/// `GET /mfa/authenticators`.
pub async fn list(
    State(tenant): State<Tenant>,
    headers: HeaderMap,
) -> Result<Json<Vec<Value>>, TenantError> {
    let list = tenant.store().transaction(|tx| {
        let login = bearer_login(&tenant, tx, &headers)?;
        authenticators::list(tx, &login.user_id, false)
    })?;
    Ok(Json(list.iter().map(Authenticator::to_wire).collect()))
}

/// `DELETE /mfa/authenticators/{id}`.
pub async fn delete(
    State(tenant): State<Tenant>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, TenantError> {
    tenant.store().transaction(|tx| {
        let login = bearer_login(&tenant, tx, &headers)?;
        match authenticators::by_id(tx, &id)? {
            Some(found) if found.user_id == login.user_id => {
                authenticators::delete(tx, &found)?;
                Ok(StatusCode::NO_CONTENT)
            }
            _ => Err(TenantError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "Authenticator not found",
            )),
        }
    })
}

/// `POST /mfa/challenge`.
pub async fn challenge(
    State(tenant): State<Tenant>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, TenantError> {
    let fields = super::read_fields(&headers, &body)?;
    let client = super::authenticate(&tenant, &fields, || {
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
            "unsupported_challenge_type",
            format!("Unsupported challenge type: {bad}"),
        ));
    }
    let wanted_id = optional(&fields, "authenticator_id")?;
    let now = tenant.now();
    tenant.store().transaction(|tx| {
        let login = session::login(
            tx,
            token,
            Some(&client.client_id),
            now,
            StatusCode::FORBIDDEN,
        )?;
        let active: Vec<Authenticator> = authenticators::list(tx, &login.user_id, true)?
            .into_iter()
            .filter(|a| a.kind != Kind::RecoveryCode)
            .collect();
        if active.is_empty() {
            return Err(TenantError::new(
                StatusCode::FORBIDDEN,
                "association_required",
                "User does not have any active authenticators. Enrol one with /mfa/associate.",
            ));
        }
        let chosen = active
            .iter()
            .filter(|a| wanted_id.is_none_or(|id| a.id == id))
            .find(|a| types.contains(&a.kind.challenge_type()))
            .ok_or_else(|| {
                TenantError::bad_request(
                    "unsupported_challenge_type",
                    format!(
                        "User does not have an active authenticator for challenge type {}",
                        types.join(" ")
                    ),
                )
            })?;
        if chosen.kind == Kind::Otp {
            return Ok(Json(json!({ "challenge_type": "otp" })));
        }
        let oob_code = send_oob(&tenant, tx, token, chosen, now)?;
        let mut answer = json!({ "challenge_type": "oob", "oob_code": oob_code });
        if chosen.kind != Kind::Push {
            answer["binding_method"] = json!("prompt");
        }
        Ok(Json(answer))
    })
}

/// Sends the out-of-band message for `authenticator` (a code by SMS or email, or a push) and
/// records the challenge; answers its `oob_code`.
fn send_oob(
    tenant: &Tenant,
    tx: &Transaction<'_>,
    mfa_token: &str,
    authenticator: &Authenticator,
    now: u64,
) -> Result<String, TenantError> {
    let oob_code = format!("Fe26.{}", tenant.random_token(24)?);
    let (binding_code, message_id) = {
        let mut rng = tenant.rng()?;
        (
            format!("{:06}", rng.gen_range(0..1_000_000)),
            format!("msg_{:016x}", rng.gen::<u64>()),
        )
    };
    let user = users::by_id(tx, &authenticator.user_id)?
        .ok_or_else(|| TenantError::internal("an authenticator without its user"))?;
    let (channel, kind, to, code, subject, body) = match authenticator.kind {
        Kind::Push => (
            Channel::Push,
            MessageKind::Push,
            user.identifier.clone(),
            None,
            "Approve sign-in?".to_owned(),
            format!(
                "Someone is signing in as {}. Approve or deny it.",
                user.identifier
            ),
        ),
        kind => (
            if kind == Kind::Sms {
                Channel::Sms
            } else {
                Channel::Email
            },
            MessageKind::Code,
            authenticator
                .name
                .clone()
                .unwrap_or_else(|| user.identifier.clone()),
            Some(binding_code.clone()),
            "Your verification code".to_owned(),
            format!("Your verification code is {binding_code}. It expires in 5 minutes."),
        ),
    };
    inbox::deliver(
        tx,
        &InboxMessage {
            id: message_id.clone(),
            channel,
            to,
            kind,
            code,
            link: None,
            created_at: rfc3339(now),
            language: "en".into(),
            subject,
            body,
        },
        now,
    )?;
    let binding = (authenticator.kind != Kind::Push).then_some(binding_code.as_str());
    session::create_challenge(
        tx,
        &oob_code,
        mfa_token,
        &authenticator.id,
        binding,
        &message_id,
        now + OOB_CODE_LIFETIME_SECS,
    )?;
    Ok(oob_code)
}

/// `POST /mfa/associate`.
pub async fn associate(
    State(tenant): State<Tenant>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, TenantError> {
    let fields = super::read_fields(&headers, &body)?;
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
                "invalid_request",
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
                    "invalid_request",
                    "phone_number must be in E.164 format, e.g. +14155550100",
                ));
            }
            Some(phone.to_owned())
        }
        Kind::Email => optional(&fields, "email")?
            .map(|e| {
                normalise_email(e).ok_or_else(|| {
                    TenantError::bad_request("invalid_request", "email is not an email address")
                })
            })
            .transpose()?,
        _ => None,
    };
    let token = bearer(&headers)?.to_owned();
    let now = tenant.now();
    let secret = if kind == Kind::Otp {
        new_totp_secret(&tenant)?
    } else {
        String::new()
    };
    tenant.store().transaction(|tx| {
        let login = session::login(tx, &token, None, now, StatusCode::UNAUTHORIZED)?;
        let existing = authenticators::list(tx, &login.user_id, false)?;
        if existing
            .iter()
            .any(|a| a.active && a.kind != Kind::RecoveryCode)
        {
            return Err(TenantError::new(
                StatusCode::FORBIDDEN,
                "access_denied",
                "User is already enrolled.",
            ));
        }
        // A new enrolment replaces an unconfirmed one of the same kind.
        for stale in existing.iter().filter(|a| !a.active && a.kind == kind) {
            authenticators::delete(tx, stale)?;
        }
        let user = users::by_id(tx, &login.user_id)?
            .ok_or_else(|| TenantError::internal("an mfa_token without its user"))?;
        let name = name
            .clone()
            .or_else(|| (kind == Kind::Email).then(|| user.identifier.clone()));
        let factor = NewAuthenticator {
            user_id: &login.user_id,
            kind,
            secret: &secret,
            name: name.as_deref(),
            active: false,
        };
        let enrolled = enrol(&tenant, tx, &factor, now)?;
        let mut answer = if kind == Kind::Otp {
            json!({
                "authenticator_type": "otp",
                "secret": secret,
                "barcode_uri": barcode_uri(&tenant.config().issuer_base, &user.identifier, &secret),
            })
        } else {
            let oob_code = send_oob(&tenant, tx, &token, &enrolled.authenticator, now)?;
            json!({
                "authenticator_type": "oob",
                "binding_method": "prompt",
                "oob_channel": kind.as_str(),
                "oob_code": oob_code,
            })
        };
        if let Some(code) = enrolled.recovery_code {
            answer["recovery_codes"] = json!([code]);
        }
        Ok(Json(answer))
    })
}
