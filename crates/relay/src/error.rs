//! The relay's one error type, answered in the wire shape. Internal detail goes to the log.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use passwordless_wire::WireError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayError {
    pub status: StatusCode,
    pub wire: WireError,
}

impl RelayError {
    pub fn new(status: StatusCode, error: &str, description: impl Into<String>) -> Self {
        Self {
            status,
            wire: WireError::new(error, description),
        }
    }

    pub fn bad_request(error: &str, description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error, description)
    }
}

impl IntoResponse for RelayError {
    fn into_response(self) -> Response {
        tracing::info!(status = self.status.as_u16(), error = %self.wire.error, "refused");
        (self.status, Json(self.wire)).into_response()
    }
}
