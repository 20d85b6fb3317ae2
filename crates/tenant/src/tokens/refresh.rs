//! The refresh token's life without HTTP: the `refresh_token` grant (a narrower scope may be
//! asked for, never a wider one; no new refresh token; with the My Account API's `audience`,
//! a token for that API, as Auth0's multi-resource refresh tokens) and its revocation.

use passwordless_wire::TokenSet;

use super::{granted_scope, my_account, Grant};
use crate::config::Client;
use crate::failure::Failure;
use crate::tenant::Tenant;
use crate::users;

/// What a refresh came to.
#[derive(Debug)]
pub enum Refresh {
    /// Unknown, revoked, another client's, or its user is gone.
    Invalid,
    /// For the My Account API, but asking for none of its scopes.
    NoMyAccountScope,
    Tokens(TokenSet),
}

/// New tokens for the refresh token `token` of `client`, for `scope` when asked. With the My
/// Account API's `audience`, an access token for it with the My Account scopes asked for (all
/// when none); any other `audience` is the refresh token's own, as before.
pub fn refresh(
    tenant: &Tenant,
    client: &Client,
    token: &str,
    scope: Option<&str>,
    audience: Option<&str>,
) -> Result<Refresh, Failure> {
    let my_account = my_account::is_audience(tenant.config(), audience);
    let now = tenant.now();
    tenant.store().transaction(|tx| {
        let Some(kept) = super::refresh_token(tx, token)? else {
            return Ok(Refresh::Invalid);
        };
        if kept.client_id != client.client_id {
            return Ok(Refresh::Invalid);
        }
        let scope = match scope {
            _ if my_account => my_account::refresh_scope(scope),
            Some(asked) => {
                let kept_scopes: Vec<&str> = kept.scope.split(' ').collect();
                granted_scope(Some(asked))
                    .split(' ')
                    .filter(|s| kept_scopes.contains(s))
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            None => kept.scope.clone(),
        };
        if my_account && scope.is_empty() {
            return Ok(Refresh::NoMyAccountScope);
        }
        let Some(user) = users::by_id(tx, &kept.user_id)? else {
            return Ok(Refresh::Invalid);
        };
        let audience = if my_account {
            audience
        } else {
            kept.audience.as_deref()
        };
        let grant = Grant {
            client,
            user: &user,
            scope: &scope,
            audience,
            nonce: None,
            may_refresh: false,
        };
        Ok(Refresh::Tokens(super::issue(tenant, tx, &grant, now)?))
    })
}

/// Revokes `token` if it is a refresh token of `client_id`; unknown tokens are ignored.
pub fn revoke(tenant: &Tenant, token: &str, client_id: &str) -> Result<(), Failure> {
    tenant
        .store()
        .transaction(|tx| super::revoke(tx, token, client_id))
}
