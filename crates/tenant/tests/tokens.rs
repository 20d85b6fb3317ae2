//! Refresh tokens, revocation, `/userinfo`, access tokens for an audience, and the discovery
//! document's consistency with all of them.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use serde_json::{json, Value};

const EMAIL: &str = "ada@example.com";

async fn sign_in(tenant: &TestTenant, scope: &str, audience: Option<&str>) -> Value {
    tenant.start_email(EMAIL).await;
    let code = tenant.latest_code(EMAIL).await;
    let mut body = json!({ "grant_type": OTP_GRANT, "username": EMAIL, "otp": code,
                           "realm": "email", "scope": scope });
    if let Some(audience) = audience {
        body["audience"] = json!(audience);
    }
    let (status, tokens) = tenant.token(body).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    tokens
}

async fn userinfo(tenant: &TestTenant, token: &str) -> (StatusCode, Value) {
    tenant
        .send(
            Request::get("/userinfo")
                .header("authorization", format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
}

#[tokio::test]
async fn offline_access_gives_a_refresh_token_that_works_until_revoked() {
    let tenant = TestTenant::new();
    let tokens = sign_in(&tenant, "openid email offline_access", None).await;
    let refresh = tokens["refresh_token"].as_str().expect("a refresh token");

    let (status, refreshed) = tenant
        .token(json!({ "grant_type": "refresh_token", "refresh_token": refresh }))
        .await;
    assert_eq!(status, StatusCode::OK, "{refreshed}");
    assert!(refreshed["id_token"].is_string());
    assert!(
        refreshed.get("refresh_token").is_none(),
        "no rotation: the old one stays"
    );
    assert_ne!(refreshed["access_token"], tokens["access_token"]);

    let (status, _) = tenant
        .post_json(
            "/oauth/revoke",
            json!({ "client_id": CLIENT, "client_secret": SECRET, "token": refresh }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = tenant
        .token(json!({ "grant_type": "refresh_token", "refresh_token": refresh }))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn without_offline_access_there_is_no_refresh_token() {
    let tenant = TestTenant::new();
    let tokens = sign_in(&tenant, "openid email", None).await;
    assert!(tokens.get("refresh_token").is_none());
}

#[tokio::test]
async fn revoke_needs_the_client_and_a_token() {
    let tenant = TestTenant::new();
    let (status, body) = tenant
        .post_json(
            "/oauth/revoke",
            json!({ "client_id": CLIENT, "client_secret": "nope", "token": "x" }),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("access_denied"))
    );
    let (status, body) = tenant
        .post_json(
            "/oauth/revoke",
            json!({ "client_id": CLIENT, "client_secret": SECRET }),
        )
        .await;
    assert_eq!(
        (status, body["error_description"].as_str()),
        (
            StatusCode::BAD_REQUEST,
            Some("Missing required parameter: token")
        )
    );
}

#[tokio::test]
async fn userinfo_answers_for_a_live_access_token_only() {
    let tenant = TestTenant::new();
    let tokens = sign_in(&tenant, "openid profile email", None).await;
    let access = tokens["access_token"].as_str().unwrap();
    let (status, info) = userinfo(&tenant, access).await;
    assert_eq!(status, StatusCode::OK, "{info}");
    assert_eq!(info["email"], EMAIL);
    assert_eq!(info["email_verified"], true);
    assert_eq!(
        info["sub"],
        jwt_claims(tokens["id_token"].as_str().unwrap())["sub"]
    );

    let (status, body) = userinfo(&tenant, "garbage").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_token"))
    );
    tenant.clock.advance(86_400);
    let (status, _) = userinfo(&tenant, access).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "expired");
}

#[tokio::test]
async fn an_audience_gives_a_signed_access_token() {
    let tenant = TestTenant::new();
    let tokens = sign_in(&tenant, "openid email", Some("https://api.example.com")).await;
    let access = tokens["access_token"].as_str().unwrap();
    let claims = jwt_claims(access);
    assert_eq!(claims["iss"], "http://127.0.0.1:8081/");
    assert_eq!(
        claims["aud"],
        json!(["https://api.example.com", "http://127.0.0.1:8081/userinfo"])
    );
    assert_eq!(claims["azp"], CLIENT);
    assert_eq!(claims["scope"], "openid email");
    let (status, _) = userinfo(&tenant, access).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn discovery_matches_the_tokens_and_endpoints() {
    let tenant = TestTenant::new();
    let tokens = sign_in(&tenant, "openid", None).await;
    let (_, discovery) = tenant.get("/.well-known/openid-configuration").await;
    let claims = jwt_claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(discovery["issuer"], claims["iss"]);
    assert_eq!(discovery["issuer"], "http://127.0.0.1:8081/");
    for (key, path) in [
        ("token_endpoint", "/oauth/token"),
        ("userinfo_endpoint", "/userinfo"),
        ("revocation_endpoint", "/oauth/revoke"),
        ("jwks_uri", "/.well-known/jwks.json"),
    ] {
        assert_eq!(
            discovery[key],
            format!("http://127.0.0.1:8081{path}"),
            "{key}"
        );
    }
    let (_, jwks) = tenant.get("/.well-known/jwks.json").await;
    let kid = jwt_header(tokens["id_token"].as_str().unwrap())["kid"].clone();
    assert!(jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k["kid"] == kid));
}

#[tokio::test]
async fn an_unknown_grant_and_a_refresh_token_of_another_client_are_refused() {
    let tenant = TestTenant::new();
    let (status, body) = tenant.token(json!({ "grant_type": "password" })).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("unsupported_grant_type"))
    );
    let (status, body) = tenant
        .token(json!({ "grant_type": "refresh_token", "refresh_token": "not-a-token" }))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn armed_faults_spoil_exactly_the_next_id_token() {
    let tenant = TestTenant::new();
    for (fault, check) in [
        ("alg-none", "alg"),
        ("hs256", "alg"),
        ("expired", "exp"),
        ("wrong-audience", "aud"),
        ("unknown-kid", "kid"),
        ("tampered", "email"),
    ] {
        let (status, _) = tenant
            .post_json(
                "/dev/id-token-faults",
                json!({ "to": EMAIL, "fault": fault }),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let tokens = sign_in(&tenant, "openid email", None).await;
        let token = tokens["id_token"].as_str().unwrap();
        let (header, claims) = (jwt_header(token), jwt_claims(token));
        match check {
            "alg" => assert_ne!(header["alg"], "RS256", "{fault}"),
            "exp" => assert!(claims["exp"].as_u64().unwrap() < 1_795_626_834),
            "aud" => assert_eq!(claims["aud"], "someone-else"),
            "kid" => assert_eq!(header["kid"], "unknown-kid"),
            _ => assert_eq!(claims["email"], "mallory@example.com"),
        }
        let clean = sign_in(&tenant, "openid email", None).await;
        assert_eq!(
            jwt_claims(clean["id_token"].as_str().unwrap())["email"],
            EMAIL,
            "only the next one"
        );
    }
    let (status, _) = tenant
        .post_json(
            "/dev/id-token-faults",
            json!({ "to": EMAIL, "fault": "nope" }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_armed_token_answer_fault_replaces_one_member_of_exactly_the_next_answer() {
    let tenant = TestTenant::new();
    for (field, value) in [
        ("expires_in", json!(1.5)),
        ("id_token", json!(1.5)),
        ("access_token", json!({ "not": "a string" })),
        ("token_type", Value::Null),
    ] {
        let (status, armed) = tenant
            .post_json(
                "/dev/token-answer-faults",
                json!({ "to": "Ada@Example.com", "field": field, "value": value }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{armed}");
        assert_eq!(armed["to"], EMAIL, "the address is normalised");
        let tokens = sign_in(&tenant, "openid email", None).await;
        assert_eq!(tokens[field], value, "{field}");
        for other in ["access_token", "id_token", "token_type", "expires_in"] {
            if other != field {
                assert!(!tokens[other].is_null(), "{field}: {other} is left alone");
            }
        }
        let clean = sign_in(&tenant, "openid email", None).await;
        assert_eq!(clean["expires_in"], 86_400, "only the next one");
        assert!(clean["id_token"].is_string(), "only the next one");
    }
    for bad in [
        json!({ "to": EMAIL, "field": "claims", "value": 1 }),
        json!({ "to": EMAIL }),
        json!({ "to": EMAIL, "field": "scope", "value": 1, "extra": true }),
    ] {
        let (status, body) = tenant.post_json("/dev/token-answer-faults", bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"], "invalid_request");
    }
}

#[tokio::test(start_paused = true)]
async fn a_slow_answer_delays_exactly_the_next_start_for_that_identifier() {
    let tenant = TestTenant::new();
    let (status, _) = tenant
        .post_json("/dev/slow-answers", json!({ "to": EMAIL, "seconds": 7 }))
        .await;
    assert_eq!(status, StatusCode::OK);
    // Time is paused: a sleep advances it at once, by exactly its length.
    let before = tokio::time::Instant::now();
    let (status, _) = tenant.start_email(EMAIL).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(before.elapsed(), std::time::Duration::from_secs(7));
    let before = tokio::time::Instant::now();
    let (status, _) = tenant.start_email(EMAIL).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        before.elapsed(),
        std::time::Duration::ZERO,
        "only the next one"
    );
    for bad in [
        json!({ "to": EMAIL, "seconds": 0 }),
        json!({ "to": EMAIL, "seconds": 31 }),
        json!({ "to": EMAIL }),
    ] {
        let (status, body) = tenant.post_json("/dev/slow-answers", bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"], "invalid_request");
    }
}
