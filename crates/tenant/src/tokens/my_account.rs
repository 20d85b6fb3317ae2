//! Tokens for Auth0's My Account API (`{issuer}me/`): the scopes it knows, the scope a grant
//! asking for it is given, and the check of the Bearer token that its endpoints take.

use passwordless_wire::names::MY_ACCOUNT_AUDIENCE_PATH;
use serde_json::Value;

use super::granted_scope;
use crate::config::TenantConfig;
use crate::failure::Failure;
use crate::tenant::Tenant;
use crate::users::{self, User};

/// The My Account API's scopes that the tenant grants (its authentication methods).
pub const MY_ACCOUNT_SCOPES: [&str; 3] = [
    "create:me:authentication_methods",
    "read:me:authentication_methods",
    "delete:me:authentication_methods",
];

/// The My Account API's audience: `{issuer}me/`.
pub fn audience(config: &TenantConfig) -> String {
    format!("{}{MY_ACCOUNT_AUDIENCE_PATH}", config.issuer())
}

/// Whether `asked` names the My Account API.
pub fn is_audience(config: &TenantConfig, asked: Option<&str>) -> bool {
    asked.is_some_and(|a| a == audience(config))
}

/// The scope a first factor is given for `audience`: [`granted_scope`], plus the My Account
/// scopes asked for when the audience is the My Account API.
pub fn first_factor_scope(
    config: &TenantConfig,
    requested: Option<&str>,
    audience: Option<&str>,
) -> String {
    let mut scope = granted_scope(requested);
    if is_audience(config, audience) {
        for asked in my_account_scopes_in(requested) {
            if !scope.is_empty() {
                scope.push(' ');
            }
            scope.push_str(asked);
        }
    }
    scope
}

/// The My Account scopes named in `requested`, in request order; all of them when nothing is
/// requested (a refresh for the My Account API without `scope`).
pub fn refresh_scope(requested: Option<&str>) -> String {
    if requested.is_none_or(|r| r.trim().is_empty()) {
        return MY_ACCOUNT_SCOPES.join(" ");
    }
    my_account_scopes_in(requested).join(" ")
}

fn my_account_scopes_in(requested: Option<&str>) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = Vec::new();
    for asked in requested.unwrap_or("").split_whitespace() {
        if let Some(known) = MY_ACCOUNT_SCOPES.iter().find(|s| **s == asked) {
            if !found.contains(known) {
                found.push(known);
            }
        }
    }
    found
}

/// What a My Account Bearer token turned out to be.
#[derive(Debug)]
pub enum Bearer {
    /// Signed by the tenant, for the My Account API, live, with the scope: its user and the
    /// client it was issued to (`azp`).
    Valid { user: User, client_id: String },
    /// Not a live My Account token of a known user: why, for `error_description`.
    Invalid(&'static str),
    /// A valid token without the scope needed.
    MissingScope,
}

/// Checks `token` as a My Account access token that must carry `scope`.
pub fn check_bearer(tenant: &Tenant, token: &str, scope: &str) -> Result<Bearer, Failure> {
    let config = tenant.config();
    let Some(claims) = tenant.key().verify(token) else {
        return Ok(Bearer::Invalid(
            "The access token is not one this tenant signed",
        ));
    };
    let audience = audience(config);
    let for_my_account = match &claims["aud"] {
        Value::String(aud) => *aud == audience,
        Value::Array(auds) => auds.iter().any(|a| *a == audience.as_str()),
        _ => false,
    };
    if claims["iss"] != config.issuer().as_str() || !for_my_account {
        return Ok(Bearer::Invalid(
            "The access token is not for the My Account API (aud)",
        ));
    }
    if claims["exp"].as_u64().is_none_or(|exp| exp <= tenant.now()) {
        return Ok(Bearer::Invalid("The access token has expired"));
    }
    let user_id = claims["sub"]
        .as_str()
        .and_then(|sub| sub.split_once('|'))
        .map(|(_, id)| id.to_owned());
    let client_id = claims["azp"].as_str().map(str::to_owned);
    let (Some(user_id), Some(client_id)) = (user_id, client_id) else {
        return Ok(Bearer::Invalid("The access token names no user or client"));
    };
    let Some(user) = tenant
        .store()
        .transaction(|tx| users::by_id(tx, &user_id))?
    else {
        return Ok(Bearer::Invalid("The access token's user no longer exists"));
    };
    let scopes = claims["scope"].as_str().unwrap_or("");
    if !scopes.split(' ').any(|s| s == scope) {
        return Ok(Bearer::MissingScope);
    }
    Ok(Bearer::Valid { user, client_id })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn my_account_scopes_are_granted_only_for_its_audience() {
        let config = TenantConfig::empty("https://t.example.com");
        let me = Some("https://t.example.com/me/");
        let asked = Some("openid create:me:authentication_methods bogus");
        assert_eq!(
            first_factor_scope(&config, asked, me),
            "openid create:me:authentication_methods"
        );
        assert_eq!(
            first_factor_scope(&config, asked, Some("https://api")),
            "openid"
        );
        assert_eq!(refresh_scope(None), MY_ACCOUNT_SCOPES.join(" "));
        assert_eq!(
            refresh_scope(Some("openid read:me:authentication_methods")),
            "read:me:authentication_methods"
        );
        assert_eq!(refresh_scope(Some("openid")), "");
    }
}
