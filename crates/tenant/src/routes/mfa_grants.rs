//! The MFA grants of `POST /oauth/token`: read the proof, call `mfa::grants`, answer.

use axum::http::StatusCode;
use passwordless_wire::codes;
use passwordless_wire::fields::Fields;
use passwordless_wire::token::{MfaOobGrant, MfaOtpGrant, MfaRecoveryCodeGrant};
use passwordless_wire::{TokenSet, GRANT_MFA_OOB, GRANT_MFA_OTP};

use super::answers;
use super::request::read_as;
use crate::config::Client;
use crate::error::TenantError;
use crate::mfa::grants::{self, MfaGrant, Proof, Refusal};
use crate::mfa::PUSH_POLL_INTERVAL_SECS;
use crate::tenant::Tenant;

/// One MFA grant (`grant_type` is `mfa-otp`, `mfa-oob` or `mfa-recovery-code`).
pub fn mfa_grant(
    tenant: &Tenant,
    client: &Client,
    grant_type: &str,
    fields: &Fields,
) -> Result<TokenSet, TenantError> {
    // Each grant's body is read whole, so a missing proof is answered before the token is
    // looked at.
    let grant = |token, proof| grants::grant(tenant, client, token, proof);
    let outcome = match grant_type {
        GRANT_MFA_OTP => {
            let body: MfaOtpGrant = read_as(fields)?;
            grant(&body.mfa_token, Proof::Otp(&body.otp))
        }
        GRANT_MFA_OOB => {
            let body: MfaOobGrant = read_as(fields)?;
            let binding_code = body.binding_code.as_deref().unwrap_or("");
            grant(
                &body.mfa_token,
                Proof::Oob {
                    oob_code: &body.oob_code,
                    binding_code,
                },
            )
        }
        _ => {
            let body: MfaRecoveryCodeGrant = read_as(fields)?;
            grant(&body.mfa_token, Proof::RecoveryCode(&body.recovery_code))
        }
    };
    match outcome? {
        MfaGrant::Tokens(set) => Ok(set),
        MfaGrant::Token(check) => Err(answers::mfa_token_refused(check, StatusCode::FORBIDDEN)),
        MfaGrant::TooManyFailedChecks => Err(answers::too_many_failed_checks()),
        MfaGrant::Refused(refusal) => Err(refused(refusal)),
    }
}

fn refused(refusal: Refusal) -> TenantError {
    match refusal {
        Refusal::InvalidOtp => TenantError::invalid_grant("Invalid otp_code."),
        Refusal::InvalidOobCode => TenantError::invalid_grant("Invalid oob_code."),
        Refusal::OobCodeExpired => TenantError::new(
            StatusCode::FORBIDDEN,
            codes::EXPIRED_TOKEN,
            "The oob_code has expired.",
        ),
        Refusal::InvalidBindingCode => TenantError::invalid_grant("Invalid binding_code."),
        Refusal::SlowDown => TenantError::bad_request(
            codes::SLOW_DOWN,
            format!(
                "You are polling faster than allowed. Wait {PUSH_POLL_INTERVAL_SECS} seconds between requests."
            ),
        ),
        Refusal::Pending => TenantError::bad_request(
            codes::AUTHORIZATION_PENDING,
            "Authorization pending: please repeat the request in a few seconds.",
        ),
        Refusal::Rejected => TenantError::invalid_grant("MFA Authorization rejected."),
        Refusal::InvalidRecoveryCode => TenantError::invalid_grant("Invalid recovery_code."),
    }
}
