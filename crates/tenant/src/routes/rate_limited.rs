//! Answers under an hourly per-IP bucket: the `x-ratelimit-*` headers on every answer, and
//! 429 `too_many_requests` with `Retry-After` when the bucket is empty (Auth0's shape).

use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use passwordless_wire::codes;

use crate::error::TenantError;
use crate::failure::Failure;
use crate::rate_limit::Decision;

/// `answer()` when `decision` allows it, else 429; with the bucket's headers either way.
pub(crate) fn admitted(
    decision: Result<Decision, Failure>,
    answer: impl FnOnce() -> Response,
) -> Response {
    let decision = match decision {
        Ok(decision) => decision,
        Err(failure) => return TenantError::from(failure).into_response(),
    };
    let mut response = if decision.allowed {
        answer()
    } else {
        too_many_requests(&decision)
    };
    headers(response.headers_mut(), &decision);
    response
}

fn too_many_requests(decision: &Decision) -> Response {
    let mut response = TenantError::new(
        StatusCode::TOO_MANY_REQUESTS,
        codes::TOO_MANY_REQUESTS,
        "Too many requests. Check the X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers.",
    )
    .into_response();
    response
        .headers_mut()
        .insert("retry-after", HeaderValue::from(decision.retry_after));
    response
}

fn headers(headers: &mut HeaderMap, decision: &Decision) {
    let mut set = |name: &'static str, value: u64| {
        headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
    };
    set("x-ratelimit-limit", u64::from(decision.limit));
    set("x-ratelimit-remaining", u64::from(decision.remaining));
    set("x-ratelimit-reset", decision.reset);
}
