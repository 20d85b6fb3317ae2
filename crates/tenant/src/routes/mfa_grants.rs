//! The MFA grants of `POST /oauth/token`: a TOTP code, an out-of-band code (SMS, email, push)
//! and a recovery code, each with the `mfa_token` of a login whose first factor passed.

use axum::http::StatusCode;
use passwordless_wire::fields::{string_field, Fields};
use passwordless_wire::{TokenSet, GRANT_MFA_OOB, GRANT_MFA_OTP};
use rusqlite::Transaction;

use super::required;
use crate::codes::constant_time_eq;
use crate::config::Client;
use crate::error::TenantError;
use crate::mfa::authenticators::{self, Authenticator, Kind};
use crate::mfa::session::{self, PendingLogin, Status};
use crate::mfa::{self, enrol, totp, PUSH_POLL_INTERVAL_SECS};
use crate::tokens::{self, digest, Grant};
use crate::{users, Tenant};

/// One MFA grant. Refusals are the inner error so that what they record (failed checks,
/// polls) is committed.
pub fn mfa_grant(
    tenant: &Tenant,
    client: &Client,
    grant_type: &str,
    fields: &Fields,
) -> Result<TokenSet, TenantError> {
    let token = required(fields, "mfa_token")?;
    let now = tenant.now();
    tenant.store().transaction(|tx| {
        let login = session::login(
            tx,
            token,
            Some(&client.client_id),
            now,
            StatusCode::FORBIDDEN,
        )?;
        if mfa::checks_exhausted(tx, &login.user_id, now)? {
            return Ok(Err(mfa::too_many_failed_checks()));
        }
        let passed = match grant_type {
            GRANT_MFA_OTP => otp(tx, &login, required(fields, "otp")?, now)?,
            GRANT_MFA_OOB => oob(tx, token, fields, now)?,
            _ => recovery_code(tenant, tx, &login, required(fields, "recovery_code")?)?,
        };
        let recovery_code = match passed {
            Ok(recovery_code) => recovery_code,
            Err(refusal) => {
                if refusal.wire.error == "invalid_grant" {
                    mfa::record_failed_check(tx, &login.user_id, now)?;
                }
                return Ok(Err(refusal));
            }
        };
        session::consume_token(tx, token)?;
        let user = users::by_id(tx, &login.user_id)?
            .ok_or_else(|| TenantError::internal("an mfa_token without its user"))?;
        let grant = Grant {
            client,
            user: &user,
            scope: &login.scope,
            audience: login.audience.as_deref(),
            nonce: login.nonce.as_deref(),
            may_refresh: true,
        };
        let mut set = tokens::issue(tenant, tx, &grant, now)?;
        set.recovery_code = recovery_code;
        Ok(Ok(set))
    })?
}

/// What a check answered: passed (with a new recovery code, for that grant) or refused.
type Check = Result<Option<String>, TenantError>;

fn otp(
    tx: &Transaction<'_>,
    login: &PendingLogin,
    code: &str,
    now: u64,
) -> Result<Check, TenantError> {
    let candidates = authenticators::list(tx, &login.user_id, false)?;
    for authenticator in candidates.iter().filter(|a| a.kind == Kind::Otp) {
        let Some(secret) = totp::base32_decode(&authenticator.secret) else {
            continue;
        };
        // A code is accepted once: its step must be newer than the last one accepted.
        if let Some(step) =
            totp::matching_step(&secret, code, now).filter(|s| *s > authenticator.last_step)
        {
            authenticators::set_last_step(tx, &authenticator.id, step)?;
            confirm(tx, authenticator)?;
            return Ok(Ok(None));
        }
    }
    Ok(Err(TenantError::invalid_grant("Invalid otp_code.")))
}

fn oob(tx: &Transaction<'_>, token: &str, fields: &Fields, now: u64) -> Result<Check, TenantError> {
    let oob_code = required(fields, "oob_code")?;
    let invalid = || TenantError::invalid_grant("Invalid oob_code.");
    let Some(challenge) = session::challenge(tx, oob_code)? else {
        return Ok(Err(invalid()));
    };
    if challenge.mfa_token_hash != digest(token) {
        return Ok(Err(invalid()));
    }
    if now >= challenge.expires_at {
        session::delete_challenge(tx, oob_code)?;
        return Ok(Err(TenantError::new(
            StatusCode::FORBIDDEN,
            "expired_token",
            "The oob_code has expired.",
        )));
    }
    let Some(authenticator) = authenticators::by_id(tx, &challenge.authenticator_id)? else {
        return Ok(Err(invalid()));
    };
    if let Some(expected) = &challenge.binding_code {
        let given = string_field(fields, "binding_code")
            .ok()
            .flatten()
            .unwrap_or("");
        if !constant_time_eq(expected.as_bytes(), given.as_bytes()) {
            return Ok(Err(TenantError::invalid_grant("Invalid binding_code.")));
        }
        session::delete_challenge(tx, oob_code)?;
        confirm(tx, &authenticator)?;
        return Ok(Ok(None));
    }
    match challenge.status {
        Status::Pending => {
            let too_soon =
                challenge.last_poll > 0 && now < challenge.last_poll + PUSH_POLL_INTERVAL_SECS;
            session::record_poll(tx, oob_code, now)?;
            Ok(Err(if too_soon {
                TenantError::bad_request("slow_down", format!("You are polling faster than allowed. Wait {PUSH_POLL_INTERVAL_SECS} seconds between requests."))
            } else {
                TenantError::bad_request(
                    "authorization_pending",
                    "Authorization pending: please repeat the request in a few seconds.",
                )
            }))
        }
        Status::Denied => {
            session::delete_challenge(tx, oob_code)?;
            Ok(Err(TenantError::invalid_grant(
                "MFA Authorization rejected.",
            )))
        }
        Status::Approved => {
            session::delete_challenge(tx, oob_code)?;
            Ok(Ok(None))
        }
    }
}

fn recovery_code(
    tenant: &Tenant,
    tx: &Transaction<'_>,
    login: &PendingLogin,
    code: &str,
) -> Result<Check, TenantError> {
    let kept = authenticators::list(tx, &login.user_id, true)?
        .into_iter()
        .find(|a| a.kind == Kind::RecoveryCode);
    let given = digest(code.trim().to_ascii_uppercase().as_str());
    match kept {
        Some(authenticator)
            if constant_time_eq(authenticator.secret.as_bytes(), given.as_bytes()) =>
        {
            let new_code = enrol::new_recovery_code(tenant)?;
            authenticators::replace_recovery_code(tx, &authenticator.id, &new_code)?;
            Ok(Ok(Some(new_code)))
        }
        _ => Ok(Err(TenantError::invalid_grant("Invalid recovery_code."))),
    }
}

/// A factor's first successful check confirms its enrolment.
fn confirm(tx: &Transaction<'_>, authenticator: &Authenticator) -> Result<(), TenantError> {
    if !authenticator.active {
        authenticators::activate(tx, authenticator)?;
    }
    Ok(())
}
