//! Minting token sets: the ID token, the access token (an RS256 JWT when an `audience` was
//! asked for, else opaque) and, with `offline_access`, a refresh token. What is opaque is kept
//! in the store by its SHA-256, never in clear. The ID token is signed through the tenant's
//! hooks (where the dev tools may corrupt it on purpose).

pub mod my_account;
pub mod refresh;

use passwordless_wire::{TokenSet, GRANT_REFRESH_TOKEN};
use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::json;

use crate::clock::rfc3339;
use crate::config::Client;
use crate::connection::Connection;
use crate::failure::Failure;
use crate::hashing::digest;
use crate::tenant::Tenant;
use crate::users::{self, User};

pub const DEFAULT_SCOPE: &str = "openid profile email";
const KNOWN_SCOPES: [&str; 5] = ["openid", "profile", "email", "phone", "offline_access"];

/// What a set of tokens is for.
pub struct Grant<'a> {
    pub client: &'a Client,
    pub user: &'a User,
    /// Already filtered by [`granted_scope`].
    pub scope: &'a str,
    pub audience: Option<&'a str>,
    pub nonce: Option<&'a str>,
    /// Whether a refresh token may be minted (not when refreshing).
    pub may_refresh: bool,
}

/// The requested scopes the tenant knows, in request order; Auth0's default when none.
pub fn granted_scope(requested: Option<&str>) -> String {
    let requested = requested
        .filter(|s| !s.trim().is_empty())
        .unwrap_or(DEFAULT_SCOPE);
    let mut granted: Vec<&str> = Vec::new();
    for scope in requested.split_whitespace() {
        if KNOWN_SCOPES.contains(&scope) && !granted.contains(&scope) {
            granted.push(scope);
        }
    }
    granted.join(" ")
}

fn has_scope(scope: &str, wanted: &str) -> bool {
    scope.split(' ').any(|s| s == wanted)
}

/// Mints the token set for `grant`, keeping what must be looked up later.
pub fn issue(
    tenant: &Tenant,
    tx: &Transaction<'_>,
    grant: &Grant<'_>,
    now: u64,
) -> Result<TokenSet, Failure> {
    let config = tenant.config();
    let lifetime = config.token_lifetime_secs;
    let id_token = if has_scope(grant.scope, "openid") {
        Some(id_token(tenant, tx, grant, now)?)
    } else {
        None
    };
    let access_token = match grant.audience {
        Some(audience) => {
            let mut audiences = vec![audience.to_owned()];
            if has_scope(grant.scope, "openid") {
                audiences.push(format!("{}userinfo", config.issuer()));
            }
            tenant.key().sign(&json!({
                "iss": config.issuer(), "sub": grant.user.sub(), "aud": audiences,
                "iat": now, "exp": now + lifetime, "scope": grant.scope,
                "azp": grant.client.client_id,
            }))
        }
        None => tenant.random_token(32)?,
    };
    tx.execute(
        "INSERT INTO access_tokens (token_hash, client_id, user_id, scope, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            digest(&access_token),
            grant.client.client_id,
            grant.user.id,
            grant.scope,
            now + lifetime
        ],
    )?;
    let refresh_token = if grant.may_refresh
        && has_scope(grant.scope, "offline_access")
        && grant.client.may_use(GRANT_REFRESH_TOKEN)
    {
        let token = tenant.random_token(48)?;
        tx.execute(
            "INSERT INTO refresh_tokens (token_hash, client_id, user_id, scope, audience, revoked, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6)",
            params![digest(&token), grant.client.client_id, grant.user.id, grant.scope, grant.audience, now],
        )?;
        Some(token)
    } else {
        None
    };
    Ok(TokenSet {
        access_token,
        id_token,
        refresh_token,
        scope: grant.scope.to_owned(),
        token_type: "Bearer".into(),
        expires_in: lifetime,
        recovery_code: None,
    })
}

fn id_token(
    tenant: &Tenant,
    tx: &Transaction<'_>,
    grant: &Grant<'_>,
    now: u64,
) -> Result<String, Failure> {
    let config = tenant.config();
    let mut claims = json!({
        "iss": config.issuer(),
        "sub": grant.user.sub(),
        "aud": grant.client.client_id,
        "iat": now,
        "exp": now + config.token_lifetime_secs,
    });
    if let Some(nonce) = grant.nonce {
        claims["nonce"] = json!(nonce);
    }
    if let Some(claims) = claims.as_object_mut() {
        claims.extend(profile_claims(grant.user, grant.scope));
    }
    tenant
        .hooks()
        .sign_id_token(tx, tenant.key(), &grant.user.identifier, claims, now)
}

/// The user's claims that `scope` grants (also what `/userinfo` answers).
pub fn profile_claims(user: &User, scope: &str) -> serde_json::Map<String, serde_json::Value> {
    let mut claims = serde_json::Map::new();
    if has_scope(scope, "profile") {
        let name = user.name.as_deref().unwrap_or(&user.identifier);
        claims.insert("name".into(), json!(name));
        claims.insert("updated_at".into(), json!(rfc3339(user.updated_at)));
    }
    match user.connection {
        Connection::Email if has_scope(scope, "email") => {
            claims.insert("email".into(), json!(user.identifier));
            claims.insert("email_verified".into(), json!(user.verified));
        }
        Connection::Sms if has_scope(scope, "phone") || has_scope(scope, "profile") => {
            claims.insert("phone_number".into(), json!(user.identifier));
            claims.insert("phone_number_verified".into(), json!(user.verified));
        }
        _ => {}
    }
    claims
}

/// The live access token's user and scope, if `token` is one.
pub fn access_token_owner(
    tx: &Transaction<'_>,
    token: &str,
    now: u64,
) -> Result<Option<(String, String)>, Failure> {
    Ok(tx
        .query_row(
            "SELECT user_id, scope FROM access_tokens WHERE token_hash = ?1 AND expires_at > ?2",
            params![digest(token), now],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?)
}

/// The user of the live access token `token` and its scope, for `/userinfo`.
pub fn userinfo(tenant: &Tenant, token: &str) -> Result<Option<(User, String)>, Failure> {
    let now = tenant.now();
    tenant.store().transaction(|tx| {
        let Some((user_id, scope)) = access_token_owner(tx, token, now)? else {
            return Ok(None);
        };
        Ok(users::by_id(tx, &user_id)?.map(|user| (user, scope)))
    })
}

/// A refresh token as kept.
pub struct RefreshToken {
    pub client_id: String,
    pub user_id: String,
    pub scope: String,
    pub audience: Option<String>,
}

/// The unrevoked refresh token `token`, if it is one.
pub fn refresh_token(tx: &Transaction<'_>, token: &str) -> Result<Option<RefreshToken>, Failure> {
    Ok(tx
        .query_row(
            "SELECT client_id, user_id, scope, audience FROM refresh_tokens
             WHERE token_hash = ?1 AND revoked = 0",
            params![digest(token)],
            |row| {
                Ok(RefreshToken {
                    client_id: row.get(0)?,
                    user_id: row.get(1)?,
                    scope: row.get(2)?,
                    audience: row.get(3)?,
                })
            },
        )
        .optional()?)
}

/// Revokes `token` if it is a refresh token of `client_id`; unknown tokens are ignored.
pub fn revoke(tx: &Transaction<'_>, token: &str, client_id: &str) -> Result<(), Failure> {
    tx.execute(
        "UPDATE refresh_tokens SET revoked = 1 WHERE token_hash = ?1 AND client_id = ?2",
        params![digest(token), client_id],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_defaults_and_drops_unknown_values() {
        assert_eq!(granted_scope(None), "openid profile email");
        assert_eq!(granted_scope(Some("  ")), "openid profile email");
        assert_eq!(
            granted_scope(Some("openid openid bogus email offline_access")),
            "openid email offline_access"
        );
    }
}
