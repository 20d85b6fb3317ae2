//! `POST /oauth/token`: the passwordless OTP, authorization-code and refresh-token grants.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use passwordless_wire::fields::Fields;
use passwordless_wire::{
    TokenSet, GRANT_AUTHORIZATION_CODE, GRANT_MFA_OOB, GRANT_MFA_OTP, GRANT_MFA_RECOVERY_CODE,
    GRANT_PASSWORDLESS_OTP, GRANT_REFRESH_TOKEN,
};

use super::{counted_ip, optional, required, PeerIp};
use crate::codes::{self, Connection, Verdict};
use crate::config::Client;
use crate::error::TenantError;
use crate::identifiers::normalise_email;
use crate::tokens::{self, granted_scope, Grant};
use crate::{authorization_codes, brute_force, mfa, users, Tenant};

pub async fn oauth_token(
    State(tenant): State<Tenant>,
    PeerIp(peer): PeerIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<TokenSet>, TenantError> {
    let fields = super::read_fields(&headers, &body)?;
    let grant_type = required(&fields, "grant_type")?;
    let authenticated = super::authenticate(&tenant, &fields, || {
        TenantError::missing_parameter("client_id")
    })?;
    let ip = counted_ip(Some(&authenticated), &headers, peer);
    let client = authenticated.client;
    let known = [
        GRANT_PASSWORDLESS_OTP,
        GRANT_AUTHORIZATION_CODE,
        GRANT_REFRESH_TOKEN,
        GRANT_MFA_OTP,
        GRANT_MFA_OOB,
        GRANT_MFA_RECOVERY_CODE,
    ];
    if !known.contains(&grant_type) {
        return Err(TenantError::new(
            StatusCode::FORBIDDEN,
            "unsupported_grant_type",
            format!("Unsupported grant type: {grant_type}"),
        ));
    }
    if !client.may_use(grant_type) {
        return Err(TenantError::new(
            StatusCode::FORBIDDEN,
            "unauthorized_client",
            format!("Grant type '{grant_type}' not allowed for the client."),
        ));
    }
    let tokens = match grant_type {
        GRANT_PASSWORDLESS_OTP => otp_grant(&tenant, client, &fields, &ip),
        GRANT_AUTHORIZATION_CODE => authorization_code_grant(&tenant, client, &fields),
        GRANT_REFRESH_TOKEN => refresh_token_grant(&tenant, client, &fields),
        _ => super::mfa_grants::mfa_grant(&tenant, client, grant_type, &fields),
    }?;
    Ok(Json(tokens))
}

fn otp_grant(
    tenant: &Tenant,
    client: &Client,
    fields: &Fields,
    ip: &str,
) -> Result<TokenSet, TenantError> {
    let username = required(fields, "username")?;
    let otp = required(fields, "otp")?;
    let (connection, identifier, wrong) = match required(fields, "realm")? {
        "email" => (
            Connection::Email,
            normalise_email(username).unwrap_or_else(|| username.to_owned()),
            "Wrong email or verification code.",
        ),
        "sms" => (
            Connection::Sms,
            username.to_owned(),
            "Wrong phone number or verification code.",
        ),
        other => {
            return Err(TenantError::bad_request(
                "invalid_request",
                format!("Unknown realm {other:?}: use \"email\" or \"sms\""),
            ))
        }
    };
    let scope = granted_scope(optional(fields, "scope")?);
    let audience = optional(fields, "audience")?;
    let now = tenant.now();
    let new_id = tenant.new_user_id()?;
    // The check, its bookkeeping and the tokens are one transaction: a code works once.
    let account = format!("{ip}|{}|{identifier}", connection.as_str());
    // The check, its bookkeeping and the tokens are one transaction: a code works once.
    // Refusals are the inner error so that what they record is committed.
    tenant.store().transaction(|tx| {
        if brute_force::is_blocked(tx, &account, now)? {
            return Err(brute_force::blocked_error());
        }
        let verdict = codes::verify(tx, connection, &identifier, otp, tenant.config().codes, now)?;
        if verdict != Verdict::Accepted {
            brute_force::record_failure(tx, &account, now)?;
            return Ok(Err(refusal(verdict, wrong)));
        }
        brute_force::record_success(tx, &account)?;
        let user = users::mark_verified(tx, connection, &identifier, &new_id, now)?;
        let grant = Grant {
            client,
            user: &user,
            scope: &scope,
            audience,
            nonce: None,
            may_refresh: true,
        };
        mfa::finish_first_factor(tenant, tx, &grant, now)
    })?
}

fn refusal(verdict: Verdict, wrong: &str) -> TenantError {
    TenantError::invalid_grant(match verdict {
        Verdict::Expired => "The verification code has expired. Please try to login again.",
        Verdict::TooManyTries => {
            "You've reached the maximum number of attempts. Please try to login again."
        }
        _ => wrong,
    })
}

fn authorization_code_grant(
    tenant: &Tenant,
    client: &Client,
    fields: &Fields,
) -> Result<TokenSet, TenantError> {
    let code = required(fields, "code")?;
    let redirect_uri = optional(fields, "redirect_uri")?;
    let now = tenant.now();
    let invalid = || TenantError::invalid_grant("Invalid authorization code");
    tenant.store().transaction(|tx| {
        // A code presented by another client, or with another redirect_uri, is used up all the
        // same: it leaked.
        let Some(found) = authorization_codes::redeem(tx, code, now)? else {
            return Ok(Err(invalid()));
        };
        if found.client_id != client.client_id {
            return Ok(Err(invalid()));
        }
        if redirect_uri != Some(found.redirect_uri.as_str()) {
            return Ok(Err(TenantError::invalid_grant(
                "The redirect_uri MUST match the one the authorization code was issued to.",
            )));
        }
        let user = users::by_id(tx, &found.user_id)?.ok_or_else(invalid)?;
        let grant = Grant {
            client,
            user: &user,
            scope: &found.scope,
            audience: found.audience.as_deref(),
            nonce: found.nonce.as_deref(),
            may_refresh: true,
        };
        mfa::finish_first_factor(tenant, tx, &grant, now)
    })?
}

fn refresh_token_grant(
    tenant: &Tenant,
    client: &Client,
    fields: &Fields,
) -> Result<TokenSet, TenantError> {
    let token = required(fields, "refresh_token")?;
    let now = tenant.now();
    let invalid = || TenantError::invalid_grant("Unknown or invalid refresh token.");
    tenant.store().transaction(|tx| {
        let kept = tokens::refresh_token(tx, token)?.ok_or_else(invalid)?;
        if kept.client_id != client.client_id {
            return Err(invalid());
        }
        // A narrower scope may be asked for, never a wider one.
        let scope = match optional(fields, "scope")? {
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
        let user = users::by_id(tx, &kept.user_id)?.ok_or_else(invalid)?;
        let grant = Grant {
            client,
            user: &user,
            scope: &scope,
            audience: kept.audience.as_deref(),
            nonce: None,
            may_refresh: false,
        };
        tokens::issue(tenant, tx, &grant, now)
    })
}
