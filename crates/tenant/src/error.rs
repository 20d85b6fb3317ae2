//! The tenant's one error type: every failure answers in the wire shape
//! `{"error", "error_description"}` with the status Auth0 uses for it. Only the HTTP layer
//! (`routes/`, `dev/routes.rs`) makes them, from the domain's outcomes.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use passwordless_wire::codes;
use passwordless_wire::WireError;

use crate::failure::Failure;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantError {
    pub status: StatusCode,
    pub wire: WireError,
    /// Fields some errors carry besides the two of the wire shape (`mfa_token`, ...).
    pub extra: Option<serde_json::Map<String, serde_json::Value>>,
}

impl TenantError {
    pub fn new(status: StatusCode, error: &str, description: impl Into<String>) -> Self {
        Self {
            status,
            wire: WireError::new(error, description),
            extra: None,
        }
    }

    pub fn with_extra(mut self, extra: serde_json::Map<String, serde_json::Value>) -> Self {
        self.extra = Some(extra);
        self
    }

    pub fn bad_request(error: &str, description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error, description)
    }

    /// Wrong or missing client credentials.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            codes::ACCESS_DENIED,
            "Unauthorized",
        )
    }

    pub fn invalid_grant(description: &str) -> Self {
        Self::new(StatusCode::FORBIDDEN, codes::INVALID_GRANT, description)
    }

    pub fn missing_parameter(name: &str) -> Self {
        Self::bad_request(
            codes::INVALID_REQUEST,
            format!("Missing required parameter: {name}"),
        )
    }

    /// A failure of the tenant itself; the detail goes to the log, not to the caller.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(%detail, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::SERVER_ERROR,
            "The local tenant failed to answer; see its log.",
        )
    }
}

impl IntoResponse for TenantError {
    fn into_response(self) -> Response {
        let mut body = serde_json::Map::new();
        body.insert("error".into(), self.wire.error.into());
        body.insert(
            "error_description".into(),
            self.wire.error_description.into(),
        );
        body.extend(self.extra.unwrap_or_default());
        (self.status, Json(serde_json::Value::Object(body))).into_response()
    }
}

impl From<Failure> for TenantError {
    fn from(failure: Failure) -> Self {
        TenantError::internal(failure)
    }
}

impl From<rusqlite::Error> for TenantError {
    fn from(error: rusqlite::Error) -> Self {
        TenantError::internal(error)
    }
}
