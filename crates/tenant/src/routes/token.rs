//! `POST /oauth/token`: exchange a one-time code for tokens.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use passwordless_wire::{TokenSet, GRANT_PASSWORDLESS_OTP};
use rand::RngCore;
use serde_json::json;

use super::content_type;
use crate::clock::rfc3339;
use crate::codes::{Connection, Verdict};
use crate::config::Client;
use crate::error::TenantError;
use crate::identifiers::normalise_email;
use crate::users::User;
use crate::Tenant;
use passwordless_wire::fields::{parse_fields, string_field, Fields};

const DEFAULT_SCOPE: &str = "openid profile email";
const KNOWN_SCOPES: [&str; 4] = ["openid", "profile", "email", "phone"];

pub async fn oauth_token(
    State(tenant): State<Tenant>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<TokenSet>, TenantError> {
    let fields = parse_fields(content_type(&headers), &body)
        .map_err(|e| TenantError::bad_request("invalid_request", e))?;
    let grant_type = required(&fields, "grant_type")?;
    let client = super::authenticate(&tenant, &fields, || {
        TenantError::missing_parameter("client_id")
    })?;
    match grant_type {
        GRANT_PASSWORDLESS_OTP => otp_grant(&tenant, client, &fields).map(Json),
        other => Err(TenantError::new(
            StatusCode::FORBIDDEN,
            "unsupported_grant_type",
            format!("Unsupported grant type: {other}"),
        )),
    }
}

fn required<'a>(fields: &'a Fields, name: &str) -> Result<&'a str, TenantError> {
    string_field(fields, name)
        .map_err(|e| TenantError::bad_request("invalid_request", e))?
        .filter(|v| !v.is_empty())
        .ok_or_else(|| TenantError::missing_parameter(name))
}

fn otp_grant(tenant: &Tenant, client: &Client, fields: &Fields) -> Result<TokenSet, TenantError> {
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
    let now = tenant.now();
    let verdict = tenant
        .codes()?
        .verify(connection, &identifier, otp, tenant.config().codes, now);
    match verdict {
        Verdict::Accepted => {}
        Verdict::Wrong => return Err(TenantError::invalid_grant(wrong)),
        Verdict::Expired => {
            return Err(TenantError::invalid_grant(
                "The verification code has expired. Please try to login again.",
            ))
        }
        Verdict::TooManyTries => {
            return Err(TenantError::invalid_grant(
                "You've reached the maximum number of attempts. Please try to login again.",
            ))
        }
    }
    let user = {
        let mut rng = tenant.rng()?;
        tenant
            .users()?
            .mark_verified(connection, &identifier, &mut *rng, now)
    };
    let scope = granted_scope(string_field(fields, "scope").ok().flatten());
    issue_tokens(tenant, client, &user, &scope, now)
}

/// The requested scopes the tenant knows, in request order; Auth0's default when none.
fn granted_scope(requested: Option<&str>) -> String {
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

fn issue_tokens(
    tenant: &Tenant,
    client: &Client,
    user: &User,
    scope: &str,
    now: u64,
) -> Result<TokenSet, TenantError> {
    let config = tenant.config();
    let mut opaque = [0u8; 32];
    tenant.rng()?.fill_bytes(&mut opaque);
    let id_token = scope.split(' ').any(|s| s == "openid").then(|| {
        let mut claims = json!({
            "iss": config.issuer(),
            "sub": user.sub(),
            "aud": client.client_id,
            "iat": now,
            "exp": now + config.token_lifetime_secs,
            "name": user.identifier,
            "updated_at": rfc3339(user.updated_at),
        });
        match user.connection {
            Connection::Email => {
                claims["email"] = json!(user.identifier);
                claims["email_verified"] = json!(user.verified);
            }
            Connection::Sms => {
                claims["phone_number"] = json!(user.identifier);
                claims["phone_number_verified"] = json!(user.verified);
            }
        }
        tenant.key().sign(&claims)
    });
    Ok(TokenSet {
        access_token: B64URL.encode(opaque),
        id_token,
        refresh_token: None,
        scope: scope.to_owned(),
        token_type: "Bearer".into(),
        expires_in: config.token_lifetime_secs,
    })
}

#[cfg(test)]
mod tests {
    use super::granted_scope;

    #[test]
    fn scope_defaults_and_drops_unknown_values() {
        assert_eq!(granted_scope(None), "openid profile email");
        assert_eq!(granted_scope(Some("  ")), "openid profile email");
        assert_eq!(
            granted_scope(Some("openid openid bogus email")),
            "openid email"
        );
    }
}
