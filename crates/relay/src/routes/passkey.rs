//! Passkeys: Auth0's `/passkey/register` and `/passkey/challenge` (sign-up and sign-in; the
//! webauthn grant that ends them goes through `/oauth/token`), and the My Account API's
//! passkey enrolment for a signed-in user, authenticated by the user's own access token.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use passwordless_wire::codes;
use passwordless_wire::names::{
    MY_ACCOUNT_METHODS_PATH, PASSKEY_CHALLENGE_PATH, PASSKEY_REGISTER_PATH,
};
use percent_encoding::percent_decode_str;

use super::forward::{
    bearer_token, call, finish, forward, ip_of, limit_sign_in, pass_through, read_fields, Accepts,
};
use crate::error::RelayError;
use crate::rules::passkey::{
    challenge_body, enrolment_body, method_id_segment, register_body, verification_body,
};
use crate::upstream::{Call, UpstreamReply};
use crate::Relay;

/// A passkey sign-up: limited per client and per email / phone number, in the same budget as
/// `/passwordless/start` (both begin a sign-in).
pub async fn register(
    State(relay): State<Relay>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        let fields = read_fields(&headers, body, Accepts::Json, codes::INVALID_REQUEST).await?;
        let register = register_body(relay.config(), &fields)?;
        let ip = ip_of(&relay, peer, &headers);
        limit_sign_in(
            &relay,
            ip,
            &register.identifiers,
            "sign-ups for this address",
        )
        .await?;
        forward(
            &relay,
            "passkey",
            Call::post(PASSKEY_REGISTER_PATH, &register.body, ip),
        )
        .await
    }
    .await;
    finish(&relay, "passkey_register", result)
}

/// A passkey sign-in's challenge: limited per client, in the start budget.
pub async fn challenge(
    State(relay): State<Relay>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        let fields = read_fields(&headers, body, Accepts::Json, codes::INVALID_REQUEST).await?;
        let upstream_body = challenge_body(relay.config(), &fields)?;
        let ip = ip_of(&relay, peer, &headers);
        limit_sign_in(&relay, ip, &[], "").await?;
        forward(
            &relay,
            "passkey",
            Call::post(PASSKEY_CHALLENGE_PATH, &upstream_body, ip),
        )
        .await
    }
    .await;
    finish(&relay, "passkey_challenge", result)
}

/// `POST /me/v1/authentication-methods`: a passkey enrolment, with the user's token.
pub async fn enrol(
    State(relay): State<Relay>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        let token = user_token(&headers)?.to_owned();
        let fields = read_fields(&headers, body, Accepts::Json, codes::INVALID_REQUEST).await?;
        let upstream_body = enrolment_body(&fields)?;
        let ip = ip_of(&relay, peer, &headers);
        let mut reply = call(
            &relay,
            "my_account",
            Call::post(MY_ACCOUNT_METHODS_PATH, &upstream_body, ip)
                .bearer(&token)
                .with_location(),
        )
        .await?;
        relative_location(&mut reply);
        Ok(pass_through(reply))
    }
    .await;
    finish(&relay, "my_account_enrol", result)
}

/// `POST /me/v1/authentication-methods/{id}/verify`: the new passkey, saved.
pub async fn verify(
    State(relay): State<Relay>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    body: Body,
) -> Response {
    let result = async {
        let token = user_token(&headers)?.to_owned();
        let Path(id) = id.map_err(|_| not_a_method_id())?;
        let segment = method_id_segment(&id)?;
        let fields = read_fields(&headers, body, Accepts::Json, codes::INVALID_REQUEST).await?;
        let upstream_body = verification_body(&fields)?;
        let path = format!("{MY_ACCOUNT_METHODS_PATH}/{segment}/verify");
        forward(
            &relay,
            "my_account",
            Call::post(&path, &upstream_body, ip_of(&relay, peer, &headers)).bearer(&token),
        )
        .await
    }
    .await;
    finish(&relay, "my_account_verify", result)
}

/// The user's My Account token; without one the call never leaves the relay.
fn user_token(headers: &HeaderMap) -> Result<&str, RelayError> {
    bearer_token(headers).ok_or_else(|| {
        RelayError::new(
            StatusCode::UNAUTHORIZED,
            codes::INVALID_TOKEN,
            "Send the user's My Account access token as Authorization: Bearer ACCESS_TOKEN",
        )
    })
}

fn not_a_method_id() -> RelayError {
    RelayError::bad_request(
        codes::INVALID_REQUEST,
        "That is not an authentication method id.",
    )
}

/// The new method's `Location`, made relative to the enrolment's own URL:
/// `authentication-methods/{id}`. The browser resolves it to the relay's path whatever prefix
/// a proxy mounts the relay under (`/auth/me/v1/authentication-methods/{id}`), and the
/// identity provider's origin never reaches the page. Only the id (the last segment) is
/// kept, checked as a verify call would check it; a `Location` without one is dropped.
fn relative_location(reply: &mut UpstreamReply) {
    let Some(location) = reply.headers.remove(header::LOCATION) else {
        return;
    };
    let id = location
        .to_str()
        .ok()
        .and_then(|l| l.split(['?', '#']).next())
        .and_then(|path| path.rsplit('/').next())
        .and_then(|last| percent_decode_str(last).decode_utf8().ok())
        .and_then(|id| method_id_segment(&id).ok());
    let relative = id
        .map(|segment| format!("authentication-methods/{segment}"))
        .and_then(|l| HeaderValue::from_str(&l).ok());
    match relative {
        Some(value) => {
            reply.headers.insert(header::LOCATION, value);
        }
        None => tracing::warn!(?location, "upstream Location names no method id; dropped"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location_of(upstream: &str) -> Option<String> {
        let mut headers = HeaderMap::new();
        headers.insert(header::LOCATION, HeaderValue::from_str(upstream).ok()?);
        let mut reply = UpstreamReply {
            status: StatusCode::CREATED,
            headers,
            body: bytes::Bytes::new(),
        };
        relative_location(&mut reply);
        let location = reply.headers.get(header::LOCATION)?;
        location.to_str().ok().map(str::to_owned)
    }

    #[test]
    fn the_new_methods_location_is_relative_to_the_enrolment() {
        for upstream in [
            "https://tenant.example/me/v1/authentication-methods/passkey%7Cdev_1",
            "https://tenant.example/me/v1/authentication-methods/passkey|dev_1",
            "/me/v1/authentication-methods/passkey%7cdev_1?x=1#f",
            "passkey|dev_1",
        ] {
            assert_eq!(
                location_of(upstream).as_deref(),
                Some("authentication-methods/passkey%7Cdev_1"),
                "{upstream}"
            );
        }
        for upstream in [
            "https://tenant.example/me/v1/authentication-methods/",
            "https://tenant.example/me/v1/authentication-methods/..",
            "https://tenant.example/me/v1/authentication-methods/a%2Fb",
        ] {
            assert_eq!(location_of(upstream), None, "{upstream}");
        }
    }
}
