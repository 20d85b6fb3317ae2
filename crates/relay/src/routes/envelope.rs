//! What every request goes through, outermost first: an id (tower-http's request-id layers:
//! kept when a proxy in front set `x-request-id`, else made from the relay's RNG, and answered
//! as `x-request-id`), a span and one log line per answer (tower-http's trace layer), and the
//! whole-request time limit (tower's timeout, answered in the wire error shape: tower-http's
//! timeout layer answers an empty body).

use passwordless_wire::codes;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::error_handling::HandleErrorLayer;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{BoxError, Router};
use rand::rngs::StdRng;
use rand::RngCore;
use tower::ServiceBuilder;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::error::RelayError;

/// Request ids: 16 hex digits from the relay's RNG (seeded by the caller, so tests can know
/// them).
#[derive(Clone)]
pub struct RequestIds(Arc<Mutex<StdRng>>);

impl RequestIds {
    pub fn new(rng: StdRng) -> Self {
        Self(Arc::new(Mutex::new(rng)))
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.0.lock().ok()?.next_u64();
        HeaderValue::from_str(&format!("{n:016x}"))
            .ok()
            .map(RequestId::new)
    }
}

/// Wraps `routes` (CORS included, so that a timeout's answer carries CORS headers too).
pub fn wrap(routes: Router, ids: RequestIds, limit: Duration) -> Router {
    routes
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(timed_out))
                .timeout(limit),
        )
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(ids))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(span)
                        .on_request(())
                        .on_response(answered)
                        .on_failure(()),
                )
                .layer(PropagateRequestIdLayer::x_request_id()),
        )
}

fn span(request: &Request) -> Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!("request", id = %id, method = %request.method(), path = %request.uri().path())
}

fn answered(response: &Response, latency: Duration, _: &Span) {
    tracing::info!(
        status = response.status().as_u16(),
        elapsed_ms = latency.as_millis() as u64,
        "answered"
    );
}

async fn timed_out(error: BoxError) -> Response {
    if error.is::<tower::timeout::error::Elapsed>() {
        RelayError::new(
            StatusCode::GATEWAY_TIMEOUT,
            codes::REQUEST_TIMEOUT,
            "The request took too long.",
        )
        .into_response()
    } else {
        RelayError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::SERVER_ERROR,
            "The relay could not answer.",
        )
        .into_response()
    }
}
