//! The state of one MFA login: its `mfa_token` (10 minutes, bound to the user, the client and
//! the first factor's grant) and the out-of-band challenges sent under it.

use rusqlite::{params, OptionalExtension, Transaction};

use crate::failure::Failure;
use crate::hashing::digest;

/// What the first factor was asked for, to be granted once the second factor passes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingLogin {
    pub user_id: String,
    pub client_id: String,
    pub scope: String,
    pub audience: Option<String>,
    pub nonce: Option<String>,
}

pub fn create_token(
    tx: &Transaction<'_>,
    token: &str,
    login: &PendingLogin,
    expires_at: u64,
) -> Result<(), Failure> {
    tx.execute(
        "INSERT INTO mfa_tokens (token_hash, user_id, client_id, scope, audience, nonce, expires_at, used)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)",
        params![digest(token), login.user_id, login.client_id, login.scope, login.audience, login.nonce, expires_at],
    )?;
    Ok(())
}

/// What an `mfa_token` turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenCheck {
    Valid(PendingLogin),
    /// Unknown, used up, or another client's.
    Malformed,
    Expired,
}

/// The login an `mfa_token` stands for, if it is usable. `client_id` is checked when the
/// caller authenticated a client.
pub fn login(
    tx: &Transaction<'_>,
    token: &str,
    client_id: Option<&str>,
    now: u64,
) -> Result<TokenCheck, Failure> {
    let found: Option<(PendingLogin, u64, bool)> = tx
        .query_row(
            "SELECT user_id, client_id, scope, audience, nonce, expires_at, used FROM mfa_tokens
             WHERE token_hash = ?1",
            params![digest(token)],
            |r| {
                Ok((
                    PendingLogin {
                        user_id: r.get(0)?,
                        client_id: r.get(1)?,
                        scope: r.get(2)?,
                        audience: r.get(3)?,
                        nonce: r.get(4)?,
                    },
                    r.get(5)?,
                    r.get(6)?,
                ))
            },
        )
        .optional()?;
    let Some((login, expires_at, used)) = found else {
        return Ok(TokenCheck::Malformed);
    };
    if used || client_id.is_some_and(|c| c != login.client_id) {
        return Ok(TokenCheck::Malformed);
    }
    if now >= expires_at {
        return Ok(TokenCheck::Expired);
    }
    Ok(TokenCheck::Valid(login))
}

/// Uses up the token once the second factor passed.
pub fn consume_token(tx: &Transaction<'_>, token: &str) -> Result<(), Failure> {
    tx.execute(
        "UPDATE mfa_tokens SET used = 1 WHERE token_hash = ?1",
        params![digest(token)],
    )?;
    Ok(())
}

/// Where an out-of-band challenge stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pending,
    Approved,
    Denied,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Approved => "approved",
            Status::Denied => "denied",
        }
    }

    fn parse(text: &str) -> Self {
        match text {
            "approved" => Status::Approved,
            "denied" => Status::Denied,
            _ => Status::Pending,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Challenge {
    pub mfa_token_hash: String,
    pub authenticator_id: String,
    /// The code sent by SMS or email that the user types back (`binding_method: prompt`).
    pub binding_code: Option<String>,
    pub status: Status,
    pub expires_at: u64,
    pub last_poll: u64,
}

pub fn create_challenge(
    tx: &Transaction<'_>,
    oob_code: &str,
    mfa_token: &str,
    authenticator_id: &str,
    binding_code: Option<&str>,
    message_id: &str,
    expires_at: u64,
) -> Result<(), Failure> {
    tx.execute(
        "INSERT INTO mfa_challenges
           (oob_hash, mfa_token_hash, authenticator_id, binding_code, status, expires_at, last_poll, message_id)
         VALUES (?1, ?2, ?3, ?4, 'pending', ?5, 0, ?6)",
        params![digest(oob_code), digest(mfa_token), authenticator_id, binding_code, expires_at, message_id],
    )?;
    Ok(())
}

pub fn challenge(tx: &Transaction<'_>, oob_code: &str) -> Result<Option<Challenge>, Failure> {
    Ok(tx
        .query_row(
            "SELECT mfa_token_hash, authenticator_id, binding_code, status, expires_at, last_poll
             FROM mfa_challenges WHERE oob_hash = ?1",
            params![digest(oob_code)],
            |r| {
                let status: String = r.get(3)?;
                Ok(Challenge {
                    mfa_token_hash: r.get(0)?,
                    authenticator_id: r.get(1)?,
                    binding_code: r.get(2)?,
                    status: Status::parse(&status),
                    expires_at: r.get(4)?,
                    last_poll: r.get(5)?,
                })
            },
        )
        .optional()?)
}

pub fn record_poll(tx: &Transaction<'_>, oob_code: &str, now: u64) -> Result<(), Failure> {
    tx.execute(
        "UPDATE mfa_challenges SET last_poll = ?2 WHERE oob_hash = ?1",
        params![digest(oob_code), now],
    )?;
    Ok(())
}

pub fn delete_challenge(tx: &Transaction<'_>, oob_code: &str) -> Result<(), Failure> {
    tx.execute(
        "DELETE FROM mfa_challenges WHERE oob_hash = ?1",
        params![digest(oob_code)],
    )?;
    Ok(())
}

/// Approves or denies the pending push challenge announced by inbox message `message_id`;
/// `false` when there is none.
pub fn decide_push(tx: &Transaction<'_>, message_id: &str, approve: bool) -> Result<bool, Failure> {
    let status = if approve {
        Status::Approved
    } else {
        Status::Denied
    };
    let changed = tx.execute(
        "UPDATE mfa_challenges SET status = ?2 WHERE message_id = ?1 AND status = 'pending'",
        params![message_id, status.as_str()],
    )?;
    Ok(changed > 0)
}
