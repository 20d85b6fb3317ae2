//! Authorization codes handed out by magic links (`response_type=code`): single use, bound to
//! the client and `redirect_uri`, short-lived, kept by their SHA-256.

use rusqlite::{params, OptionalExtension, Transaction};

use crate::failure::Failure;
use crate::hashing::digest;

/// What a code stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub user_id: String,
    pub scope: String,
    pub audience: Option<String>,
    pub nonce: Option<String>,
}

pub fn create(
    tx: &Transaction<'_>,
    code: &str,
    grant: &AuthorizationCode,
    expires_at: u64,
) -> Result<(), Failure> {
    tx.execute(
        "INSERT INTO authorization_codes
           (code_hash, client_id, redirect_uri, user_id, scope, audience, nonce, expires_at, used)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)",
        params![
            digest(code),
            grant.client_id,
            grant.redirect_uri,
            grant.user_id,
            grant.scope,
            grant.audience,
            grant.nonce,
            expires_at
        ],
    )?;
    Ok(())
}

/// Uses up `code`: what it stands for, or `None` when it is unknown, used or expired.
pub fn redeem(
    tx: &Transaction<'_>,
    code: &str,
    now: u64,
) -> Result<Option<AuthorizationCode>, Failure> {
    let hash = digest(code);
    let found = tx
        .query_row(
            "SELECT client_id, redirect_uri, user_id, scope, audience, nonce FROM authorization_codes
             WHERE code_hash = ?1 AND used = 0 AND expires_at > ?2",
            params![hash, now],
            |r| {
                Ok(AuthorizationCode {
                    client_id: r.get(0)?,
                    redirect_uri: r.get(1)?,
                    user_id: r.get(2)?,
                    scope: r.get(3)?,
                    audience: r.get(4)?,
                    nonce: r.get(5)?,
                })
            },
        )
        .optional()?;
    if found.is_some() {
        tx.execute(
            "UPDATE authorization_codes SET used = 1 WHERE code_hash = ?1",
            params![hash],
        )?;
    }
    Ok(found)
}
