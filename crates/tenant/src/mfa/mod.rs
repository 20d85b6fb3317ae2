//! Multi-factor authentication as Auth0 does it for embedded logins: after a correct first
//! factor, a user with an active factor (or everyone, under the "always" policy) gets
//! `mfa_required` with an `mfa_token` instead of tokens, and proves a second factor with it.
//! This module holds the policy and the end of a first factor; the submodules the factors,
//! the `mfa_token` sessions and what each MFA endpoint does.

pub mod associate;
pub mod authenticators;
pub mod challenge;
pub mod enrol;
pub mod grants;
pub mod manage;
pub mod session;
pub mod totp;

use passwordless_wire::mfa::{FactorType, MfaRequirements};
use passwordless_wire::TokenSet;
use rusqlite::{params, OptionalExtension, Transaction};

use crate::failure::Failure;
pub use crate::policies::MfaPolicy;
use crate::rate_limit;
use crate::tenant::Tenant;
use crate::tokens::{self, Grant};

/// MFA one-time codes (SMS / email challenges) live this long.
pub const OOB_CODE_LIFETIME_SECS: u64 = 300;
/// The `mfa_token` lives this long.
pub const MFA_TOKEN_LIFETIME_SECS: u64 = 600;
/// Failed MFA checks draw from a bucket of this many, one back every 6 minutes.
pub const FAILED_CHECKS_BUCKET: u32 = 10;
/// Seconds a push poller must wait between polls.
pub const PUSH_POLL_INTERVAL_SECS: u64 = 5;

/// The policy in force: a dev override kept in the store, else the configured one.
pub fn policy(tx: &Transaction<'_>, configured: MfaPolicy) -> Result<MfaPolicy, Failure> {
    let kept: Option<String> = tx
        .query_row(
            "SELECT value FROM settings WHERE key = 'mfa_policy'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(kept
        .as_deref()
        .and_then(MfaPolicy::parse)
        .unwrap_or(configured))
}

pub fn set_policy(tx: &Transaction<'_>, policy: MfaPolicy) -> Result<(), Failure> {
    tx.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES ('mfa_policy', ?1)",
        params![policy.as_str()],
    )?;
    Ok(())
}

/// `mfa_requirements` for `user_id`, or `None` when one factor is enough.
pub fn requirements(
    tx: &Transaction<'_>,
    user_id: &str,
    policy: MfaPolicy,
) -> Result<Option<MfaRequirements>, Failure> {
    let active = authenticators::list(tx, user_id, true)?;
    if !active.is_empty() {
        let mut types: Vec<&str> = Vec::new();
        for authenticator in &active {
            let name = authenticator.kind.requirement_name();
            if !types.contains(&name) {
                types.push(name);
            }
        }
        return Ok(Some(MfaRequirements {
            challenge: Some(factor_types(&types)),
            enroll: None,
        }));
    }
    Ok((policy == MfaPolicy::Always).then(|| MfaRequirements {
        challenge: None,
        enroll: Some(factor_types(&["otp", "phone", "email"])),
    }))
}

fn factor_types(names: &[&str]) -> Vec<FactorType> {
    names
        .iter()
        .map(|name| FactorType {
            type_: (*name).to_owned(),
        })
        .collect()
}

fn bucket_key(user_id: &str) -> String {
    format!("mfa:{user_id}")
}

/// Whether the user's budget of failed MFA checks is spent.
pub fn checks_exhausted(tx: &Transaction<'_>, user_id: &str, now: u64) -> Result<bool, Failure> {
    Ok(rate_limit::remaining(tx, &bucket_key(user_id), FAILED_CHECKS_BUCKET, now)? == 0)
}

/// Records one failed MFA check.
pub fn record_failed_check(tx: &Transaction<'_>, user_id: &str, now: u64) -> Result<(), Failure> {
    rate_limit::check(tx, &bucket_key(user_id), FAILED_CHECKS_BUCKET, now).map(|_| ())
}

/// How a correct first factor ends.
#[derive(Debug)]
pub enum FirstFactor {
    Tokens(TokenSet),
    /// A second factor is needed: prove it with `mfa_token`.
    MfaRequired {
        mfa_token: String,
        requirements: MfaRequirements,
    },
}

/// Ends a correct first factor: the tokens, or a new `mfa_token` and what it must prove.
pub fn finish_first_factor(
    tenant: &Tenant,
    tx: &Transaction<'_>,
    grant: &Grant<'_>,
    now: u64,
) -> Result<FirstFactor, Failure> {
    let policy = policy(tx, tenant.config().mfa_policy)?;
    let Some(requirements) = requirements(tx, &grant.user.id, policy)? else {
        return Ok(FirstFactor::Tokens(tokens::issue(tenant, tx, grant, now)?));
    };
    let token = tenant.random_token(32)?;
    let login = session::PendingLogin {
        user_id: grant.user.id.clone(),
        client_id: grant.client.client_id.clone(),
        scope: grant.scope.to_owned(),
        audience: grant.audience.map(str::to_owned),
        nonce: grant.nonce.map(str::to_owned),
    };
    session::create_token(tx, &token, &login, now + MFA_TOKEN_LIFETIME_SECS)?;
    Ok(FirstFactor::MfaRequired {
        mfa_token: token,
        requirements,
    })
}
