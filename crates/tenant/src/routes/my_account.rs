//! Auth0's My Account API, its passkey enrolment: `POST /me/v1/authentication-methods`
//! (`{"type": "passkey"}`) answers 201, the new method's `Location` and the creation options;
//! `POST /me/v1/authentication-methods/{id}/verify` keeps the passkey. Both take the user's
//! My Account access token as `Authorization: Bearer`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use passwordless_wire::codes;
use passwordless_wire::names::{METHOD_PASSKEY, MY_ACCOUNT_ENROL_SCOPE, MY_ACCOUNT_METHODS_PATH};
use passwordless_wire::passkey::{MethodEnrolment, MethodVerification, PasskeyCeremony};
use serde_json::{json, Value};

use super::request::{self, header_str, read_as};
use crate::clock::rfc3339;
use crate::config::Client;
use crate::error::TenantError;
use crate::passkeys::enrolment::{self, Verification};
use crate::tenant::Tenant;
use crate::tokens::my_account::{check_bearer, Bearer};
use crate::users::User;

/// `POST /me/v1/authentication-methods`: starts adding a passkey.
pub async fn enrol(State(tenant): State<Tenant>, headers: HeaderMap, body: Bytes) -> Response {
    let (user, client) = match signed_in(&tenant, &headers) {
        Ok(found) => found,
        Err(refused) => return refused.into_response(),
    };
    match start(&tenant, &user, client, &headers, &body) {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

fn start(
    tenant: &Tenant,
    user: &User,
    client: &Client,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, TenantError> {
    let fields = request::read_fields(headers, body)?;
    let wanted: MethodEnrolment = read_as(&fields)?;
    let refuse = |reason: &str| TenantError::bad_request(codes::INVALID_REQUEST, reason);
    if wanted.kind != METHOD_PASSKEY {
        return Err(refuse(
            "Only passkey authentication methods (type \"passkey\") can be enrolled here.",
        ));
    }
    if wanted
        .connection
        .as_deref()
        .is_some_and(|c| c != user.connection.as_str())
    {
        return Err(refuse("connection is not the user's connection"));
    }
    if wanted
        .identity_user_id
        .as_deref()
        .is_some_and(|id| id != user.id)
    {
        return Err(refuse("identity_user_id is not the user's identity"));
    }
    let started = enrolment::start(tenant, user, client)?;
    let encoded: String =
        url::form_urlencoded::byte_serialize(started.method_id.as_bytes()).collect();
    let location = format!(
        "{}{MY_ACCOUNT_METHODS_PATH}/{encoded}",
        tenant.config().issuer_base
    );
    let location = HeaderValue::from_str(&location).map_err(TenantError::internal)?;
    let body = PasskeyCeremony {
        auth_session: started.auth_session,
        authn_params_public_key: started.public_key,
    };
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(body),
    )
        .into_response())
}

/// `POST /me/v1/authentication-methods/{id}/verify`: keeps the new passkey.
pub async fn verify(
    State(tenant): State<Tenant>,
    Path(method_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (user, _) = match signed_in(&tenant, &headers) {
        Ok(found) => found,
        Err(refused) => return refused.into_response(),
    };
    match finish(&tenant, &user, &method_id, &headers, &body) {
        Ok(method) => Json(method).into_response(),
        Err(error) => error.into_response(),
    }
}

fn finish(
    tenant: &Tenant,
    user: &User,
    method_id: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Value, TenantError> {
    let fields = request::read_fields(headers, body)?;
    let verification: MethodVerification = read_as(&fields)?;
    let verified = enrolment::verify(
        tenant,
        user,
        method_id,
        &verification.auth_session,
        &verification.authn_response,
    )?;
    let (stored, handle) = match verified {
        Verification::Saved(stored, handle) => (stored, handle),
        Verification::Refused(refusal) => {
            return Err(TenantError::bad_request(codes::INVALID_GRANT, refusal.0))
        }
    };
    let (backup_eligible, backed_up) = stored.backup_flags();
    Ok(json!({
        "id": stored.method_id,
        "type": METHOD_PASSKEY,
        "created_at": rfc3339(stored.created_at),
        "usage": ["primary"],
        "key_id": stored.credential_id,
        "credential_device_type": if backup_eligible { "multi_device" } else { "single_device" },
        "credential_backed_up": backed_up,
        "identity_user_id": user.id,
        "user_handle": B64URL.encode(handle.as_bytes()),
    }))
}

/// Why a My Account call's token is refused.
enum Refused {
    /// 401 `invalid_token`, saying why.
    Token(&'static str),
    /// 403 `access_denied`: the token lacks the enrolment scope.
    Scope,
    Failed(TenantError),
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let (error, challenge) = match self {
            Refused::Token(reason) => (
                TenantError::new(StatusCode::UNAUTHORIZED, codes::INVALID_TOKEN, reason),
                "Bearer error=\"invalid_token\"",
            ),
            Refused::Scope => (
                TenantError::new(
                    StatusCode::FORBIDDEN,
                    codes::ACCESS_DENIED,
                    format!("Insufficient scope: the access token needs {MY_ACCOUNT_ENROL_SCOPE}"),
                ),
                "Bearer error=\"insufficient_scope\"",
            ),
            Refused::Failed(error) => return error.into_response(),
        };
        let mut response = error.into_response();
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(challenge),
        );
        response
    }
}

/// The user of the request's My Account token with the enrolment scope, and its client.
fn signed_in<'a>(tenant: &'a Tenant, headers: &HeaderMap) -> Result<(User, &'a Client), Refused> {
    let token = header_str(headers, header::AUTHORIZATION.as_str())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let Some(token) = token else {
        return Err(Refused::Token(
            "Missing access token: send Authorization: Bearer MY_ACCOUNT_ACCESS_TOKEN",
        ));
    };
    let checked = check_bearer(tenant, token, MY_ACCOUNT_ENROL_SCOPE)
        .map_err(|failure| Refused::Failed(failure.into()))?;
    match checked {
        Bearer::Valid { user, client_id } => match tenant.config().client(&client_id) {
            Some(client) => Ok((user, client)),
            None => Err(Refused::Token("The access token's application is unknown")),
        },
        Bearer::Invalid(reason) => Err(Refused::Token(reason)),
        Bearer::MissingScope => Err(Refused::Scope),
    }
}
