//! Faults the existing suites do not cover (crates/relay/tests/hardening.rs has the upstream
//! that is down, slow beyond the timeout, answering 5xx HTML and 429 with seconds; the tenant's
//! restart.rs a code that survives a tenant restart): an upstream stopped and restarted
//! mid-flow behind the relay, the relay restarted mid-flow, a 429 whose `Retry-After` is an
//! HTTP date, and an upstream that drops the connection mid-body.
//!
//! Pass: each ends in the right wire error within the relay's timeouts, or in a completed
//! flow with the code sent before the fault; never a hang, a lost code or a non-wire answer.

use std::net::SocketAddr;
use std::time::{Duration, SystemTime};

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;
use passwordless_relay::config::{ClientSecret, RelayConfig};
use passwordless_relay::{app, Relay};
use passwordless_security_suite::flow::{latest_code, start_email, verify_email, Answer};
use passwordless_security_suite::servers::{self, RelayOptions, TenantOptions, CLIENT_ID, SECRET};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

fn assert_wire(answer: &Answer, status: u16, error: &str) {
    assert_eq!(
        (answer.status, answer.error().as_str()),
        (status, error),
        "{}",
        answer.body
    );
    assert!(
        answer.json()["error_description"].is_string(),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn a_code_sent_before_the_tenant_stops_works_once_it_is_back() {
    let work = servers::workdir();
    let data = work.path().join("tenant-data");
    let options = |port| TenantOptions {
        data_dir: Some(&data),
        port,
        ..TenantOptions::default()
    };
    let tenant = servers::tenant(work.path(), options(None)).await;
    let (tenant_url, port) = (tenant.url.clone(), tenant.port);
    let relay = servers::relay(work.path(), &tenant_url, RelayOptions::default()).await;
    let http = http();
    let email = "stopped@example.com";
    assert_eq!(
        start_email(&http, &relay.url, email).await.unwrap().status,
        200
    );
    let code = latest_code(&http, &tenant_url, email)
        .await
        .unwrap()
        .unwrap();

    tenant.stop();
    let down = verify_email(&http, &relay.url, email, &code).await.unwrap();
    assert_wire(&down, 502, "upstream_unavailable");

    let _tenant = servers::tenant(work.path(), options(Some(port))).await;
    let back = verify_email(&http, &relay.url, email, &code).await.unwrap();
    assert_eq!(back.status, 200, "the code survived: {}", back.body);
}

#[tokio::test]
async fn a_flow_started_before_a_relay_restart_completes_after_it() {
    let work = servers::workdir();
    let tenant = servers::tenant(work.path(), TenantOptions::default()).await;
    let relay = servers::relay(work.path(), &tenant.url, RelayOptions::default()).await;
    let (relay_url, port) = (relay.url.clone(), relay.port);
    let http = http();
    let email = "restart@example.com";
    assert_eq!(
        start_email(&http, &relay_url, email).await.unwrap().status,
        200
    );
    let code = latest_code(&http, &tenant.url, email)
        .await
        .unwrap()
        .unwrap();

    relay.stop();
    assert!(
        start_email(&http, &relay_url, email).await.is_err(),
        "the relay is down"
    );
    let options = RelayOptions {
        port: Some(port),
        ..RelayOptions::default()
    };
    let _relay = servers::relay(work.path(), &tenant.url, options).await;
    let verified = verify_email(&http, &relay_url, email, &code).await.unwrap();
    assert_eq!(verified.status, 200, "{}", verified.body);
}

/// The in-process relay (the library the binary serves) in front of `upstream`.
async fn relay_in_front_of(upstream: &str) -> String {
    let config = RelayConfig::new(upstream, CLIENT_ID, ClientSecret::new(SECRET.into()));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let relay = Relay::new(config).await.unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            app(relay).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap()
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_retry_after_date_reaches_the_browser_as_seconds() {
    let router = Router::new().route(
        "/passwordless/start",
        post(|| async {
            let when = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
            (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", when)],
                axum::Json(
                    json!({ "error": "too_many_requests", "error_description": "Slow down." }),
                ),
            )
                .into_response()
        }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let relay = relay_in_front_of(&upstream).await;

    let response = http()
        .post(format!("{relay}/passwordless/start"))
        .json(&json!({ "connection": "email", "email": "ada@example.com", "send": "code" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    let seconds: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .expect("Retry-After in seconds");
    assert!((100..=120).contains(&seconds), "{seconds}");
    assert_eq!(
        response.json::<serde_json::Value>().await.unwrap()["error"],
        "too_many_requests"
    );
}

#[tokio::test]
async fn an_upstream_that_drops_the_connection_mid_body_is_a_502() {
    // Headers promise 200 bytes of JSON; 10 come, then the connection closes.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let _ = socket
                    .write_all(
                        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                          content-length: 200\r\n\r\n{\"access_",
                    )
                    .await;
                let _ = socket.shutdown().await;
            });
        }
    });
    let relay = relay_in_front_of(&upstream).await;
    let http = http();
    let answer = start_email(&http, &relay, "ada@example.com").await.unwrap();
    assert_wire(&answer, 502, "upstream_unavailable");
    let answer = verify_email(&http, &relay, "ada@example.com", "123456")
        .await
        .unwrap();
    assert_wire(&answer, 502, "upstream_unavailable");
}
