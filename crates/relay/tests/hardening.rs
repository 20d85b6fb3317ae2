//! Failure handling, against upstreams in this file that are slow, down, broken or limiting.

mod common;

use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use common::*;
use passwordless_relay::clock::FixedClock;
use passwordless_relay::{app, Relay};
use rand::SeedableRng;
use serde_json::json;

fn start_body() -> serde_json::Value {
    json!({ "connection": "email", "email": "ada@example.com", "send": "code" })
}

fn otp_body() -> serde_json::Value {
    json!({ "grant_type": OTP_GRANT, "username": "ada@example.com", "otp": "123456", "realm": "email" })
}

/// POSTs `body` to the relay's `path`: the status, the content type and the body.
async fn relay_answer(relay: &str, path: &str, body: serde_json::Value) -> (u16, String, String) {
    let response = reqwest::Client::new()
        .post(format!("{relay}{path}"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let content_type = response.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    (
        response.status().as_u16(),
        content_type,
        response.text().await.unwrap(),
    )
}

/// An upstream whose every answer is `answer`, after `delay`.
async fn upstream(delay: Duration, answer: fn() -> axum::response::Response) -> String {
    let handler = move || async move {
        tokio::time::sleep(delay).await;
        answer()
    };
    let router = Router::new()
        .route("/passwordless/start", post(handler))
        .route("/oauth/token", post(handler))
        .route("/.well-known/openid-configuration", get(handler));
    format!("http://{}", serve(router).await)
}

#[tokio::test]
async fn unknown_paths_are_404_in_the_wire_shape() {
    let relay = relay_to(&tenant().await).await;
    for path in ["/admin", "/api/v2/users", "/authorize"] {
        let response = reqwest::get(format!("{relay}{path}")).await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"], "not_found");
    }
}

#[tokio::test]
async fn bodies_must_be_json_or_a_form_and_small() {
    let relay = relay_to(&tenant().await).await;
    let client = reqwest::Client::new();
    let response = client
        .post(format!("{relay}/passwordless/start"))
        .header("content-type", "text/plain")
        .body("hi")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    let response = client
        .post(format!("{relay}/passwordless/start"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("connection=email")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415, "a form is for /oauth/token only");
    let response = client
        .post(format!("{relay}/oauth/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=password")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403, "a form reaches the grant check");
    let big = json!({ "connection": "email", "email": "a".repeat(20_000) });
    let response = client
        .post(format!("{relay}/passwordless/start"))
        .json(&big)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert_eq!(
        response.json::<serde_json::Value>().await.unwrap()["error"],
        "payload_too_large"
    );
    let response = client
        .post(format!("{relay}/passwordless/start"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn a_field_given_twice_is_refused_before_it_reaches_the_tenant() {
    let relay = relay_to(&tenant().await).await;
    let client = reqwest::Client::new();
    let response = client
        .post(format!("{relay}/passwordless/start"))
        .header("content-type", "application/json")
        .body(r#"{"connection":"email","email":"admin@example.com","email":"eve@example.com","send":"code"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "bad.request");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("\"email\" is given twice"),
        "{body}"
    );
    let response = client
        .post(format!("{relay}/oauth/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=refresh_token&refresh_token=a&refresh_token=b")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");
}

#[tokio::test]
async fn an_unreachable_upstream_is_502_and_a_slow_one_504() {
    let relay = relay_to(&format!("http://127.0.0.1:{}", dead_port().await)).await;
    let (status, body) = post_json(&format!("{relay}/passwordless/start"), start_body()).await;
    assert_eq!(
        (status, parse(&body)["error"].as_str()),
        (502, Some("upstream_unavailable"))
    );

    let slow = upstream(Duration::from_secs(3), || StatusCode::OK.into_response()).await;
    let mut config = relay_config(&slow);
    config.timeouts.upstream_response = SHORT;
    let relay = relay_with(config).await;
    let (status, body) = post_json(&format!("{relay}/passwordless/start"), start_body()).await;
    assert_eq!(
        (status, parse(&body)["error"].as_str()),
        (504, Some("upstream_timeout"))
    );

    let mut config = relay_config(&slow);
    config.timeouts.request = SHORT;
    let relay = relay_with(config).await;
    let (status, body) = post_json(&format!("{relay}/passwordless/start"), start_body()).await;
    assert_eq!(
        (status, parse(&body)["error"].as_str()),
        (504, Some("request_timeout"))
    );
}

#[tokio::test]
async fn an_upstream_error_page_becomes_a_wire_error_with_its_status() {
    let broken = upstream(Duration::ZERO, || {
        let page = format!("<html><body>{}</body></html>", "x".repeat(200_000));
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/html")],
            page,
        )
            .into_response()
    })
    .await;
    let relay = relay_to(&broken).await;
    let response = reqwest::Client::new()
        .post(format!("{relay}/passwordless/start"))
        .json(&start_body())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "server_error");
    assert_eq!(
        body["error_description"],
        "The identity provider answered 503 without an error in the API's shape."
    );
}

#[tokio::test]
async fn an_upstream_refusal_without_the_wire_shape_keeps_its_status_and_message() {
    let refusing = upstream(Duration::ZERO, || {
        (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({ "message": "Invalid code" })),
        )
            .into_response()
    })
    .await;
    let relay = relay_to(&refusing).await;
    let (status, content_type, body) = relay_answer(&relay, "/oauth/token", otp_body()).await;
    assert_eq!((status, content_type.as_str()), (400, "application/json"));
    assert_eq!(
        parse(&body),
        json!({ "error": "upstream_refused", "error_description": "Invalid code" })
    );

    let forging = upstream(Duration::ZERO, || {
        let message = format!("Invalid code\r\nSet-Cookie: x{}", "a".repeat(1000));
        (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({ "message": message })),
        )
            .into_response()
    })
    .await;
    let relay = relay_to(&forging).await;
    let (status, _, body) = relay_answer(&relay, "/oauth/token", otp_body()).await;
    assert_eq!(status, 400);
    let body = parse(&body);
    let description = body["error_description"].as_str().unwrap();
    assert_eq!(body["error"], "upstream_refused");
    assert!(
        description.starts_with("Invalid code\\r\\nSet-Cookie: x"),
        "{description}"
    );
    assert!(description.ends_with('…') && description.chars().count() < 310);
}

#[tokio::test]
async fn an_upstream_outage_message_is_a_server_error_with_its_status() {
    let down = upstream(Duration::ZERO, || {
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            axum::Json(json!({ "message": "db down" })),
        )
            .into_response()
    })
    .await;
    let relay = relay_to(&down).await;
    let (status, content_type, body) = relay_answer(&relay, "/oauth/token", otp_body()).await;
    assert_eq!((status, content_type.as_str()), (500, "application/json"));
    assert_eq!(
        parse(&body),
        json!({ "error": "server_error", "error_description": "db down" })
    );
}

#[tokio::test]
async fn an_upstream_success_passes_as_it_came_whatever_its_body() {
    let odd = upstream(Duration::ZERO, || {
        (StatusCode::OK, [(header::CONTENT_TYPE, "text/html")], "OK").into_response()
    })
    .await;
    let relay = relay_to(&odd).await;
    let answer = relay_answer(&relay, "/passwordless/start", start_body()).await;
    assert_eq!(answer, (200, "text/html".into(), "OK".into()));
}

#[tokio::test]
async fn a_retry_after_date_is_counted_from_the_relays_clock() {
    let limiting = upstream(Duration::ZERO, || {
        (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", "Sun, 06 Nov 1994 08:51:07 GMT")],
            axum::Json(json!({ "error": "too_many_requests", "error_description": "Wait." })),
        )
            .into_response()
    })
    .await;
    let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
    let relay = Relay::with_clock(
        relay_config(&limiting),
        rand::rngs::StdRng::seed_from_u64(1),
        Arc::new(FixedClock(now)),
    )
    .await
    .unwrap();
    let relay = format!("http://{}", serve(app(relay)).await);
    let response = reqwest::Client::new()
        .post(format!("{relay}/passwordless/start"))
        .json(&start_body())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "90");
}

#[tokio::test]
async fn an_upstream_429_and_its_retry_after_pass_through() {
    let limiting = upstream(Duration::ZERO, || {
        (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", "42"), ("x-ratelimit-remaining", "0")],
            axum::Json(
                json!({ "error": "too_many_requests", "error_description": "Too many requests." }),
            ),
        )
            .into_response()
    })
    .await;
    let relay = relay_to(&limiting).await;
    let response = reqwest::Client::new()
        .post(format!("{relay}/passwordless/start"))
        .json(&start_body())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "42");
    assert_eq!(response.headers()["x-ratelimit-remaining"], "0");
    assert!(response.headers().contains_key("x-request-id"));
}

#[tokio::test]
async fn plain_http_upstreams_must_be_loopback() {
    let config = relay_config("http://tenant.example.com");
    let refused = passwordless_relay::Relay::new(config)
        .await
        .err()
        .expect("refused");
    assert!(refused.contains("https"), "{refused}");
}
