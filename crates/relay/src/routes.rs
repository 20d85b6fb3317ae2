//! HTTP: extract, apply the rules, forward, answer.

use std::net::SocketAddr;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use passwordless_wire::fields::{parse_fields, Fields};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::error::RelayError;
use crate::rules;
use crate::upstream::UpstreamReply;
use crate::Relay;

/// Browsers never need more than this for these calls.
const BODY_LIMIT: usize = 16 * 1024;

/// The relay's routes, with CORS for the configured origins.
pub fn app(relay: Relay) -> Router {
    let cors = cors(&relay.config().allowed_origins);
    Router::new()
        .route("/passwordless/start", post(passwordless_start))
        .route("/oauth/token", post(oauth_token))
        .route("/.well-known/jwks.json", get(jwks))
        .route(
            "/.well-known/openid-configuration",
            get(openid_configuration),
        )
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(cors)
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
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE])
}

async fn passwordless_start(
    State(relay): State<Relay>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, RelayError> {
    let fields = read_fields(&headers, &body, "bad.request")?;
    let upstream_body = rules::start_body(relay.config(), &fields)?;
    let reply = relay
        .upstream()
        .post("/passwordless/start", &upstream_body, peer.ip())
        .await?;
    Ok(pass_through(reply))
}

async fn oauth_token(
    State(relay): State<Relay>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, RelayError> {
    let fields = read_fields(&headers, &body, "invalid_request")?;
    let upstream_body = rules::token_body(relay.config(), &fields)?;
    let reply = relay
        .upstream()
        .post("/oauth/token", &upstream_body, peer.ip())
        .await?;
    Ok(pass_through(reply))
}

async fn jwks(State(relay): State<Relay>) -> Result<Response, RelayError> {
    Ok(pass_through(
        relay.upstream().get("/.well-known/jwks.json").await?,
    ))
}

async fn openid_configuration(State(relay): State<Relay>) -> Result<Response, RelayError> {
    Ok(pass_through(
        relay
            .upstream()
            .get("/.well-known/openid-configuration")
            .await?,
    ))
}

fn read_fields(headers: &HeaderMap, body: &[u8], error: &str) -> Result<Fields, RelayError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    parse_fields(content_type, body).map_err(|e| RelayError::bad_request(error, e))
}

fn pass_through(reply: UpstreamReply) -> Response {
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() = reply.status;
    let content_type = reply
        .content_type
        .and_then(|v| HeaderValue::from_str(&v).ok())
        .unwrap_or(HeaderValue::from_static("application/json"));
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, content_type);
    if reply.status == StatusCode::OK {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
