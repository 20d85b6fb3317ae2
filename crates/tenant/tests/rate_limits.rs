//! Whom `/passwordless/start` counts and when it refuses: 50 an hour per IP (the
//! `auth0-forwarded-for` IP only for a trusting client with its secret), and brute-force
//! protection on the account.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use common::*;
use serde_json::{json, Value};

fn start_request(
    peer: &str,
    forwarded: Option<&str>,
    secret: Option<&str>,
    email: &str,
) -> Request<Body> {
    let mut body =
        json!({ "client_id": CLIENT, "connection": "email", "email": email, "send": "code" });
    if let Some(secret) = secret {
        body["client_secret"] = json!(secret);
    }
    let mut request =
        Request::post("/passwordless/start").header("content-type", "application/json");
    if let Some(ip) = forwarded {
        request = request.header("auth0-forwarded-for", ip);
    }
    let mut request = request.body(Body::from(body.to_string())).unwrap();
    let peer: SocketAddr = format!("{peer}:40000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

#[tokio::test]
async fn fifty_starts_an_hour_per_ip_then_429_with_the_headers() {
    let tenant = TestTenant::new();
    for i in 0..50u32 {
        let (status, headers, _) = tenant
            .send_raw(start_request(
                "10.0.0.1",
                None,
                Some(SECRET),
                &format!("u{i}@example.com"),
            ))
            .await;
        assert_eq!(status, StatusCode::OK, "start {i}");
        assert_eq!(headers["x-ratelimit-limit"], "50");
        assert_eq!(
            headers["x-ratelimit-remaining"],
            (49 - i).to_string().as_str()
        );
    }
    let (status, headers, body) = tenant
        .send_raw(start_request(
            "10.0.0.1",
            None,
            Some(SECRET),
            "late@example.com",
        ))
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(headers["x-ratelimit-remaining"], "0");
    assert!(headers.contains_key("x-ratelimit-reset"));
    assert_eq!(headers["retry-after"], "72");
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        body,
        json!({"error": "too_many_requests", "error_description":
        "Too many requests. Check the X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers."})
    );
    let (_, inbox) = tenant.get("/dev/inbox?to=late@example.com").await;
    assert_eq!(inbox, json!([]), "a limited start sends nothing");

    // Another IP has its own bucket, and the bucket refills: one more after 72 s.
    let (status, _, _) = tenant
        .send_raw(start_request(
            "10.0.0.2",
            None,
            Some(SECRET),
            "b@example.com",
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    tenant.clock.advance(72);
    let (status, _, _) = tenant
        .send_raw(start_request(
            "10.0.0.1",
            None,
            Some(SECRET),
            "c@example.com",
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_forwarded_ip_counts_only_with_the_secret_of_a_trusting_client() {
    // A public client (no secret) may not choose the IP that is counted.
    let tenant = TestTenant::with(|config| {
        config.start_limit_per_hour = 1;
        let mut public = config.clients[0].clone();
        public.client_id = "public-app".into();
        public.client_secret = None;
        config.clients.push(public);
    });
    // With the secret: each forwarded IP is its own bucket, although the peer is the same.
    for ip in ["203.0.113.1", "203.0.113.2"] {
        let (status, _, _) = tenant
            .send_raw(start_request(
                "127.0.0.1",
                Some(ip),
                Some(SECRET),
                "a@example.com",
            ))
            .await;
        assert_eq!(status, StatusCode::OK, "{ip}");
    }
    let (status, _, _) = tenant
        .send_raw(start_request(
            "127.0.0.1",
            Some("203.0.113.1"),
            Some(SECRET),
            "a@example.com",
        ))
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);

    // Without a secret the header is ignored: the peer's bucket is used.
    let public = |ip: &str| {
        let mut request = start_request("192.0.2.7", Some(ip), None, "p@example.com");
        let body = json!({ "client_id": "public-app", "connection": "email", "email": "p@example.com", "send": "code" });
        *request.body_mut() = Body::from(body.to_string());
        request
    };
    let (status, _, _) = tenant.send_raw(public("198.51.100.1")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = tenant.send_raw(public("198.51.100.2")).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "a new forwarded IP did not buy a new bucket"
    );
}

#[tokio::test]
async fn a_client_that_does_not_trust_the_header_is_counted_by_peer() {
    let tenant = TestTenant::with(|config| {
        config.start_limit_per_hour = 1;
        config.clients[0].trust_forwarded_for = false;
    });
    let (status, _, _) = tenant
        .send_raw(start_request(
            "127.0.0.1",
            Some("203.0.113.1"),
            Some(SECRET),
            "a@example.com",
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = tenant
        .send_raw(start_request(
            "127.0.0.1",
            Some("203.0.113.2"),
            Some(SECRET),
            "a@example.com",
        ))
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn ten_failed_logins_block_the_account_with_too_many_attempts() {
    let tenant = TestTenant::new();
    let mut failures = 0;
    while failures < 10 {
        tenant.start_email("ada@example.com").await;
        let code = tenant.latest_code("ada@example.com").await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for _ in 0..3 {
            if failures == 10 {
                break;
            }
            let (status, _) = tenant.verify_email("ada@example.com", wrong).await;
            assert_eq!(status, StatusCode::FORBIDDEN);
            failures += 1;
        }
    }
    tenant.start_email("ada@example.com").await;
    let code = tenant.latest_code("ada@example.com").await;
    let (status, body) = tenant.verify_email("ada@example.com", &code).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["error"], "too_many_attempts");
    // Another account is not blocked, and the block ends.
    tenant.start_email("bob@example.com").await;
    let bob = tenant.latest_code("bob@example.com").await;
    assert_eq!(
        tenant.verify_email("bob@example.com", &bob).await.0,
        StatusCode::OK
    );
    tenant.clock.advance(3600);
    assert_eq!(
        tenant.verify_email("ada@example.com", &code).await.0,
        StatusCode::FORBIDDEN,
        "code expired meanwhile"
    );
    tenant.start_email("ada@example.com").await;
    let code = tenant.latest_code("ada@example.com").await;
    assert_eq!(
        tenant.verify_email("ada@example.com", &code).await.0,
        StatusCode::OK
    );
}
