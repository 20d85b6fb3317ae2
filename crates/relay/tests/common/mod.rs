//! Real relays and tenants on loopback ports, and small upstreams that misbehave on purpose.

#![allow(dead_code)]

pub mod recording;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use passwordless_relay::config::{ClientSecret, RelayConfig};
use passwordless_relay::{app, Relay};
use passwordless_tenant::clock::SystemClock;
use passwordless_tenant::config::{TenantConfig, DEMO_CLIENT_ID};
use passwordless_tenant::store::Store;
use passwordless_tenant::{router as tenant_router, Tenant};
use rand::SeedableRng;
use serde_json::Value;
use tokio::net::TcpListener;

pub const SECRET: &str = "relay-test-secret-5f2a9c";
pub const OTP_GRANT: &str = "http://auth0.com/oauth/grant-type/passwordless/otp";
pub const ORIGIN: &str = "http://127.0.0.1:9000";
pub const CALLBACK: &str = "http://127.0.0.1:9000/";
pub const CLIENT: &str = DEMO_CLIENT_ID;

/// Serves `router` on a free loopback port, with connect info.
pub async fn serve(router: Router) -> SocketAddr {
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

/// The relay's configuration for `upstream`, for tests to adjust.
pub fn relay_config(upstream: &str) -> RelayConfig {
    let mut config = RelayConfig::new(upstream, CLIENT, ClientSecret::new(SECRET.into()));
    config.allowed_origins = vec![ORIGIN.into()];
    config.callbacks = vec![CALLBACK.into()];
    config
}

pub async fn relay_with(config: RelayConfig) -> String {
    let addr = serve(app(Relay::new(config).await.unwrap())).await;
    format!("http://{addr}")
}

pub async fn relay_to(upstream: &str) -> String {
    relay_with(relay_config(upstream)).await
}

/// A real local tenant whose demo client has [`SECRET`].
pub async fn tenant() -> String {
    tenant_for(&[ORIGIN]).await
}

/// An origin a passkey may be used on: the tenant's relying party is `localhost` (WebAuthn
/// takes no IP address as one).
pub const PASSKEY_ORIGIN: &str = "http://localhost:9000";

/// A real local tenant whose demo client has [`SECRET`] and `origins`.
pub async fn tenant_for(origins: &[&str]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let origins = origins.iter().map(|o| (*o).to_owned()).collect();
    let config = TenantConfig::demo(&url, SECRET.into(), origins);
    let tenant = Tenant::new(
        config,
        Store::in_memory().unwrap(),
        Arc::new(SystemClock),
        rand::rngs::StdRng::seed_from_u64(1),
    )
    .unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            tenant_router(tenant).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap()
    });
    url
}

/// POSTs JSON and returns the status and the raw body, which tests search for the secret.
pub async fn post_json(url: &str, body: Value) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

pub async fn get_json(url: &str) -> Value {
    reqwest::get(url).await.unwrap().json().await.unwrap()
}

pub fn parse(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or(Value::Null)
}

/// A port nothing listens on.
pub async fn dead_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub const SHORT: Duration = Duration::from_millis(300);
