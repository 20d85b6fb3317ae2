//! Completing a magic link without HTTP: check the link's code, then mint what the redirect
//! carries (an authorization code, or tokens for the implicit flow), in one transaction.

use passwordless_wire::TokenSet;

use crate::authorization_codes::{self, AuthorizationCode};
use crate::codes::{self, Verdict};
use crate::config::Client;
use crate::connection::Connection;
use crate::failure::Failure;
use crate::mfa;
use crate::tenant::Tenant;
use crate::tokens::{self, Grant};
use crate::users;

/// An opened link, its parameters checked.
pub struct MagicLink<'a> {
    pub client: &'a Client,
    pub connection: Connection,
    pub identifier: &'a str,
    pub code: &'a str,
    /// One of the client's callbacks.
    pub redirect_uri: &'a str,
    /// Already filtered by `tokens::granted_scope`.
    pub scope: String,
    pub audience: Option<&'a str>,
    pub nonce: Option<&'a str>,
    /// `response_type=code`; else the implicit flow (tokens in the fragment).
    pub wants_code: bool,
}

/// What opening a link came to.
#[derive(Debug)]
pub enum LinkOutcome {
    /// `response_type=code`: the code to exchange at `/oauth/token`.
    AuthorizationCode(String),
    /// The implicit flow's tokens.
    Tokens(TokenSet),
    /// Wrong, expired or dead (never `Verdict::Accepted`); what it used up is recorded.
    Refused(Verdict),
    /// Tokens in a fragment cannot wait for a second factor: such users must use codes.
    MfaRequired,
}

pub fn complete(tenant: &Tenant, link: &MagicLink<'_>) -> Result<LinkOutcome, Failure> {
    let now = tenant.now();
    let config = tenant.config();
    let authorization_code = tenant.random_token(24)?;
    let new_id = tenant.new_user_id()?;
    tenant.store().transaction(|tx| {
        let verdict = codes::verify(
            tx,
            link.connection,
            link.identifier,
            link.code,
            config.codes,
            now,
        )?;
        if verdict != Verdict::Accepted {
            return Ok(LinkOutcome::Refused(verdict));
        }
        let user = users::prove(tx, link.connection, link.identifier, &new_id, now)?;
        if link.wants_code {
            let grant = AuthorizationCode {
                client_id: link.client.client_id.clone(),
                redirect_uri: link.redirect_uri.to_owned(),
                user_id: user.id.clone(),
                scope: link.scope.clone(),
                audience: link.audience.map(str::to_owned),
                nonce: link.nonce.map(str::to_owned),
            };
            let expires_at = now + config.authorization_code_lifetime_secs;
            authorization_codes::create(tx, &authorization_code, &grant, expires_at)?;
            return Ok(LinkOutcome::AuthorizationCode(authorization_code));
        }
        let policy = mfa::policy(tx, config.mfa_policy)?;
        if mfa::requirements(tx, &user.id, policy)?.is_some() {
            return Ok(LinkOutcome::MfaRequired);
        }
        let grant = Grant {
            client: link.client,
            user: &user,
            scope: &link.scope,
            audience: link.audience,
            nonce: link.nonce,
            may_refresh: false,
        };
        Ok(LinkOutcome::Tokens(tokens::issue(tenant, tx, &grant, now)?))
    })
}
