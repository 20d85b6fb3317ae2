//! Multi-factor authentication as Auth0 does it for embedded logins: after a correct first
//! factor, a user with an active factor (or everyone, under the "always" policy) gets
//! `mfa_required` with an `mfa_token` instead of tokens, and proves a second factor with it.

pub mod authenticators;
pub mod enrol;
pub mod session;
pub mod totp;

use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::{json, Map, Value};

use crate::error::TenantError;
use crate::tokens::{self, Grant};
use crate::{rate_limit, Tenant};
use passwordless_wire::TokenSet;

/// MFA one-time codes (SMS / email challenges) live this long.
pub const OOB_CODE_LIFETIME_SECS: u64 = 300;
/// The `mfa_token` lives this long.
pub const MFA_TOKEN_LIFETIME_SECS: u64 = 600;
/// Failed MFA checks draw from a bucket of this many, one back every 6 minutes.
pub const FAILED_CHECKS_BUCKET: u32 = 10;
/// Seconds a push poller must wait between polls.
pub const PUSH_POLL_INTERVAL_SECS: u64 = 5;

/// When a correct first factor is not enough.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MfaPolicy {
    /// Only users with an active factor are asked for it.
    WhenEnrolled,
    /// Users without a factor must enrol one.
    Always,
}

impl MfaPolicy {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "when-enrolled" => Some(MfaPolicy::WhenEnrolled),
            "always" => Some(MfaPolicy::Always),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MfaPolicy::WhenEnrolled => "when-enrolled",
            MfaPolicy::Always => "always",
        }
    }
}

/// The policy in force: a dev override kept in the store, else the configured one.
pub fn policy(tx: &Transaction<'_>, configured: MfaPolicy) -> Result<MfaPolicy, TenantError> {
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

pub fn set_policy(tx: &Transaction<'_>, policy: MfaPolicy) -> Result<(), TenantError> {
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
) -> Result<Option<Value>, TenantError> {
    let active = authenticators::list(tx, user_id, true)?;
    if !active.is_empty() {
        let mut types: Vec<&str> = Vec::new();
        for authenticator in &active {
            let name = authenticator.kind.requirement_name();
            if !types.contains(&name) {
                types.push(name);
            }
        }
        let challenge: Vec<Value> = types.iter().map(|t| json!({ "type": t })).collect();
        return Ok(Some(json!({ "challenge": challenge })));
    }
    Ok((policy == MfaPolicy::Always).then(
        || json!({ "enroll": [{ "type": "otp" }, { "type": "phone" }, { "type": "email" }] }),
    ))
}

/// The `mfa_required` answer.
pub fn required_error(mfa_token: &str, requirements: Value) -> TenantError {
    let mut extra = Map::new();
    extra.insert("mfa_token".into(), json!(mfa_token));
    extra.insert("mfa_requirements".into(), requirements);
    TenantError::new(
        axum::http::StatusCode::FORBIDDEN,
        "mfa_required",
        "Multifactor authentication required",
    )
    .with_extra(extra)
}

fn bucket_key(user_id: &str) -> String {
    format!("mfa:{user_id}")
}

/// Whether the user's budget of failed MFA checks is spent.
pub fn checks_exhausted(
    tx: &Transaction<'_>,
    user_id: &str,
    now: u64,
) -> Result<bool, TenantError> {
    Ok(rate_limit::remaining(tx, &bucket_key(user_id), FAILED_CHECKS_BUCKET, now)? == 0)
}

/// Records one failed MFA check.
pub fn record_failed_check(
    tx: &Transaction<'_>,
    user_id: &str,
    now: u64,
) -> Result<(), TenantError> {
    rate_limit::check(tx, &bucket_key(user_id), FAILED_CHECKS_BUCKET, now).map(|_| ())
}

pub fn too_many_failed_checks() -> TenantError {
    TenantError::new(
        axum::http::StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
        "Too many failed MFA attempts. Wait a few minutes and try again.",
    )
}

/// Ends a correct first factor: the tokens, or `mfa_required` with a new `mfa_token` (as the
/// inner error, so that the caller's transaction still commits what the first factor used up).
pub fn finish_first_factor(
    tenant: &Tenant,
    tx: &Transaction<'_>,
    grant: &Grant<'_>,
    now: u64,
) -> Result<Result<TokenSet, TenantError>, TenantError> {
    let policy = policy(tx, tenant.config().mfa_policy)?;
    let Some(requirements) = requirements(tx, &grant.user.id, policy)? else {
        return Ok(Ok(tokens::issue(tenant, tx, grant, now)?));
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
    Ok(Err(required_error(&token, requirements)))
}
