//! A tenant on a manual clock with a seeded RNG, called through its router without a socket.

#![allow(dead_code)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use passwordless_tenant::clock::ManualClock;
use passwordless_tenant::config::TenantConfig;
use passwordless_tenant::{router, Tenant};
use rand::SeedableRng;
use serde_json::{json, Value};
use tower::ServiceExt;

pub const SECRET: &str = "test-secret-0123456789";
pub const CLIENT: &str = "demo-client";
pub const OTP_GRANT: &str = "http://auth0.com/oauth/grant-type/passwordless/otp";

pub struct TestTenant {
    pub router: axum::Router,
    pub clock: Arc<ManualClock>,
}

impl TestTenant {
    pub fn new() -> Self {
        let clock = Arc::new(ManualClock::new(1_795_626_834));
        let config = TenantConfig::demo(
            "http://127.0.0.1:8081",
            SECRET.into(),
            vec!["http://127.0.0.1:8080".into()],
        );
        let tenant =
            Tenant::new(config, clock.clone(), rand::rngs::StdRng::seed_from_u64(7)).unwrap();
        Self {
            router: router(tenant),
            clock,
        }
    }

    pub async fn send(&self, request: Request<Body>) -> (StatusCode, Value) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, value)
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
