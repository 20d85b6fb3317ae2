//! HTTP: the routes, CORS, and (in `envelope`) what every request goes through.

mod discovery;
mod envelope;
mod forward;
mod ops;
mod passkey;

use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::routing::{delete, get, post};
use axum::Router;
use passwordless_wire::codes;
use passwordless_wire::names::{
    MY_ACCOUNT_METHODS_PATH, PASSKEY_CHALLENGE_PATH, PASSKEY_REGISTER_PATH,
};
use tower_http::cors::{AllowOrigin, CorsLayer};

pub(crate) use discovery::CachedDocument;
pub(crate) use envelope::RequestIds;

use crate::error::RelayError;
use crate::Relay;

/// The relay's routes: Auth0's paths, so that the SDK can point at a relay or a tenant.
pub fn app(relay: Relay) -> Router {
    let cors = cors(&relay.config().allowed_origins);
    let routes = Router::new()
        .route("/passwordless/start", post(forward::passwordless_start))
        .route("/oauth/token", post(forward::oauth_token))
        .route("/oauth/revoke", post(forward::oauth_revoke))
        .route("/mfa/authenticators", get(forward::mfa_authenticators))
        .route("/mfa/authenticators/{id}", delete(forward::mfa_delete))
        .route("/mfa/challenge", post(forward::mfa_challenge))
        .route("/mfa/associate", post(forward::mfa_associate))
        .route(PASSKEY_REGISTER_PATH, post(passkey::register))
        .route(PASSKEY_CHALLENGE_PATH, post(passkey::challenge))
        // The My Account API: passkey enrolment only. Any other method on these paths is the
        // same 404 as any other path under /me.
        .route(
            MY_ACCOUNT_METHODS_PATH,
            post(passkey::enrol).fallback(not_found),
        )
        .route(
            &format!("{MY_ACCOUNT_METHODS_PATH}/{{id}}/verify"),
            post(passkey::verify).fallback(not_found),
        )
        .route("/.well-known/jwks.json", get(discovery::jwks))
        .route(
            "/.well-known/openid-configuration",
            get(discovery::openid_configuration),
        )
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .fallback(not_found)
        .layer(cors);
    let ids = relay.request_ids().clone();
    let limit = relay.config().timeouts.request;
    envelope::wrap(routes.with_state(relay), ids, limit)
}

pub fn cors(origins: &[String]) -> CorsLayer {
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::GET, Method::POST, Method::DELETE])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            HeaderName::from_static("x-request-language"),
        ])
        .expose_headers([
            // The My Account API names a new passkey by it.
            header::LOCATION,
            header::RETRY_AFTER,
            HeaderName::from_static("x-request-id"),
            HeaderName::from_static("x-ratelimit-limit"),
            HeaderName::from_static("x-ratelimit-remaining"),
            HeaderName::from_static("x-ratelimit-reset"),
        ])
}

async fn not_found() -> RelayError {
    RelayError::new(
        StatusCode::NOT_FOUND,
        codes::NOT_FOUND,
        "This relay does not serve that path.",
    )
}
