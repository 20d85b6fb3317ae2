//! HTTP: extract, call the tenant, answer.

mod dev;
mod discovery;
mod start;
mod token;

use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;

use crate::codes::constant_time_eq;
use crate::config::Client;
use crate::error::TenantError;
use crate::Tenant;
use passwordless_wire::fields::{string_field, Fields};

/// The Auth0 Authentication API routes of `tenant`.
pub fn app(tenant: Tenant) -> Router {
    Router::new()
        .route("/passwordless/start", post(start::passwordless_start))
        .route("/oauth/token", post(token::oauth_token))
        .route("/.well-known/jwks.json", get(discovery::jwks))
        .route(
            "/.well-known/openid-configuration",
            get(discovery::openid_configuration),
        )
        .with_state(tenant)
}

/// The development-only routes (`/dev/...`): the inbox.
pub fn dev_routes(tenant: Tenant) -> Router {
    Router::new()
        .route("/dev/inbox", get(dev::inbox))
        .with_state(tenant)
}

/// The registered client named by `client_id`, when the call proves it is that client.
/// Confidential clients must send their secret; a wrong or missing one is 401.
fn authenticate<'a>(
    tenant: &'a Tenant,
    fields: &Fields,
    missing_client_id: impl FnOnce() -> TenantError,
) -> Result<&'a Client, TenantError> {
    let client_id = string_field(fields, "client_id")
        .map_err(|_| TenantError::unauthorized())?
        .ok_or_else(missing_client_id)?;
    let client = tenant
        .config()
        .client(client_id)
        .ok_or_else(TenantError::unauthorized)?;
    if let Some(expected) = &client.client_secret {
        let given = match fields.get("client_secret") {
            Some(Value::String(s)) => s.as_str(),
            _ => return Err(TenantError::unauthorized()),
        };
        if !constant_time_eq(expected.as_bytes(), given.as_bytes()) {
            return Err(TenantError::unauthorized());
        }
    }
    Ok(client)
}

fn content_type(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
}
