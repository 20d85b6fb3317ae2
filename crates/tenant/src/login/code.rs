//! Checking a one-time code (the passwordless OTP grant without HTTP): brute-force
//! protection for the account and IP, the code's policy, then the first factor's end. The
//! check, its bookkeeping and the tokens are one transaction: a code works once.

use crate::brute_force;
use crate::codes::{self, Verdict};
use crate::config::Client;
use crate::connection::Connection;
use crate::failure::Failure;
use crate::mfa::{self, FirstFactor};
use crate::tenant::Tenant;
use crate::tokens::Grant;
use crate::users;

/// A code typed by a user, and what the tokens are to be for.
#[derive(Debug, Clone, Copy)]
pub struct CodeAttempt<'a> {
    pub connection: Connection,
    /// Normalised as the start normalised it.
    pub identifier: &'a str,
    pub code: &'a str,
    /// Already filtered by `tokens::granted_scope`.
    pub scope: &'a str,
    pub audience: Option<&'a str>,
}

/// What checking a code came to.
#[derive(Debug)]
pub enum CodeLogin {
    /// Too many failures for this account from this IP.
    Blocked,
    /// Wrong, expired or dead (never `Verdict::Accepted`).
    Refused(Verdict),
    Passed(FirstFactor),
}

/// Checks `attempt` from the IP `ip` for `client`.
pub fn check_code(
    tenant: &Tenant,
    client: &Client,
    attempt: &CodeAttempt<'_>,
    ip: &str,
) -> Result<CodeLogin, Failure> {
    let now = tenant.now();
    let new_id = tenant.new_user_id()?;
    let account = format!(
        "{ip}|{}|{}",
        attempt.connection.as_str(),
        attempt.identifier
    );
    tenant.store().transaction(|tx| {
        if brute_force::is_blocked(tx, &account, now)? {
            return Ok(CodeLogin::Blocked);
        }
        let verdict = codes::verify(
            tx,
            attempt.connection,
            attempt.identifier,
            attempt.code,
            tenant.config().codes,
            now,
        )?;
        if verdict != Verdict::Accepted {
            brute_force::record_failure(tx, &account, now)?;
            return Ok(CodeLogin::Refused(verdict));
        }
        brute_force::record_success(tx, &account)?;
        let user = users::prove(tx, attempt.connection, attempt.identifier, &new_id, now)?;
        let grant = Grant {
            client,
            user: &user,
            scope: attempt.scope,
            audience: attempt.audience,
            nonce: None,
            may_refresh: true,
        };
        Ok(CodeLogin::Passed(mfa::finish_first_factor(
            tenant, tx, &grant, now,
        )?))
    })
}
