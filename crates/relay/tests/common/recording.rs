//! An upstream that records what the relay sent it (the passkey and My Account suites).

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Value};

use super::{parse, serve, ORIGIN};

pub const WEBAUTHN_GRANT: &str = "urn:okta:params:oauth:grant-type:webauthn";
pub const METHODS: &str = "/me/v1/authentication-methods";

/// One request as the upstream saw it.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: Method,
    /// The path as sent, percent-encoding included.
    pub path: String,
    pub content_type: Option<String>,
    pub forwarded_for: Option<String>,
    pub authorization: Option<String>,
    pub body: Value,
}

pub type Log = Arc<Mutex<Vec<Received>>>;

/// An upstream that records every request and answers as Auth0 would in shape: a ceremony
/// for the passkey paths, `201` with a `Location` for an enrolment, and `{"ok": true}` else.
pub async fn recording_upstream() -> (String, Log) {
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

pub fn last(log: &Log) -> Received {
    log.lock()
        .unwrap()
        .last()
        .cloned()
        .expect("the upstream was called")
}

pub fn credential() -> Value {
    json!({"id": "Y3JlZA", "rawId": "Y3JlZA", "type": "public-key", "authenticatorAttachment": "platform",
           "response": {"clientDataJSON": "e30", "authenticatorData": "YXV0aA", "signature": "c2ln", "userHandle": "dQ"},
           "clientExtensionResults": {"credProps": {"rk": true}}})
}

/// POSTs JSON with an optional bearer; the status, the headers and the body.
pub async fn post(url: &str, bearer: Option<&str>, body: Value) -> (u16, HeaderMap, Value) {
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
