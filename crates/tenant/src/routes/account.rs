//! `GET /userinfo` and `POST /oauth/revoke`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use passwordless_wire::codes;
use passwordless_wire::token::Revocation;
use serde_json::{json, Value};

use super::request;
use crate::error::TenantError;
use crate::tenant::Tenant;
use crate::tokens;

/// The signed-in user's claims, for a live access token.
pub async fn userinfo(State(tenant): State<Tenant>, headers: HeaderMap) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let Some(token) = token else {
        return unauthorized("Missing access token: send Authorization: Bearer ACCESS_TOKEN");
    };
    match tokens::userinfo(&tenant, token) {
        Ok(Some((user, scope))) => {
            let mut claims = tokens::profile_claims(&user, &scope);
            claims.insert("sub".into(), json!(user.sub()));
            Json(Value::Object(claims)).into_response()
        }
        Ok(None) => unauthorized("The access token is invalid or has expired"),
        Err(failure) => TenantError::from(failure).into_response(),
    }
}

fn unauthorized(description: &str) -> Response {
    let mut response =
        TenantError::new(StatusCode::UNAUTHORIZED, codes::INVALID_TOKEN, description)
            .into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer error=\"invalid_token\""),
    );
    response
}

/// Revokes a refresh token (RFC 7009: unknown tokens are not an error).
pub async fn revoke(
    State(tenant): State<Tenant>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, TenantError> {
    let fields = request::read_fields(&headers, &body)?;
    let client = request::authenticate(&tenant, &fields, || {
        TenantError::missing_parameter("client_id")
    })?
    .client;
    let revocation: Revocation = request::read_as(&fields)?;
    tokens::refresh::revoke(&tenant, &revocation.token, &client.client_id)?;
    Ok(StatusCode::OK)
}
