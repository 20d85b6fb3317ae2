//! HTTP: extract, call the tenant's domain modules, answer in the wire shape.

mod account;
mod answers;
mod discovery;
mod link;
mod mfa;
mod mfa_grants;
mod my_account;
mod passkey;
mod rate_limited;
pub(crate) mod request;
mod start;
mod token;
mod webauthn_grant;

use axum::routing::{delete, get, post};
use axum::Router;
use passwordless_wire::names::{
    MY_ACCOUNT_METHODS_PATH, PASSKEY_CHALLENGE_PATH, PASSKEY_REGISTER_PATH,
};

use crate::tenant::Tenant;

/// The Auth0 Authentication API routes of `tenant`.
pub fn app(tenant: Tenant) -> Router {
    Router::new()
        .route("/passwordless/start", post(start::passwordless_start))
        .route(
            "/passwordless/verify_redirect",
            get(link::confirm).post(link::verify_redirect),
        )
        .route("/oauth/token", post(token::oauth_token))
        .route("/oauth/revoke", post(account::revoke))
        .route("/userinfo", get(account::userinfo))
        .route("/mfa/authenticators", get(mfa::list))
        .route("/mfa/authenticators/{id}", delete(mfa::delete))
        .route("/mfa/challenge", post(mfa::challenge))
        .route("/mfa/associate", post(mfa::associate))
        .route(PASSKEY_REGISTER_PATH, post(passkey::register))
        .route(PASSKEY_CHALLENGE_PATH, post(passkey::challenge))
        .route(MY_ACCOUNT_METHODS_PATH, post(my_account::enrol))
        .route(
            &format!("{MY_ACCOUNT_METHODS_PATH}/{{id}}/verify"),
            post(my_account::verify),
        )
        .route("/.well-known/jwks.json", get(discovery::jwks))
        .route(
            "/.well-known/openid-configuration",
            get(discovery::openid_configuration),
        )
        .with_state(tenant)
}
