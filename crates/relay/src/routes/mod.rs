//! HTTP: the routes, and what every request goes through (request id, timeout, CORS).

mod discovery;
mod forward;
mod ops;

use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tracing::Instrument;

pub(crate) use discovery::CachedDocument;

use crate::error::RelayError;
use crate::Relay;

/// The relay's routes: Auth0's paths, so that the SDK can point at a relay or a tenant.
pub fn app(relay: Relay) -> Router {
    let cors = cors(&relay.config().allowed_origins);
    Router::new()
        .route("/passwordless/start", post(forward::passwordless_start))
        .route("/oauth/token", post(forward::oauth_token))
        .route("/oauth/revoke", post(forward::oauth_revoke))
        .route("/mfa/authenticators", get(forward::mfa_authenticators))
        .route("/mfa/authenticators/{id}", delete(forward::mfa_delete))
        .route("/mfa/challenge", post(forward::mfa_challenge))
        .route("/mfa/associate", post(forward::mfa_associate))
        .route("/.well-known/jwks.json", get(discovery::jwks))
        .route(
            "/.well-known/openid-configuration",
            get(discovery::openid_configuration),
        )
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .fallback(not_found)
        .layer(cors)
        .layer(middleware::from_fn_with_state(relay.clone(), envelope))
        .with_state(relay)
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
        "not_found",
        "This relay does not serve that path.",
    )
}

/// Every request: an id (logged, and answered as `x-request-id`), a span, and a time limit.
async fn envelope(State(relay): State<Relay>, request: Request, next: Next) -> Response {
    let id = request_id();
    let span = tracing::info_span!("request", id = %id, method = %request.method(), path = %request.uri().path());
    let started = Instant::now();
    let limit = relay.config().timeouts.request;
    let mut response = async move {
        match tokio::time::timeout(limit, next.run(request)).await {
            Ok(response) => response,
            Err(_) => RelayError::new(
                StatusCode::GATEWAY_TIMEOUT,
                "request_timeout",
                "The request took too long.",
            )
            .into_response(),
        }
    }
    .instrument(span.clone())
    .await;
    span.in_scope(|| {
        tracing::info!(
            status = response.status().as_u16(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "answered"
        );
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

fn request_id() -> String {
    use rand::Rng;
    format!("{:016x}", rand::thread_rng().gen::<u64>())
}
