//! `POST /oauth/token`: the passwordless OTP, authorization-code and refresh-token grants
//! (the MFA and webauthn grants have their own files).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use passwordless_wire::codes;
use passwordless_wire::fields::Fields;
use passwordless_wire::names::{CONNECTION_EMAIL, CONNECTION_SMS};
use passwordless_wire::token::{AuthorizationCodeGrant, OtpGrant, RefreshTokenGrant};
use passwordless_wire::{
    TokenSet, GRANT_AUTHORIZATION_CODE, GRANT_MFA_OOB, GRANT_MFA_OTP, GRANT_MFA_RECOVERY_CODE,
    GRANT_PASSWORDLESS_OTP, GRANT_REFRESH_TOKEN, GRANT_WEBAUTHN,
};

use super::answers;
use super::request::{self, counted_ip, read_as, required, PeerIp};
use crate::config::Client;
use crate::connection::Connection;
use crate::error::TenantError;
use crate::identifiers::normalise_email;
use crate::login::authorization_code::{self, CodeExchange};
use crate::login::code::{check_code, CodeAttempt, CodeLogin};
use crate::tenant::Tenant;
use crate::tokens::my_account;
use crate::tokens::refresh::{self, Refresh};

pub async fn oauth_token(
    State(tenant): State<Tenant>,
    PeerIp(peer): PeerIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, TenantError> {
    let fields = request::read_fields(&headers, &body)?;
    let grant_type = required(&fields, "grant_type")?;
    let authenticated = request::authenticate(&tenant, &fields, || {
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
        GRANT_WEBAUTHN,
    ];
    if !known.contains(&grant_type) {
        return Err(TenantError::new(
            StatusCode::FORBIDDEN,
            codes::UNSUPPORTED_GRANT_TYPE,
            format!("Unsupported grant type: {grant_type}"),
        ));
    }
    if !client.may_use(grant_type) {
        return Err(TenantError::new(
            StatusCode::FORBIDDEN,
            codes::UNAUTHORIZED_CLIENT,
            format!("Grant type '{grant_type}' not allowed for the client."),
        ));
    }
    let (tokens, identifier) = match grant_type {
        GRANT_PASSWORDLESS_OTP => otp_grant(&tenant, client, &fields, &ip)?,
        GRANT_AUTHORIZATION_CODE => (authorization_code_grant(&tenant, client, &fields)?, None),
        GRANT_REFRESH_TOKEN => (refresh_token_grant(&tenant, client, &fields)?, None),
        GRANT_WEBAUTHN => (
            super::webauthn_grant::webauthn_grant(&tenant, client, &fields)?,
            None,
        ),
        _ => (
            super::mfa_grants::mfa_grant(&tenant, client, grant_type, &fields)?,
            None,
        ),
    };
    answer(&tenant, tokens, identifier.as_deref())
}

/// The token answer; for the user known by `identifier`, a member that the tenant's hooks (the
/// dev tools' token-answer faults) replace.
fn answer(
    tenant: &Tenant,
    tokens: TokenSet,
    identifier: Option<&str>,
) -> Result<Response, TenantError> {
    let fault = match identifier {
        Some(identifier) => tenant
            .store()
            .transaction(|tx| tenant.hooks().token_answer_fault(tx, identifier))?,
        None => None,
    };
    let Some((field, value)) = fault else {
        return Ok(Json(tokens).into_response());
    };
    let mut body = serde_json::to_value(tokens)
        .map_err(|_| TenantError::internal("the token answer did not serialise"))?;
    body[field] = value;
    Ok(Json(body).into_response())
}

/// The tokens of a passwordless one-time code, and the identifier they are for.
fn otp_grant(
    tenant: &Tenant,
    client: &Client,
    fields: &Fields,
    ip: &str,
) -> Result<(TokenSet, Option<String>), TenantError> {
    let grant: OtpGrant = read_as(fields)?;
    let username = grant.username.as_str();
    let (connection, identifier, wrong) = match grant.realm.as_str() {
        CONNECTION_EMAIL => (
            Connection::Email,
            normalise_email(username).unwrap_or_else(|| username.to_owned()),
            "Wrong email or verification code.",
        ),
        CONNECTION_SMS => (
            Connection::Sms,
            username.to_owned(),
            "Wrong phone number or verification code.",
        ),
        other => {
            return Err(TenantError::bad_request(
                codes::INVALID_REQUEST,
                format!("Unknown realm {other:?}: use \"email\" or \"sms\""),
            ))
        }
    };
    let scope = my_account::first_factor_scope(
        tenant.config(),
        grant.scope.as_deref(),
        grant.audience.as_deref(),
    );
    let attempt = CodeAttempt {
        connection,
        identifier: &identifier,
        code: &grant.otp,
        scope: &scope,
        audience: grant.audience.as_deref(),
    };
    match check_code(tenant, client, &attempt, ip)? {
        CodeLogin::Blocked => Err(answers::account_blocked()),
        CodeLogin::Refused(verdict) => Err(TenantError::invalid_grant(&answers::code_refused(
            verdict, wrong,
        ))),
        CodeLogin::Passed(end) => Ok((answers::first_factor(end)?, Some(identifier))),
    }
}

fn authorization_code_grant(
    tenant: &Tenant,
    client: &Client,
    fields: &Fields,
) -> Result<TokenSet, TenantError> {
    let grant: AuthorizationCodeGrant = read_as(fields)?;
    match authorization_code::exchange(tenant, client, &grant.code, grant.redirect_uri.as_deref())?
    {
        CodeExchange::InvalidCode => Err(TenantError::invalid_grant("Invalid authorization code")),
        CodeExchange::RedirectMismatch => Err(TenantError::invalid_grant(
            "The redirect_uri MUST match the one the authorization code was issued to.",
        )),
        CodeExchange::Passed(end) => answers::first_factor(end),
    }
}

fn refresh_token_grant(
    tenant: &Tenant,
    client: &Client,
    fields: &Fields,
) -> Result<TokenSet, TenantError> {
    let grant: RefreshTokenGrant = read_as(fields)?;
    let outcome = refresh::refresh(
        tenant,
        client,
        &grant.refresh_token,
        grant.scope.as_deref(),
        grant.audience.as_deref(),
    )?;
    match outcome {
        Refresh::Invalid => Err(TenantError::invalid_grant(
            "Unknown or invalid refresh token.",
        )),
        Refresh::NoMyAccountScope => Err(TenantError::new(
            StatusCode::FORBIDDEN,
            codes::ACCESS_DENIED,
            "Ask the My Account API for at least one of its scopes (e.g. create:me:authentication_methods).",
        )),
        Refresh::Tokens(set) => Ok(set),
    }
}
