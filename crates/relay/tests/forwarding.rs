//! The relay over real loopback sockets: in front of the real local tenant, and in front of an
//! upstream in this file that echoes what it received.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use passwordless_relay::config::{ClientSecret, RelayConfig};
use passwordless_relay::{app, Relay};
use passwordless_tenant::clock::SystemClock;
use passwordless_tenant::config::{TenantConfig, DEMO_CLIENT_ID};
use passwordless_tenant::store::Store;
use passwordless_tenant::{router as tenant_router, Tenant};
use rand::SeedableRng;
use serde_json::{json, Value};
use tokio::net::TcpListener;

const SECRET: &str = "relay-test-secret-5f2a9c";
const OTP_GRANT: &str = "http://auth0.com/oauth/grant-type/passwordless/otp";
const ORIGIN: &str = "http://127.0.0.1:9000";

async fn serve(router: Router) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    addr
}

async fn relay_to(upstream: &str) -> String {
    let mut config = RelayConfig::new(upstream, DEMO_CLIENT_ID, ClientSecret::new(SECRET.into()));
    config.allowed_origins = vec![ORIGIN.into()];
    let addr = serve(app(Relay::new(config).unwrap())).await;
    format!("http://{addr}")
}

async fn tenant() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let config = TenantConfig::demo(&url, SECRET.into(), vec![ORIGIN.into()]);
    let tenant = Tenant::new(
        config,
        Store::in_memory().unwrap(),
        Arc::new(SystemClock),
        rand::rngs::StdRng::seed_from_u64(1),
    )
    .unwrap();
    tokio::spawn(async move { axum::serve(listener, tenant_router(tenant)).await.unwrap() });
    url
}

/// POSTs JSON and returns the status and the raw body, which tests search for the secret.
async fn post_json(url: &str, body: Value) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn an_email_code_signs_in_through_the_relay_without_the_browser_knowing_the_secret() {
    let tenant = tenant().await;
    let relay = relay_to(&tenant).await;

    // What a browser sends: no secret at all.
    let (status, body) = post_json(
        &format!("{relay}/passwordless/start"),
        json!({ "client_id": DEMO_CLIENT_ID, "connection": "email", "email": "ada@example.com", "send": "code" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(!body.contains(SECRET));

    let inbox: Value = reqwest::get(format!("{tenant}/dev/inbox?to=ada@example.com"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = inbox[0]["code"].as_str().unwrap();

    let (status, body) = post_json(
        &format!("{relay}/oauth/token"),
        json!({ "grant_type": OTP_GRANT, "client_id": DEMO_CLIENT_ID, "username": "ada@example.com",
                "otp": code, "realm": "email", "scope": "openid email" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(!body.contains(SECRET));
    let tokens: Value = serde_json::from_str(&body).unwrap();
    assert!(tokens["id_token"].as_str().unwrap().split('.').count() == 3);

    // Upstream errors pass through with their status and body, still without the secret.
    let (status, body) = post_json(
        &format!("{relay}/oauth/token"),
        json!({ "grant_type": OTP_GRANT, "username": "ada@example.com", "otp": code, "realm": "email" }),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"error": "invalid_grant", "error_description": "Wrong email or verification code."})
    );

    for path in [
        "/.well-known/jwks.json",
        "/.well-known/openid-configuration",
    ] {
        let via_relay = reqwest::get(format!("{relay}{path}"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let direct = reqwest::get(format!("{tenant}{path}"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(via_relay, direct, "{path}");
    }
}

/// An upstream that answers with what it was sent: the body and the forwarded-for header.
async fn echo_upstream() -> String {
    async fn echo(headers: HeaderMap, body: Bytes) -> Json<Value> {
        let forwarded = headers
            .get("auth0-forwarded-for")
            .map(|v| v.to_str().unwrap().to_owned());
        Json(
            json!({ "body": serde_json::from_slice::<Value>(&body).unwrap(), "forwarded_for": forwarded }),
        )
    }
    let router = Router::new()
        .route("/passwordless/start", post(echo))
        .route("/oauth/token", post(echo));
    format!("http://{}", serve(router).await)
}

#[tokio::test]
async fn the_browser_cannot_choose_credentials_or_its_ip() {
    let relay = relay_to(&echo_upstream().await).await;
    let response = reqwest::Client::new()
        .post(format!("{relay}/passwordless/start"))
        .header("auth0-forwarded-for", "203.0.113.9")
        .json(&json!({ "client_id": "someone-else", "client_secret": "guess", "client_assertion": "jwt",
                       "connection": "email", "email": "ada@example.com", "send": "code", "junk": 1 }))
        .send()
        .await
        .unwrap();
    let echoed: Value = response.json().await.unwrap();
    assert_eq!(echoed["forwarded_for"], "127.0.0.1");
    assert_eq!(
        echoed["body"],
        json!({ "client_id": DEMO_CLIENT_ID, "client_secret": SECRET, "connection": "email",
                "email": "ada@example.com", "send": "code" })
    );
}

#[tokio::test]
async fn refusals_are_in_the_wire_shape() {
    let relay = relay_to(&echo_upstream().await).await;
    let (status, body) = post_json(
        &format!("{relay}/oauth/token"),
        json!({ "grant_type": "client_credentials" }),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["error"],
        "unauthorized_client"
    );

    let response = reqwest::Client::new()
        .post(format!("{relay}/passwordless/start"))
        .header("content-type", "text/plain")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "bad.request");
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .contains("text/plain"));
}

#[tokio::test]
async fn an_unreachable_upstream_is_a_502_in_the_wire_shape() {
    // Bind and drop a listener so nothing listens on its port.
    let port = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let relay = relay_to(&format!("http://127.0.0.1:{port}")).await;
    let (status, body) = post_json(
        &format!("{relay}/passwordless/start"),
        json!({ "connection": "email", "email": "ada@example.com", "send": "code" }),
    )
    .await;
    assert_eq!(status, 502);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["error"],
        "upstream_unavailable"
    );
}

#[tokio::test]
async fn cors_allows_only_configured_origins() {
    let relay = relay_to(&echo_upstream().await).await;
    let preflight = |origin: &'static str| {
        reqwest::Client::new()
            .request(
                reqwest::Method::OPTIONS,
                format!("{relay}/passwordless/start"),
            )
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let allowed = preflight(ORIGIN).await.unwrap();
    assert_eq!(allowed.headers()["access-control-allow-origin"], ORIGIN);
    let other = preflight("http://evil.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}
