//! A tenant on a manual clock with a seeded RNG, called through its router without a socket.

#![allow(dead_code)]

pub mod mfa;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use passwordless_tenant::clock::ManualClock;
use passwordless_tenant::config::TenantConfig;
use passwordless_tenant::store::Store;
use passwordless_tenant::{router, Tenant};
use rand::SeedableRng;
use serde_json::{json, Value};
use tower::ServiceExt;

pub const SECRET: &str = "test-secret-0123456789";
pub const CLIENT: &str = "demo-client";
pub const OTP_GRANT: &str = "http://auth0.com/oauth/grant-type/passwordless/otp";
pub const ISSUER_BASE: &str = "http://127.0.0.1:8081";
pub const CALLBACK: &str = "http://127.0.0.1:8080/";

pub struct TestTenant {
    pub router: axum::Router,
    pub clock: Arc<ManualClock>,
}

impl TestTenant {
    pub fn new() -> Self {
        Self::with(|_| {})
    }

    /// A tenant whose demo configuration `change` adjusts first.
    pub fn with(change: impl FnOnce(&mut TenantConfig)) -> Self {
        let clock = Arc::new(ManualClock::new(1_795_626_834));
        let mut config = TenantConfig::demo(
            ISSUER_BASE,
            SECRET.into(),
            vec!["http://127.0.0.1:8080".into()],
        );
        change(&mut config);
        let tenant = Tenant::new(
            config,
            Store::in_memory().unwrap(),
            clock.clone(),
            rand::rngs::StdRng::seed_from_u64(7),
        )
        .unwrap();
        Self {
            router: router(tenant),
            clock,
        }
    }

    pub async fn send(&self, request: Request<Body>) -> (StatusCode, Value) {
        let (status, _, bytes) = self.send_raw(request).await;
        let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, value)
    }

    /// Status, headers and body bytes.
    pub async fn send_raw(&self, request: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, bytes.to_vec())
    }

    /// A `GET` whose answer is a redirect: its `Location`.
    pub async fn follow(&self, url: &str) -> (StatusCode, String) {
        let path = url.strip_prefix(ISSUER_BASE).unwrap_or(url);
        let (status, headers, body) = self
            .send_raw(Request::get(path).body(Body::empty()).unwrap())
            .await;
        let location = headers
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned())
            .unwrap_or_else(|| String::from_utf8_lossy(&body).into_owned());
        (status, location)
    }

    pub async fn start(&self, body: Value) -> (StatusCode, Value) {
        let mut full = json!({ "client_id": CLIENT, "client_secret": SECRET });
        for (k, v) in body.as_object().unwrap() {
            full[k] = v.clone();
        }
        self.post_json("/passwordless/start", full).await
    }

    /// The newest inbox message for `to`.
    pub async fn latest_message(&self, to: &str) -> Value {
        let (_, inbox) = self
            .get(&format!("/dev/inbox?to={}", to.replace('+', "%2B")))
            .await;
        inbox[0].clone()
    }

    pub async fn token(&self, body: Value) -> (StatusCode, Value) {
        let mut full = json!({ "client_id": CLIENT, "client_secret": SECRET });
        for (k, v) in body.as_object().unwrap() {
            full[k] = v.clone();
        }
        self.post_json("/oauth/token", full).await
    }

    pub async fn post_json(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(
            Request::post(path)
                .header("content-type", "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    pub async fn start_email(&self, email: &str) -> (StatusCode, Value) {
        self.post_json(
            "/passwordless/start",
            json!({ "client_id": CLIENT, "client_secret": SECRET, "connection": "email",
                    "email": email, "send": "code" }),
        )
        .await
    }

    /// The newest code in the dev inbox for `to`.
    pub async fn latest_code(&self, to: &str) -> String {
        let (status, inbox) = self.get(&format!("/dev/inbox?to={to}")).await;
        assert_eq!(status, StatusCode::OK);
        inbox[0]["code"]
            .as_str()
            .expect("a code in the inbox")
            .to_owned()
    }

    pub async fn verify_email(&self, email: &str, otp: &str) -> (StatusCode, Value) {
        self.post_json(
            "/oauth/token",
            json!({ "grant_type": OTP_GRANT, "client_id": CLIENT, "client_secret": SECRET,
                    "username": email, "otp": otp, "realm": "email", "scope": "openid profile email" }),
        )
        .await
    }
}

/// The header of a compact JWT.
pub fn jwt_header(token: &str) -> Value {
    use base64::Engine;
    let header = token.split('.').next().expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// The claims of a compact JWT, unverified (tests check signatures separately).
pub fn jwt_claims(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}
