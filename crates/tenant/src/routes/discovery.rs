//! `/.well-known/*`: the key set and the OpenID Provider metadata, consistent with the tokens.

use axum::extract::State;
use axum::Json;
use passwordless_wire::{
    JwkSet, OpenIdConfiguration, GRANT_AUTHORIZATION_CODE, GRANT_PASSWORDLESS_OTP,
    GRANT_REFRESH_TOKEN, GRANT_WEBAUTHN,
};

use crate::config::GRANT_IMPLICIT;
use crate::tenant::Tenant;

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
        userinfo_endpoint: format!("{base}/userinfo"),
        revocation_endpoint: format!("{base}/oauth/revoke"),
        response_types_supported: strings(&["code", "token", "id_token", "token id_token"]),
        subject_types_supported: strings(&["public"]),
        id_token_signing_alg_values_supported: strings(&["RS256"]),
        grant_types_supported: strings(&[
            GRANT_PASSWORDLESS_OTP,
            GRANT_AUTHORIZATION_CODE,
            GRANT_REFRESH_TOKEN,
            GRANT_IMPLICIT,
            GRANT_WEBAUTHN,
        ]),
        scopes_supported: strings(&["openid", "profile", "email", "phone", "offline_access"]),
    })
}
