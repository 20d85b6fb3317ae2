//! The passkey calls in front of an upstream that records what it received: what passes, what
//! is added, what is dropped, what never leaves the relay, and the limits. (The same calls in
//! front of the real local tenant are in `passkeys_tenant.rs`; the My Account calls in
//! `my_account.rs`.)

mod common;

use axum::http::Method;
use common::recording::*;
use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn register_passes_the_realm_and_profile_only_with_the_relays_credentials_and_ip() {
    let (upstream, log) = recording_upstream().await;
    let relay = relay_to(&upstream).await;
    let response = reqwest::Client::new()
        .post(format!("{relay}/passkey/register"))
        .header("auth0-forwarded-for", "203.0.113.9")
        .json(
            &json!({"client_id": "someone-else", "client_secret": "guess", "connection": "sms",
            "realm": "email", "user_profile": {"email": "Ada@Example.COM", "name": "Ada",
            "given_name": "x", "app_metadata": {"admin": true}}, "junk": 1}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["auth_session"], "sess");
    let received = last(&log);
    assert_eq!(
        (received.method, received.path.as_str()),
        (Method::POST, "/passkey/register")
    );
    assert_eq!(received.content_type.as_deref(), Some("application/json"));
    assert_eq!(received.forwarded_for.as_deref(), Some("127.0.0.1"));
    assert_eq!(received.authorization, None);
    assert_eq!(
        received.body,
        json!({"client_id": CLIENT, "client_secret": SECRET, "realm": "email",
               "user_profile": {"email": "Ada@example.com", "name": "Ada"}})
    );
}

#[tokio::test]
async fn a_challenge_passes_the_realm_only_with_the_relays_credentials_and_ip() {
    let (upstream, log) = recording_upstream().await;
    let relay = relay_to(&upstream).await;
    let (status, _, answer) = post(
        &format!("{relay}/passkey/challenge"),
        None,
        json!({"realm": "email", "client_secret": "guess", "user_profile": {"email": "a@b.co"}}),
    )
    .await;
    assert_eq!((status, &answer["auth_session"]), (200, &json!("sess")));
    let received = last(&log);
    assert_eq!(received.path, "/passkey/challenge");
    assert_eq!(received.forwarded_for.as_deref(), Some("127.0.0.1"));
    assert_eq!(
        received.body,
        json!({"client_id": CLIENT, "client_secret": SECRET, "realm": "email"})
    );
}

#[tokio::test]
async fn the_webauthn_grant_goes_upstream_as_json_with_its_credential_unchanged() {
    let (upstream, log) = recording_upstream().await;
    let relay = relay_to(&upstream).await;
    let (status, _, _) = post(
        &format!("{relay}/oauth/token"),
        None,
        json!({"grant_type": WEBAUTHN_GRANT, "auth_session": "sess", "authn_response": credential(),
               "realm": "email", "scope": "openid offline_access", "client_secret": "guess",
               "username": "smuggled"}),
    )
    .await;
    assert_eq!(status, 200);
    let received = last(&log);
    assert_eq!(received.path, "/oauth/token");
    assert_eq!(received.content_type.as_deref(), Some("application/json"));
    assert_eq!(received.forwarded_for.as_deref(), Some("127.0.0.1"));
    assert_eq!(
        received.body,
        json!({"grant_type": WEBAUTHN_GRANT, "auth_session": "sess", "authn_response": credential(),
               "realm": "email", "scope": "openid offline_access",
               "client_id": CLIENT, "client_secret": SECRET})
    );
    assert!(
        received.body["authn_response"].is_object(),
        "not stringified"
    );

    // A form can carry the credential only as a string: refused before it goes anywhere.
    let calls = log.lock().unwrap().len();
    let form = reqwest::Client::new()
        .post(format!("{relay}/oauth/token"))
        .form(&[
            ("grant_type", WEBAUTHN_GRANT),
            ("auth_session", "sess"),
            ("authn_response", &credential().to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 400);
    let error: Value = form.json().await.unwrap();
    assert_eq!(error["error"], "invalid_request");
    assert_eq!(log.lock().unwrap().len(), calls);
}

#[tokio::test]
async fn a_refresh_may_ask_for_the_my_account_audience() {
    let (upstream, log) = recording_upstream().await;
    let relay = relay_to(&upstream).await;
    let (status, _, _) = post(
        &format!("{relay}/oauth/token"),
        None,
        json!({"grant_type": "refresh_token", "refresh_token": "rt",
               "audience": "https://tenant.example/me/", "scope": "create:me:authentication_methods"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        last(&log).body,
        json!({"grant_type": "refresh_token", "refresh_token": "rt",
               "audience": "https://tenant.example/me/", "scope": "create:me:authentication_methods",
               "client_id": CLIENT, "client_secret": SECRET})
    );
}

#[tokio::test]
async fn refusals_before_upstream_are_in_the_wire_shape() {
    let (upstream, log) = recording_upstream().await;
    let relay = relay_to(&upstream).await;
    for (path, body, code) in [
        (
            "/passkey/register",
            json!({"realm": "db", "user_profile": {"email": "a@b.co"}}),
            "bad.connection",
        ),
        (
            "/passkey/register",
            json!({"user_profile": {"email": "\u{430}dmin@example.com"}}),
            "bad.email",
        ),
        (
            "/passkey/register",
            json!({"realm": "email"}),
            "invalid_request",
        ),
        (
            "/passkey/challenge",
            json!({"realm": "google-oauth2"}),
            "bad.connection",
        ),
        (
            "/oauth/token",
            json!({"grant_type": WEBAUTHN_GRANT, "auth_session": "s", "authn_response": "{}"}),
            "invalid_request",
        ),
    ] {
        let (status, _, answer) = post(&format!("{relay}{path}"), None, body).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some(code)),
            "{path}"
        );
    }
    let mut deep = credential();
    for _ in 0..8 {
        deep = json!({ "response": deep });
    }
    let (status, _, answer) = post(
        &format!("{relay}/oauth/token"),
        None,
        json!({"grant_type": WEBAUTHN_GRANT, "auth_session": "s", "authn_response": deep}),
    )
    .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("invalid_request"))
    );
    let big = json!({"grant_type": WEBAUTHN_GRANT, "auth_session": "s",
                     "authn_response": {"response": {"attestationObject": "A".repeat(17 * 1024)}}});
    let (status, _, answer) = post(&format!("{relay}/oauth/token"), None, big).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (413, Some("payload_too_large"))
    );
    assert!(log.lock().unwrap().is_empty());
}

/// POSTs `body` to `path` as the client `ip` says through the trusted proxy (this test).
async fn post_from(relay: &str, path: &str, ip: &str, body: Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{relay}{path}"))
        .header("x-forwarded-for", ip)
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn passkey_ceremonies_share_the_start_limits_per_client_and_per_identifier() {
    let (upstream, log) = recording_upstream().await;
    let mut config = relay_config(&upstream);
    config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    config.limits.start_per_ip = 3;
    config.limits.start_per_identifier = 2;
    let relay = relay_with(config).await;
    let register = |email: &str| json!({"user_profile": {"email": email}});

    // Per client: a register, a challenge and a start are 3; the 4th call is refused.
    let ip = "198.51.100.1";
    assert_eq!(
        post_from(&relay, "/passkey/register", ip, register("a@example.com"))
            .await
            .status(),
        200
    );
    assert_eq!(
        post_from(&relay, "/passkey/challenge", ip, json!({}))
            .await
            .status(),
        200
    );
    let start = json!({"connection": "email", "email": "b@example.com", "send": "code"});
    assert_eq!(
        post_from(&relay, "/passwordless/start", ip, start)
            .await
            .status(),
        200
    );
    for (path, body) in [
        ("/passkey/challenge", json!({})),
        ("/passkey/register", register("c@example.com")),
    ] {
        let refused = post_from(&relay, path, ip, body).await;
        assert_eq!(refused.status(), 429, "{path}");
        let retry: u64 = refused.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(retry > 0 && retry <= 1200, "{retry}");
        let answer: Value = refused.json().await.unwrap();
        assert_eq!(answer["error"], "too_many_requests");
    }
    assert_eq!(
        log.lock().unwrap().len(),
        3,
        "refused calls never went upstream"
    );

    // Per identifier, whatever its case and from whichever client.
    for (n, email) in ["ada@example.com", "ADA@example.com"]
        .into_iter()
        .enumerate()
    {
        let client = format!("203.0.113.{n}");
        assert_eq!(
            post_from(&relay, "/passkey/register", &client, register(email))
                .await
                .status(),
            200
        );
    }
    let refused = post_from(
        &relay,
        "/passkey/register",
        "203.0.113.9",
        register("Ada@Example.com"),
    )
    .await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
}
