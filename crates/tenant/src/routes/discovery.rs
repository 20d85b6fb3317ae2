//! `/.well-known/*`: the key set and the OpenID Provider metadata, consistent with the tokens.

use axum::extract::State;
use axum::Json;
use passwordless_wire::{JwkSet, OpenIdConfiguration, GRANT_PASSWORDLESS_OTP};

use crate::Tenant;

pub async fn jwks(State(tenant): State<Tenant>) -> Json<JwkSet> {
    Json(tenant.key().jwks())
}

pub async fn openid_configuration(State(tenant): State<Tenant>) -> Json<OpenIdConfiguration> {
    let base = &tenant.config().issuer_base;
    let strings = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect();
    Json(OpenIdConfiguration {
        issuer: tenant.config().issuer(),
        authorization_endpoint: format!("{base}/authorize"),
        token_endpoint: format!("{base}/oauth/token"),
        jwks_uri: format!("{base}/.well-known/jwks.json"),
        response_types_supported: strings(&["code"]),
        subject_types_supported: strings(&["public"]),
        id_token_signing_alg_values_supported: strings(&["RS256"]),
        grant_types_supported: strings(&[GRANT_PASSWORDLESS_OTP]),
        scopes_supported: strings(&["openid", "profile", "email", "phone"]),
    })
}
