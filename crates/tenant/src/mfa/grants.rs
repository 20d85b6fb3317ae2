//! The MFA grants without HTTP: a TOTP code, an out-of-band code (SMS, email, push) or a
//! recovery code, each with the `mfa_token` of a login whose first factor passed. Refusals
//! are outcomes, so that what they record (failed checks, polls) is committed.

use passwordless_wire::TokenSet;
use rusqlite::Transaction;

use super::authenticators::{self, Authenticator, Kind};
use super::session::{self, PendingLogin, Status, TokenCheck};
use super::{enrol, totp, PUSH_POLL_INTERVAL_SECS};
use crate::config::Client;
use crate::failure::Failure;
use crate::hashing::{constant_time_eq, digest};
use crate::tenant::Tenant;
use crate::tokens::{self, Grant};
use crate::users;

/// What the second factor offers (`binding_code` is empty when the request had none).
#[derive(Debug, Clone, Copy)]
pub enum Proof<'a> {
    Otp(&'a str),
    Oob {
        oob_code: &'a str,
        binding_code: &'a str,
    },
    RecoveryCode(&'a str),
}

/// Why a second factor did not pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    InvalidOtp,
    InvalidOobCode,
    OobCodeExpired,
    InvalidBindingCode,
    /// The push is not answered yet.
    Pending,
    /// The push is polled faster than allowed.
    SlowDown,
    /// The push was denied.
    Rejected,
    InvalidRecoveryCode,
}

impl Refusal {
    /// Whether it draws from the budget of failed checks (a wrong answer, not a wait).
    pub fn is_failed_check(self) -> bool {
        !matches!(
            self,
            Refusal::OobCodeExpired | Refusal::Pending | Refusal::SlowDown
        )
    }
}

/// What an MFA grant came to.
#[derive(Debug)]
pub enum MfaGrant {
    Token(TokenCheck),
    TooManyFailedChecks,
    Refused(Refusal),
    /// The tokens, with the new recovery code after a recovery-code grant.
    Tokens(TokenSet),
}

/// Checks `proof` for the login of `mfa_token` and, when it passes, uses the token up and
/// mints the tokens the first factor asked for.
pub fn grant(
    tenant: &Tenant,
    client: &Client,
    mfa_token: &str,
    proof: Proof<'_>,
) -> Result<MfaGrant, Failure> {
    let now = tenant.now();
    tenant.store().transaction(|tx| {
        let login = match session::login(tx, mfa_token, Some(&client.client_id), now)? {
            TokenCheck::Valid(login) => login,
            refused => return Ok(MfaGrant::Token(refused)),
        };
        if super::checks_exhausted(tx, &login.user_id, now)? {
            return Ok(MfaGrant::TooManyFailedChecks);
        }
        let checked = match proof {
            Proof::Otp(code) => otp(tx, &login, code, now)?,
            Proof::Oob {
                oob_code,
                binding_code,
            } => oob(tx, mfa_token, oob_code, binding_code, now)?,
            Proof::RecoveryCode(code) => recovery_code(tenant, tx, &login, code)?,
        };
        let recovery_code = match checked {
            Ok(recovery_code) => recovery_code,
            Err(refusal) => {
                if refusal.is_failed_check() {
                    super::record_failed_check(tx, &login.user_id, now)?;
                }
                return Ok(MfaGrant::Refused(refusal));
            }
        };
        session::consume_token(tx, mfa_token)?;
        let user = users::by_id(tx, &login.user_id)?
            .ok_or_else(|| Failure::new("an mfa_token without its user"))?;
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
        Ok(MfaGrant::Tokens(set))
    })
}

/// Passed (with a new recovery code, for that grant) or refused.
type Check = Result<Option<String>, Refusal>;

fn otp(tx: &Transaction<'_>, login: &PendingLogin, code: &str, now: u64) -> Result<Check, Failure> {
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
    Ok(Err(Refusal::InvalidOtp))
}

fn oob(
    tx: &Transaction<'_>,
    mfa_token: &str,
    oob_code: &str,
    binding_code: &str,
    now: u64,
) -> Result<Check, Failure> {
    let Some(challenge) = session::challenge(tx, oob_code)? else {
        return Ok(Err(Refusal::InvalidOobCode));
    };
    if challenge.mfa_token_hash != digest(mfa_token) {
        return Ok(Err(Refusal::InvalidOobCode));
    }
    if now >= challenge.expires_at {
        session::delete_challenge(tx, oob_code)?;
        return Ok(Err(Refusal::OobCodeExpired));
    }
    let Some(authenticator) = authenticators::by_id(tx, &challenge.authenticator_id)? else {
        return Ok(Err(Refusal::InvalidOobCode));
    };
    if let Some(expected) = &challenge.binding_code {
        if !constant_time_eq(expected.as_bytes(), binding_code.as_bytes()) {
            return Ok(Err(Refusal::InvalidBindingCode));
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
                Refusal::SlowDown
            } else {
                Refusal::Pending
            }))
        }
        Status::Denied => {
            session::delete_challenge(tx, oob_code)?;
            Ok(Err(Refusal::Rejected))
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
) -> Result<Check, Failure> {
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
        _ => Ok(Err(Refusal::InvalidRecoveryCode)),
    }
}

/// A factor's first successful check confirms its enrolment.
fn confirm(tx: &Transaction<'_>, authenticator: &Authenticator) -> Result<(), Failure> {
    if !authenticator.active {
        authenticators::activate(tx, authenticator)?;
    }
    Ok(())
}
