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

    /// Opens a magic link as a person does: `GET` its confirmation page, then press "Continue"
    /// (`POST` the page's form). The answer's status and `Location`, or the page when there is
    /// no form to submit (an error page) or no redirect.
    pub async fn follow(&self, url: &str) -> (StatusCode, String) {
        let (status, _, page) = self.open_link(url, "GET").await;
        let page = String::from_utf8_lossy(&page).into_owned();
        if status != StatusCode::OK {
            return (status, page);
        }
        let (action, fields) = link_form(&page);
        assert_eq!(
            action, "verify_redirect",
            "the form posts back to the link's path"
        );
        self.submit_link(&fields).await
    }

    /// `method` (`GET` or `HEAD`) on a link: status, headers and body.
    pub async fn open_link(&self, url: &str, method: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
        let path = url.strip_prefix(ISSUER_BASE).unwrap_or(url);
        self.send_raw(
            Request::builder()
                .method(method)
                .uri(path)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// `POST /passwordless/verify_redirect` with `fields` as a form: status and `Location`.
    pub async fn submit_link(&self, fields: &[(String, String)]) -> (StatusCode, String) {
        let (status, headers, body) = self
            .send_raw(
                Request::post("/passwordless/verify_redirect")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from(serde_urlencoded::to_string(fields).unwrap()))
                    .unwrap(),
            )
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

/// The confirmation page's form: its `action` and hidden fields, unescaped.
pub fn link_form(page: &str) -> (String, Vec<(String, String)>) {
    let attribute = |tag: &str, name: &str| {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = start + tag[start..].find('"')?;
        Some(unescape(&tag[start..end]))
    };
    let form = &page[page.find("<form").expect("a form on the page")..];
    let action = attribute(&form[..form.find('>').unwrap()], "action").expect("an action");
    assert!(
        form.starts_with("<form method=\"post\""),
        "the form posts: {form}"
    );
    let fields = form
        .split("<input")
        .skip(1)
        .map(|input| {
            let tag = &input[..input.find('>').unwrap()];
            assert!(tag.contains("type=\"hidden\""), "{tag}");
            (
                attribute(tag, "name").unwrap(),
                attribute(tag, "value").unwrap(),
            )
        })
        .collect();
    (action, fields)
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
