//! The My Account API's passkey enrolment in front of an upstream that records what it
//! received: the user's token and nothing of the relay's credentials, the method's id
//! percent-encoded, and nothing else of the My Account API leaves the relay.

mod common;

use common::recording::*;
use common::*;
use serde_json::{json, Value};

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
