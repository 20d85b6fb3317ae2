//! What every handler reads from a request: the client's credentials, the IP it counts as,
//! the fields of a JSON or form body, headers and the socket peer.

use passwordless_wire::codes;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use passwordless_wire::email::EmailProblem;
use passwordless_wire::fields::{parse_fields, string_field, Fields};
use passwordless_wire::typed_fields;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::config::Client;
use crate::error::TenantError;
use crate::hashing::constant_time_eq;
use crate::identifiers::{checked_email, is_e164};
use crate::tenant::Tenant;

/// A client that proved who it is, and whether it did so with its secret.
pub(crate) struct Authenticated<'a> {
    pub client: &'a Client,
    pub with_secret: bool,
}

/// The registered client named by `client_id`, when the call proves it is that client.
/// Confidential clients must send their secret; a wrong or missing one is 401.
pub(crate) fn authenticate<'a>(
    tenant: &'a Tenant,
    fields: &Fields,
    missing_client_id: impl FnOnce() -> TenantError,
) -> Result<Authenticated<'a>, TenantError> {
    let client_id = string_field(fields, "client_id")
        .map_err(|_| TenantError::unauthorized())?
        .ok_or_else(missing_client_id)?;
    let client = tenant
        .config()
        .client(client_id)
        .ok_or_else(TenantError::unauthorized)?;
    let Some(expected) = &client.client_secret else {
        return Ok(Authenticated {
            client,
            with_secret: false,
        });
    };
    let given = match fields.get("client_secret") {
        Some(Value::String(s)) => s.as_str(),
        _ => return Err(TenantError::unauthorized()),
    };
    if !constant_time_eq(expected.as_bytes(), given.as_bytes()) {
        return Err(TenantError::unauthorized());
    }
    Ok(Authenticated {
        client,
        with_secret: true,
    })
}

/// The IP a request counts as: the `auth0-forwarded-for` one only for a client that proved
/// itself with its secret and is marked to trust it; else the socket peer's.
pub(crate) fn counted_ip(
    authenticated: Option<&Authenticated<'_>>,
    headers: &HeaderMap,
    peer: Option<IpAddr>,
) -> String {
    let trusted = authenticated
        .filter(|a| a.with_secret && a.client.trust_forwarded_for)
        .and_then(|_| header_str(headers, passwordless_wire::FORWARDED_FOR_HEADER))
        .and_then(|ip| ip.trim().parse::<IpAddr>().ok());
    trusted
        .or(peer)
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

/// The fields of a JSON or form body; a malformed one is `invalid_request`.
pub(crate) fn read_fields(headers: &HeaderMap, body: &[u8]) -> Result<Fields, TenantError> {
    parse_fields(content_type(headers), body)
        .map_err(|e| TenantError::bad_request(codes::INVALID_REQUEST, e))
}

/// The fields as one of the contract's request types (`passwordless_wire::typed_fields`: in
/// the type's order, absent or empty is not given); the first problem is `invalid_request`.
pub(crate) fn read_as<T: DeserializeOwned>(fields: &Fields) -> Result<T, TenantError> {
    typed_fields::read(fields)
        .map_err(|e| TenantError::bad_request(codes::INVALID_REQUEST, e.to_string()))
}

/// A string field that must be present and non-empty.
pub(crate) fn required<'a>(fields: &'a Fields, name: &str) -> Result<&'a str, TenantError> {
    optional(fields, name)?.ok_or_else(|| TenantError::missing_parameter(name))
}

/// A string field, `None` when absent or empty; a non-string is `invalid_request`.
pub(crate) fn optional<'a>(fields: &'a Fields, name: &str) -> Result<Option<&'a str>, TenantError> {
    Ok(string_field(fields, name)
        .map_err(|e| TenantError::bad_request(codes::INVALID_REQUEST, e))?
        .filter(|v| !v.is_empty()))
}

pub(crate) fn content_type(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
}

pub(crate) fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The socket peer's IP, when the server was started with connect info.
pub struct PeerIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for PeerIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(PeerIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|info| info.0.ip()),
        ))
    }
}

/// An email address in the one form the policy keeps, or `bad.email` in Auth0's words
/// (`/passwordless/start` and `/passkey/register` alike).
pub(crate) fn email_identifier(raw: &str) -> Result<String, TenantError> {
    checked_email(raw).map_err(|problem| match problem {
        EmailProblem::Malformed => TenantError::bad_request(
            codes::BAD_EMAIL,
            format!("Object didn't pass validation for format email: {raw}"),
        ),
        _ => TenantError::bad_request(codes::BAD_EMAIL, format!("email {}", problem.description())),
    })
}

/// An E.164 phone number, or `bad.phone_number` in Auth0's words.
pub(crate) fn phone_identifier(raw: &str) -> Result<String, TenantError> {
    if !is_e164(raw) {
        return Err(TenantError::bad_request(
            codes::BAD_PHONE_NUMBER,
            "String does not match pattern: ^\\+[0-9]{1,15}$",
        ));
    }
    Ok(raw.to_owned())
}
