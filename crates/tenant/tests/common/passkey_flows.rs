//! Helpers of the passkey suites: a tenant whose relying party is `localhost` and whose demo
//! client runs at `http://localhost:8080`, and the calls of a passkey sign-up, sign-in and My
//! Account enrolment. Test files include it with `#[path]` beside `common` and `authenticator`.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use serde_json::{json, Value};

use crate::authenticator::Authenticator;
use crate::common::*;

pub const ORIGIN: &str = "http://localhost:8080";
pub const WEBAUTHN_GRANT: &str = "urn:okta:params:oauth:grant-type:webauthn";
pub const MY_ACCOUNT: &str = "http://127.0.0.1:8081/me/";
pub const ENROL_SCOPE: &str = "create:me:authentication_methods";

/// A tenant with `rp_id = "localhost"` whose demo client also allows [`ORIGIN`].
pub fn passkey_tenant() -> TestTenant {
    TestTenant::with(|config| {
        config.rp_id = Some("localhost".into());
        config.rp_name = Some("Local tenant".into());
        for client in &mut config.clients {
            client.allowed_origins.push(ORIGIN.into());
        }
    })
}

pub async fn register(tenant: &TestTenant, body: Value) -> (StatusCode, Value) {
    let mut full = json!({ "client_id": CLIENT, "client_secret": SECRET });
    for (k, v) in body.as_object().unwrap() {
        full[k] = v.clone();
    }
    tenant.post_json("/passkey/register", full).await
}

pub async fn challenge(tenant: &TestTenant) -> (StatusCode, Value) {
    tenant
        .post_json(
            "/passkey/challenge",
            json!({ "client_id": CLIENT, "client_secret": SECRET }),
        )
        .await
}

/// The webauthn grant for `auth_session` with the browser's `authn_response`.
pub async fn grant(
    tenant: &TestTenant,
    auth_session: &Value,
    response: Value,
) -> (StatusCode, Value) {
    tenant
        .token(json!({
            "grant_type": WEBAUTHN_GRANT, "auth_session": auth_session,
            "authn_response": response, "scope": "openid profile email offline_access",
        }))
        .await
}

/// Signs `email` up with a new passkey: the authenticator and the token answer.
pub async fn sign_up(tenant: &TestTenant, email: &str) -> (Authenticator, Value) {
    let (status, ceremony) = register(tenant, json!({ "user_profile": { "email": email } })).await;
    assert_eq!(status, StatusCode::OK, "{ceremony}");
    let mut authenticator = Authenticator::new();
    let created = authenticator.create(&ceremony["authn_params_public_key"], ORIGIN);
    let (status, tokens) = grant(tenant, &ceremony["auth_session"], created).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    (authenticator, tokens)
}

/// A sign-in with `authenticator`'s passkey: the grant's status and answer.
pub async fn sign_in(
    tenant: &TestTenant,
    authenticator: &mut Authenticator,
) -> (StatusCode, Value) {
    let (status, ceremony) = challenge(tenant).await;
    assert_eq!(status, StatusCode::OK, "{ceremony}");
    let asserted = authenticator.get(&ceremony["authn_params_public_key"], ORIGIN);
    grant(tenant, &ceremony["auth_session"], asserted).await
}

/// The `sub` of a token answer's ID token.
pub fn sub(tokens: &Value) -> String {
    let id_token = tokens["id_token"].as_str().expect("an ID token");
    jwt_claims(id_token)["sub"].as_str().unwrap().to_owned()
}

/// Signs `email` in with a code, asking for a refresh token: the token answer.
pub async fn code_sign_in(tenant: &TestTenant, email: &str) -> Value {
    tenant.start_email(email).await;
    let code = tenant.latest_code(email).await;
    let (status, tokens) = tenant
        .token(
            json!({ "grant_type": OTP_GRANT, "username": email, "otp": code,
                       "realm": "email", "scope": "openid profile email offline_access" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    tokens
}

/// A My Account access token from `refresh_token` (the refresh grant with its audience).
pub async fn my_account_token(tenant: &TestTenant, refresh_token: &Value) -> String {
    let (status, tokens) = tenant
        .token(
            json!({ "grant_type": "refresh_token", "refresh_token": refresh_token,
                       "audience": MY_ACCOUNT, "scope": ENROL_SCOPE }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    tokens["access_token"].as_str().unwrap().to_owned()
}

/// A POST with `Authorization: Bearer token` (none when `token` is `None`): status, headers,
/// JSON body.
pub async fn post_bearer(
    tenant: &TestTenant,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> (StatusCode, HeaderMap, Value) {
    let mut request = Request::post(path).header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let (status, headers, bytes) = tenant
        .send_raw(request.body(Body::from(body.to_string())).unwrap())
        .await;
    (
        status,
        headers,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// Enrols a new passkey for the holder of `token`: the authenticator and the verify answer.
pub async fn enrol(tenant: &TestTenant, token: &str) -> (Authenticator, Value) {
    let (status, headers, ceremony) = post_bearer(
        tenant,
        "/me/v1/authentication-methods",
        Some(token),
        json!({ "type": "passkey" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{ceremony}");
    let location = headers["location"].to_str().unwrap().to_owned();
    let path = location.strip_prefix(ISSUER_BASE).expect("an issuer URL");
    let mut authenticator = Authenticator::new();
    let created = authenticator.create(&ceremony["authn_params_public_key"], ORIGIN);
    let (status, _, method) = post_bearer(
        tenant,
        &format!("{path}/verify"),
        Some(token),
        json!({ "auth_session": ceremony["auth_session"], "authn_response": created }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{method}");
    (authenticator, method)
}
