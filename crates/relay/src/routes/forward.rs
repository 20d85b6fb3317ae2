//! The forwarded calls: read and check the browser's request, apply the rules and the
//! relay's own limits, call the upstream, pass its answer back.

use passwordless_wire::codes;
use std::net::{IpAddr, SocketAddr};

use axum::body::Body;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use passwordless_wire::fields::{media_type, parse_fields, Fields};
use passwordless_wire::WireError;

use crate::client_ip::client_ip;
use crate::error::RelayError;
use crate::limits::{Bucket, Subject, Verdict};
use crate::rules;
use crate::upstream::{Call, UpstreamReply};
use crate::Relay;

/// Browsers never need more than this for these calls.
const BODY_LIMIT: usize = 16 * 1024;

/// Which media types a route takes.
#[derive(Clone, Copy)]
pub(super) enum Accepts {
    Json,
    JsonOrForm,
}

/// Reads a body: `415` for a wrong media type, `413` past the limit, `400` when malformed.
pub(super) async fn read_fields(
    headers: &HeaderMap,
    body: Body,
    accepts: Accepts,
    error: &str,
) -> Result<Fields, RelayError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let media = media_type(content_type);
    let accepted = match accepts {
        Accepts::Json => media == "application/json",
        Accepts::JsonOrForm => {
            media == "application/json" || media == "application/x-www-form-urlencoded"
        }
    };
    if !accepted {
        let wanted = match accepts {
            Accepts::Json => "application/json",
            Accepts::JsonOrForm => "application/json or application/x-www-form-urlencoded",
        };
        return Err(RelayError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            codes::UNSUPPORTED_MEDIA_TYPE,
            format!("Send the body as {wanted}."),
        ));
    }
    let bytes = axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|_| {
        RelayError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            codes::PAYLOAD_TOO_LARGE,
            format!("The body must be at most {BODY_LIMIT} bytes."),
        )
    })?;
    parse_fields(content_type, &bytes).map_err(|e| RelayError::bad_request(error, e))
}

pub(super) fn rate_limited(verdict: Verdict, what: &str) -> RelayError {
    let mut error = RelayError::new(
        StatusCode::TOO_MANY_REQUESTS,
        codes::TOO_MANY_REQUESTS,
        format!(
            "Too many {what}. Try again in {} seconds.",
            verdict.retry_after
        ),
    );
    error.retry_after = Some(verdict.retry_after);
    error
}

/// The client's IP: the peer's, or what trusted proxies say.
pub(super) fn ip_of(relay: &Relay, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    client_ip(peer.ip(), headers, &relay.config().trusted_proxies)
}

/// Counts the request in the metrics by how it ended.
pub(super) fn finish(
    relay: &Relay,
    route: &'static str,
    result: Result<Response, RelayError>,
) -> Response {
    let outcome = match &result {
        Ok(response) if response.status().is_success() => "ok",
        Ok(_) => "upstream_error",
        Err(e) if e.status == StatusCode::TOO_MANY_REQUESTS => "rate_limited",
        Err(e)
            if e.status == StatusCode::BAD_GATEWAY || e.status == StatusCode::GATEWAY_TIMEOUT =>
        {
            "unavailable"
        }
        Err(_) => "refused",
    };
    relay.metrics().request(route, outcome);
    result.unwrap_or_else(IntoResponse::into_response)
}

/// Calls the upstream and passes its answer back as it came.
pub(super) async fn forward(
    relay: &Relay,
    route: &'static str,
    upstream: Call<'_>,
) -> Result<Response, RelayError> {
    Ok(pass_through(call(relay, route, upstream).await?))
}

pub(super) async fn call(
    relay: &Relay,
    route: &'static str,
    call: Call<'_>,
) -> Result<UpstreamReply, RelayError> {
    let (reply, elapsed) = relay.upstream().send(call, relay.clock()).await?;
    relay.metrics().upstream_latency(route, elapsed);
    Ok(reply)
}

/// The limits of a sign-in's first call (`/passwordless/start`, and the passkey ceremonies'
/// one budget with it): one cell of the client's, then one of each identifier's, which
/// `identifier_what` names in the refusal.
pub(super) async fn limit_sign_in(
    relay: &Relay,
    ip: IpAddr,
    identifiers: &[String],
    identifier_what: &str,
) -> Result<(), RelayError> {
    let verdict = relay
        .limiter()
        .hit(Bucket::StartIp, &Subject::client(ip))
        .await;
    if !verdict.allowed {
        return Err(rate_limited(verdict, "sign-in attempts from this address"));
    }
    for identifier in identifiers {
        let verdict = relay
            .limiter()
            .hit(Bucket::StartIdentifier, &Subject::identifier(identifier))
            .await;
        if !verdict.allowed {
            return Err(rate_limited(verdict, identifier_what));
        }
    }
    Ok(())
}

pub async fn passwordless_start(
    State(relay): State<Relay>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        let fields = read_fields(&headers, body, Accepts::Json, codes::BAD_REQUEST).await?;
        let start = rules::start_body(relay.config(), &fields)?;
        let ip = ip_of(&relay, peer, &headers);
        limit_sign_in(
            &relay,
            ip,
            start.identifier.as_slice(),
            "codes sent to this address",
        )
        .await?;
        let reply = call(
            &relay,
            "start",
            Call {
                language: Some(&headers),
                ..Call::post("/passwordless/start", &start.body, ip)
            },
        )
        .await?;
        Ok(pass_through(reply))
    }
    .await;
    finish(&relay, "start", result)
}

pub async fn oauth_token(
    State(relay): State<Relay>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        let fields =
            read_fields(&headers, body, Accepts::JsonOrForm, codes::INVALID_REQUEST).await?;
        let upstream_body = rules::token_body(relay.config(), &fields)?;
        let ip = ip_of(&relay, peer, &headers);
        let subject = Subject::client(ip);
        let verdict = relay.limiter().peek(Bucket::FailedToken, &subject).await;
        if !verdict.allowed {
            return Err(rate_limited(verdict, "failed sign-ins from this address"));
        }
        let reply = call(
            &relay,
            "token",
            Call::post("/oauth/token", &upstream_body, ip),
        )
        .await?;
        // Waiting for a push is not a failure; anything else refused is.
        let pending = reply.status == StatusCode::BAD_REQUEST
            && serde_json::from_slice::<WireError>(&reply.body).is_ok_and(|e| {
                e.error == codes::AUTHORIZATION_PENDING || e.error == codes::SLOW_DOWN
            });
        if reply.status.is_client_error() && !pending {
            relay.limiter().hit(Bucket::FailedToken, &subject).await;
        }
        Ok(pass_through(reply))
    }
    .await;
    finish(&relay, "token", result)
}

/// Signing out: the browser's refresh token revoked with the relay's credentials.
pub async fn oauth_revoke(
    State(relay): State<Relay>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        let fields =
            read_fields(&headers, body, Accepts::JsonOrForm, codes::INVALID_REQUEST).await?;
        let upstream_body = rules::revoke_body(relay.config(), &fields)?;
        let ip = ip_of(&relay, peer, &headers);
        forward(
            &relay,
            "revoke",
            Call::post("/oauth/revoke", &upstream_body, ip),
        )
        .await
    }
    .await;
    finish(&relay, "revoke", result)
}

/// The token of `Authorization: Bearer TOKEN`, when there is one.
pub(super) fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .filter(|t| !t.trim().is_empty())
}

fn bearer(headers: &HeaderMap) -> Result<&str, RelayError> {
    bearer_token(headers).ok_or_else(|| {
        RelayError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Send the mfa_token as Authorization: Bearer MFA_TOKEN",
        )
    })
}

pub async fn mfa_authenticators(State(relay): State<Relay>, headers: HeaderMap) -> Response {
    let result = async {
        let token = bearer(&headers)?;
        forward(
            &relay,
            "mfa",
            Call::get("/mfa/authenticators").bearer(token),
        )
        .await
    }
    .await;
    finish(&relay, "mfa_authenticators", result)
}

pub async fn mfa_delete(
    State(relay): State<Relay>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        let token = bearer(&headers)?;
        if id.is_empty()
            || !id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"|_-.".contains(&b))
        {
            return Err(RelayError::bad_request(
                codes::INVALID_REQUEST,
                "That is not an authenticator id.",
            ));
        }
        let path = format!("/mfa/authenticators/{id}");
        forward(
            &relay,
            "mfa",
            Call::new(Method::DELETE, &path).bearer(token),
        )
        .await
    }
    .await;
    finish(&relay, "mfa_delete", result)
}

pub async fn mfa_challenge(
    State(relay): State<Relay>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        let fields = read_fields(&headers, body, Accepts::Json, codes::INVALID_REQUEST).await?;
        let upstream_body = rules::challenge_body(relay.config(), &fields);
        forward(
            &relay,
            "mfa",
            Call::post(
                "/mfa/challenge",
                &upstream_body,
                ip_of(&relay, peer, &headers),
            ),
        )
        .await
    }
    .await;
    finish(&relay, "mfa_challenge", result)
}

pub async fn mfa_associate(
    State(relay): State<Relay>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        let token = bearer(&headers)?.to_owned();
        let fields = read_fields(&headers, body, Accepts::Json, codes::INVALID_REQUEST).await?;
        let upstream_body = rules::associate_body(relay.config(), &fields)?;
        forward(
            &relay,
            "mfa",
            Call::post(
                "/mfa/associate",
                &upstream_body,
                ip_of(&relay, peer, &headers),
            )
            .bearer(&token),
        )
        .await
    }
    .await;
    finish(&relay, "mfa_associate", result)
}

/// The upstream's answer as it came: status, body (capped) and the headers worth passing.
pub fn pass_through(reply: UpstreamReply) -> Response {
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() = reply.status;
    *response.headers_mut() = reply.headers;
    response
        .headers_mut()
        .entry(header::CONTENT_TYPE)
        .or_insert(HeaderValue::from_static("application/json"));
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
