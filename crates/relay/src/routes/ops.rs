//! `/healthz`, `/readyz` and `/metrics`.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde_json::json;

use crate::upstream::Call;
use crate::Relay;

/// The process is up.
pub async fn healthz() -> impl IntoResponse {
    Json(json!({ "status": "ok" }))
}

/// The upstream answers: ready to take traffic.
pub async fn readyz(State(relay): State<Relay>) -> impl IntoResponse {
    let call = Call::get("/.well-known/openid-configuration");
    match relay.upstream().send(call, relay.clock()).await {
        Ok((reply, _)) if reply.status.is_success() => {
            (StatusCode::OK, Json(json!({ "status": "ready" })))
        }
        Ok((reply, _)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(
                json!({ "status": "upstream answered", "upstream_status": reply.status.as_u16() }),
            ),
        ),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "upstream unreachable", "error": e.wire.error })),
        ),
    }
}

pub async fn metrics(State(relay): State<Relay>) -> impl IntoResponse {
    (
        // prometheus-client writes OpenMetrics text (it ends with `# EOF`).
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        relay.metrics().render(),
    )
}
