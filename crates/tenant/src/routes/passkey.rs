//! `POST /passkey/register` and `POST /passkey/challenge` (Auth0's Passkey APIs for embedded
//! applications): authenticate the client, count the IP, check the profile as a start checks
//! it, and answer `{auth_session, authn_params_public_key}`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use passwordless_wire::codes;
use passwordless_wire::fields::Fields;
use passwordless_wire::passkey::{PasskeyCeremony, PasskeyChallenge, PasskeyRegister};

use super::rate_limited::admitted;
use super::request::{self, counted_ip, email_identifier, phone_identifier, read_as, PeerIp};
use crate::config::Client;
use crate::connection::Connection;
use crate::error::TenantError;
use crate::passkeys::sign_up::{self, SignUp};
use crate::passkeys::{self, sign_in, Started};
use crate::tenant::Tenant;

pub async fn register(
    State(tenant): State<Tenant>,
    PeerIp(peer): PeerIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    counted(&tenant, peer, &headers, &body, |tenant, client, fields| {
        let register: PasskeyRegister = read_as(fields)?;
        let sign_up = sign_up_of(&register)?;
        answer(sign_up::start(tenant, client, &sign_up)?, Some(&sign_up))
    })
}

pub async fn challenge(
    State(tenant): State<Tenant>,
    PeerIp(peer): PeerIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    counted(&tenant, peer, &headers, &body, |tenant, client, fields| {
        let challenge: PasskeyChallenge = read_as(fields)?;
        let realm = challenge.realm.as_deref().map(realm).transpose()?;
        answer(sign_in::start(tenant, client, realm)?, None)
    })
}

/// `work` for the authenticated client, under the per-IP bucket of passkey ceremonies.
fn counted(
    tenant: &Tenant,
    peer: Option<std::net::IpAddr>,
    headers: &HeaderMap,
    body: &[u8],
    work: impl FnOnce(&Tenant, &Client, &Fields) -> Result<Json<PasskeyCeremony>, TenantError>,
) -> Response {
    let fields = match request::read_fields(headers, body) {
        Ok(fields) => fields,
        Err(error) => return error.into_response(),
    };
    let authenticated = request::authenticate(tenant, &fields, || {
        TenantError::missing_parameter("client_id")
    });
    let ip = counted_ip(authenticated.as_ref().ok(), headers, peer);
    admitted(passkeys::admit(tenant, &ip), || {
        authenticated
            .and_then(|a| work(tenant, a.client, &fields))
            .into_response()
    })
}

/// The wire answer to a started ceremony (of `sign_up` when it is one).
fn answer(
    started: Started,
    sign_up: Option<&SignUp>,
) -> Result<Json<PasskeyCeremony>, TenantError> {
    match started {
        Started::Ceremony {
            auth_session,
            public_key,
        } => Ok(Json(PasskeyCeremony {
            auth_session,
            authn_params_public_key: public_key,
        })),
        Started::UserExists => Err(TenantError::bad_request(
            codes::USER_EXISTS,
            format!(
                "A user with this {} already exists: sign in with a code, then add a passkey.",
                match sign_up.map(|s| s.connection) {
                    Some(Connection::Sms) => "phone number",
                    _ => "email",
                }
            ),
        )),
        Started::ConnectionDisabled => Err(TenantError::bad_request(
            codes::BAD_CONNECTION,
            "Connection is disabled",
        )),
    }
}

fn realm(name: &str) -> Result<Connection, TenantError> {
    Connection::parse(name)
        .ok_or_else(|| TenantError::bad_request(codes::BAD_CONNECTION, "Connection does not exist"))
}

/// The longest `user_profile.name` kept (Auth0's limit for a user's name).
const MAX_NAME_CHARS: usize = 300;

/// Who signs up, checked as `/passwordless/start` checks an email or a phone number.
fn sign_up_of(register: &PasskeyRegister) -> Result<SignUp, TenantError> {
    let profile = &register.user_profile;
    let given = |field: &Option<String>| field.clone().filter(|v| !v.is_empty());
    let (connection, identifier) = match (given(&profile.email), given(&profile.phone_number)) {
        (Some(email), None) => (Connection::Email, email_identifier(&email)?),
        (None, Some(phone)) => (Connection::Sms, phone_identifier(&phone)?),
        _ => {
            return Err(TenantError::bad_request(
                codes::INVALID_REQUEST,
                "user_profile must have either email or phone_number",
            ))
        }
    };
    if let Some(named) = register.realm.as_deref() {
        if realm(named)? != connection {
            return Err(TenantError::bad_request(
                codes::INVALID_REQUEST,
                format!("realm {named:?} does not match user_profile"),
            ));
        }
    }
    let name = given(&profile.name);
    if name
        .as_ref()
        .is_some_and(|n| n.chars().count() > MAX_NAME_CHARS)
    {
        return Err(TenantError::bad_request(
            codes::INVALID_REQUEST,
            format!("user_profile.name must be at most {MAX_NAME_CHARS} characters"),
        ));
    }
    Ok(SignUp {
        connection,
        identifier,
        name,
    })
}
