//! Wire answers for outcomes that several endpoints share: the end of a first factor, a
//! refused `mfa_token`, a refused one-time code and the blocks.

use axum::http::StatusCode;
use passwordless_wire::codes;
use passwordless_wire::mfa::MfaRequired;
use passwordless_wire::TokenSet;
use serde_json::Value;

use crate::codes::Verdict;
use crate::error::TenantError;
use crate::mfa::session::TokenCheck;
use crate::mfa::FirstFactor;

/// The tokens, or the `mfa_required` answer with its `mfa_token` and `mfa_requirements`.
pub fn first_factor(end: FirstFactor) -> Result<TokenSet, TenantError> {
    match end {
        FirstFactor::Tokens(set) => Ok(set),
        FirstFactor::MfaRequired {
            mfa_token,
            requirements,
        } => {
            const DESCRIPTION: &str = "Multifactor authentication required";
            let body = MfaRequired {
                error: codes::MFA_REQUIRED.into(),
                error_description: DESCRIPTION.into(),
                mfa_token,
                mfa_requirements: requirements,
            };
            Err(match serde_json::to_value(body) {
                Ok(Value::Object(members)) => {
                    TenantError::new(StatusCode::FORBIDDEN, codes::MFA_REQUIRED, DESCRIPTION)
                        .with_extra(members)
                }
                _ => TenantError::internal("the mfa_required answer did not serialise"),
            })
        }
    }
}

/// Why an `mfa_token` is refused, with `status` (401 where it came as a Bearer token, 403
/// where it came in a form).
pub fn mfa_token_refused(check: TokenCheck, status: StatusCode) -> TenantError {
    match check {
        TokenCheck::Expired => {
            TenantError::new(status, codes::EXPIRED_TOKEN, "mfa_token is expired")
        }
        TokenCheck::Malformed | TokenCheck::Valid(_) => {
            TenantError::new(status, codes::INVALID_GRANT, "Malformed mfa_token")
        }
    }
}

/// A refused one-time code; `wrong` names the identifier (email or phone number).
pub fn code_refused(verdict: Verdict, wrong: &str) -> String {
    match verdict {
        Verdict::Expired => "The verification code has expired. Please try to login again.",
        Verdict::TooManyTries => {
            "You've reached the maximum number of attempts. Please try to login again."
        }
        Verdict::Wrong | Verdict::Accepted => wrong,
    }
    .to_owned()
}

/// Brute-force protection: this account is blocked from this IP.
pub fn account_blocked() -> TenantError {
    TenantError::new(
        StatusCode::TOO_MANY_REQUESTS,
        codes::TOO_MANY_ATTEMPTS,
        "Your account has been blocked after multiple consecutive login attempts.",
    )
}

/// The user's budget of failed MFA checks is spent.
pub fn too_many_failed_checks() -> TenantError {
    TenantError::new(
        StatusCode::TOO_MANY_REQUESTS,
        codes::TOO_MANY_ATTEMPTS,
        "Too many failed MFA attempts. Wait a few minutes and try again.",
    )
}
