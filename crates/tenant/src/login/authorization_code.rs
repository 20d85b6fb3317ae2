//! Exchanging a magic link's authorization code (the `authorization_code` grant without
//! HTTP): single use, bound to the client and `redirect_uri`, then the first factor's end.

use crate::authorization_codes;
use crate::config::Client;
use crate::failure::Failure;
use crate::mfa::{self, FirstFactor};
use crate::tenant::Tenant;
use crate::tokens::Grant;
use crate::users;

/// What an exchange came to.
#[derive(Debug)]
pub enum CodeExchange {
    /// Unknown, used, expired, another client's, or its user is gone.
    InvalidCode,
    /// The `redirect_uri` differs from the one the code was issued to.
    RedirectMismatch,
    Passed(FirstFactor),
}

pub fn exchange(
    tenant: &Tenant,
    client: &Client,
    code: &str,
    redirect_uri: Option<&str>,
) -> Result<CodeExchange, Failure> {
    let now = tenant.now();
    tenant.store().transaction(|tx| {
        // A code presented by another client, or with another redirect_uri, is used up all the
        // same: it leaked.
        let Some(found) = authorization_codes::redeem(tx, code, now)? else {
            return Ok(CodeExchange::InvalidCode);
        };
        if found.client_id != client.client_id {
            return Ok(CodeExchange::InvalidCode);
        }
        if redirect_uri != Some(found.redirect_uri.as_str()) {
            return Ok(CodeExchange::RedirectMismatch);
        }
        let Some(user) = users::by_id(tx, &found.user_id)? else {
            return Ok(CodeExchange::InvalidCode);
        };
        let grant = Grant {
            client,
            user: &user,
            scope: &found.scope,
            audience: found.audience.as_deref(),
            nonce: found.nonce.as_deref(),
            may_refresh: true,
        };
        Ok(CodeExchange::Passed(mfa::finish_first_factor(
            tenant, tx, &grant, now,
        )?))
    })
}
