//! The passkey calls in front of an upstream that records what it received: what passes, what
//! is added, what is dropped, what never leaves the relay, and the limits. (The same calls in
//! front of the real local tenant are in `passkeys_tenant.rs`.)

mod common;

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use common::*;
use serde_json::{json, Value};

const WEBAUTHN_GRANT: &str = "urn:okta:params:oauth:grant-type:webauthn";
const METHODS: &str = "/me/v1/authentication-methods";

/// One request as the upstream saw it.
#[derive(Debug, Clone)]
struct Received {
    method: Method,
    /// The path as sent, percent-encoding included.
    path: String,
    content_type: Option<String>,
    forwarded_for: Option<String>,
    authorization: Option<String>,
    body: Value,
}

type Log = Arc<Mutex<Vec<Received>>>;

/// An upstream that records every request and answers as Auth0 would in shape: a ceremony
/// for the passkey paths, `201` with a `Location` for an enrolment, and `{"ok": true}` else.
async fn recording_upstream() -> (String, Log) {
    async fn record(
        State(log): State<Log>,
        method: Method,
        OriginalUri(uri): OriginalUri,
        headers: HeaderMap,
        body: Bytes,
    ) -> Response {
        let header = |name: &str| {
            headers
                .get(name)
                .map(|v| v.to_str().unwrap_or("?").to_owned())
        };
        let path = uri.path().to_owned();
        log.lock().unwrap().push(Received {
            method,
            path: path.clone(),
            content_type: header("content-type"),
            forwarded_for: header("auth0-forwarded-for"),
            authorization: header("authorization"),
            body: serde_json::from_slice(&body).unwrap_or(Value::Null),
        });
        let ceremony =
            json!({"auth_session": "sess", "authn_params_public_key": {"challenge": "Y2g"}});
        if path == METHODS {
            let location = "https://tenant.example/me/v1/authentication-methods/passkey|dev_new";
            return (
                StatusCode::CREATED,
                [("location", location)],
                axum::Json(ceremony),
            )
                .into_response();
        }
        if path.starts_with("/passkey/") {
            return axum::Json(ceremony).into_response();
        }
        axum::Json(json!({"ok": true})).into_response()
    }
    let log = Log::default();
    let router = Router::new().fallback(record).with_state(log.clone());
    (format!("http://{}", serve(router).await), log)
}

fn last(log: &Log) -> Received {
    log.lock()
        .unwrap()
        .last()
        .cloned()
        .expect("the upstream was called")
}

fn credential() -> Value {
    json!({"id": "Y3JlZA", "rawId": "Y3JlZA", "type": "public-key", "authenticatorAttachment": "platform",
           "response": {"clientDataJSON": "e30", "authenticatorData": "YXV0aA", "signature": "c2ln", "userHandle": "dQ"},
           "clientExtensionResults": {"credProps": {"rk": true}}})
}

/// POSTs JSON with an optional bearer; the status, the headers and the body.
async fn post(url: &str, bearer: Option<&str>, body: Value) -> (u16, HeaderMap, Value) {
    let mut request = reqwest::Client::new()
        .post(url)
        .header("origin", ORIGIN)
        .json(&body);
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    (status, headers, parse(&text))
}

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
async fn an_enrolment_carries_the_users_token_and_no_client_credentials() {
    let (upstream, log) = recording_upstream().await;
    let relay = relay_to(&upstream).await;
    let (status, headers, answer) = post(
        &format!("{relay}{METHODS}"),
        Some("user-at"),
        json!({"type": "passkey", "connection": "email", "client_id": "x", "client_secret": "y",
               "name": "smuggled"}),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(
        headers["location"], "authentication-methods/passkey%7Cdev_new",
        "relative to the enrolment's URL, whatever the relay is mounted under"
    );
    assert!(
        headers["access-control-expose-headers"]
            .to_str()
            .unwrap()
            .contains("location"),
        "a page on another origin may read it"
    );
    assert_eq!(answer["auth_session"], "sess");
    let received = last(&log);
    assert_eq!(received.path, METHODS);
    assert_eq!(received.authorization.as_deref(), Some("Bearer user-at"));
    assert_eq!(received.forwarded_for.as_deref(), Some("127.0.0.1"));
    assert_eq!(
        received.body,
        json!({"type": "passkey", "connection": "email"})
    );

    let metrics = reqwest::get(format!("{relay}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for line in [
        "relay_requests_total{route=\"my_account_enrol\",outcome=\"ok\"} 1",
        "relay_upstream_latency_seconds_count{route=\"my_account\"} 1",
    ] {
        assert!(metrics.contains(line), "{line} in {metrics}");
    }
}

#[tokio::test]
async fn a_verification_names_the_method_percent_encoded_and_carries_the_users_token() {
    let (upstream, log) = recording_upstream().await;
    let relay = relay_to(&upstream).await;
    let body = json!({"auth_session": "sess", "authn_response": credential(), "type": "totp",
                      "client_secret": "y"});
    // The Location's segment as it came, and the id as a page may have decoded it.
    for segment in ["passkey%7Cdev_new", "passkey|dev_new"] {
        let (status, _, _) = post(
            &format!("{relay}{METHODS}/{segment}/verify"),
            Some("user-at"),
            body.clone(),
        )
        .await;
        assert_eq!(status, 200, "{segment}");
        let received = last(&log);
        assert_eq!(received.path, format!("{METHODS}/passkey%7Cdev_new/verify"));
        assert_eq!(received.authorization.as_deref(), Some("Bearer user-at"));
        assert_eq!(received.forwarded_for.as_deref(), Some("127.0.0.1"));
        assert_eq!(
            received.body,
            json!({"auth_session": "sess", "authn_response": credential()})
        );
    }
}

#[tokio::test]
async fn my_account_calls_that_are_not_a_passkey_enrolment_never_leave_the_relay() {
    let (upstream, log) = recording_upstream().await;
    let relay = relay_to(&upstream).await;
    let verify = json!({"auth_session": "s", "authn_response": credential()});
    for (path, bearer, body, expected, code) in [
        (
            METHODS.to_owned(),
            None,
            json!({"type": "passkey"}),
            401,
            "invalid_token",
        ),
        (
            format!("{METHODS}/passkey%7Cx/verify"),
            None,
            verify.clone(),
            401,
            "invalid_token",
        ),
        (
            METHODS.to_owned(),
            Some("at"),
            json!({"type": "totp"}),
            400,
            "invalid_request",
        ),
        (
            METHODS.to_owned(),
            Some("at"),
            json!({}),
            400,
            "invalid_request",
        ),
        (
            format!("{METHODS}/a%2Fb/verify"),
            Some("at"),
            verify.clone(),
            400,
            "invalid_request",
        ),
        (
            format!("{METHODS}/..%2F../verify"),
            Some("at"),
            verify.clone(),
            400,
            "invalid_request",
        ),
        (
            format!("{METHODS}/{}/verify", "p".repeat(129)),
            Some("at"),
            verify.clone(),
            400,
            "invalid_request",
        ),
        (
            format!("{METHODS}/passkey%7Cx/verify"),
            Some("at"),
            json!({"auth_session": "s"}),
            400,
            "invalid_request",
        ),
        (
            format!("{METHODS}/passkey%7Cx"),
            Some("at"),
            verify.clone(),
            404,
            "not_found",
        ),
        (
            "/me/v1/factors".to_owned(),
            Some("at"),
            json!({}),
            404,
            "not_found",
        ),
        (
            "/me/v1/authentication-methods/x/verify/more".to_owned(),
            Some("at"),
            verify.clone(),
            404,
            "not_found",
        ),
    ] {
        let (status, _, answer) = post(&format!("{relay}{path}"), bearer, body).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (expected, Some(code)),
            "{path}"
        );
    }
    let client = reqwest::Client::new();
    for (method, path) in [
        (reqwest::Method::GET, METHODS.to_owned()),
        (reqwest::Method::DELETE, format!("{METHODS}/passkey%7Cx")),
        (reqwest::Method::DELETE, METHODS.to_owned()),
        (
            reqwest::Method::PUT,
            format!("{METHODS}/passkey%7Cx/verify"),
        ),
        (
            reqwest::Method::GET,
            "/me/v1/authentication-methods/passkey%7Cx".to_owned(),
        ),
        (reqwest::Method::GET, "/me/".to_owned()),
    ] {
        let response = client
            .request(method.clone(), format!("{relay}{path}"))
            .bearer_auth("at")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{method} {path}");
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["error"], "not_found", "{method} {path}");
    }
    assert!(log.lock().unwrap().is_empty(), "{:?}", log.lock().unwrap());
}

#[tokio::test]
async fn a_page_on_the_allowed_origin_may_call_my_account_with_a_bearer() {
    let (upstream, _) = recording_upstream().await;
    let relay = relay_to(&upstream).await;
    let preflight = reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, format!("{relay}{METHODS}"))
        .header("origin", ORIGIN)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization,content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.headers()["access-control-allow-origin"], ORIGIN);
    let allowed = preflight.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap();
    assert!(allowed.contains("authorization") && allowed.contains("content-type"));
    assert!(preflight.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("POST"));
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
