//! The relay's one error type, answered in the wire shape. Internal detail goes to the log.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use passwordless_wire::WireError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayError {
    pub status: StatusCode,
    pub wire: WireError,
    /// Seconds for `Retry-After`, on 429.
    pub retry_after: Option<u64>,
}

impl RelayError {
    pub fn new(status: StatusCode, error: &str, description: impl Into<String>) -> Self {
        Self {
            status,
            wire: WireError::new(error, description),
            retry_after: None,
        }
    }

    pub fn bad_request(error: &str, description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error, description)
    }
}

impl IntoResponse for RelayError {
    fn into_response(self) -> Response {
        tracing::info!(
            status = self.status.as_u16(),
            error = %self.wire.error,
            reason = %self.wire.error_description,
            "refused"
        );
        let mut response = (self.status, Json(self.wire)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}
