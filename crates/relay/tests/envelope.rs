//! What every request goes through, driven with `oneshot` (no sockets): request ids from the
//! relay's seeded RNG (or a proxy's), and refusals before anything goes upstream.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use axum::Router;
use passwordless_relay::{app, Relay};
use rand::rngs::StdRng;
use rand::SeedableRng;
use tower::ServiceExt;

use common::relay_config;

/// Nothing listens there: a test that reached the upstream would fail.
const NO_UPSTREAM: &str = "http://127.0.0.1:9";

async fn relay(seed: u64) -> Router {
    let relay = Relay::with_rng(relay_config(NO_UPSTREAM), StdRng::seed_from_u64(seed))
        .await
        .unwrap();
    app(relay)
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

async fn answer(router: &Router, request: Request<Body>) -> (StatusCode, Option<String>, String) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let id = response
        .headers()
        .get("x-request-id")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = axum::body::to_bytes(response.into_body(), 1 << 16)
        .await
        .unwrap();
    (status, id, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn request_ids_come_from_the_relays_rng() {
    let (first, second) = (relay(7).await, relay(7).await);
    let mut ids = Vec::new();
    for _ in 0..3 {
        let (status, a, _) = answer(&first, get("/healthz")).await;
        let (_, b, _) = answer(&second, get("/healthz")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(a, b, "one seed, one sequence of ids");
        let a = a.expect("every answer has an id");
        assert_eq!(a.len(), 16);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()), "{a}");
        ids.push(a);
    }
    ids.dedup();
    assert_eq!(ids.len(), 3, "each request its own id: {ids:?}");
    let (_, other, _) = answer(&relay(8).await, get("/healthz")).await;
    assert_ne!(other.as_ref(), Some(&ids[0]));
}

#[tokio::test]
async fn an_id_set_by_a_proxy_in_front_is_kept() {
    let request = Request::get("/no/such/path")
        .header("x-request-id", "lb-4711")
        .body(Body::empty())
        .unwrap();
    let (status, id, body) = answer(&relay(1).await, request).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(id.as_deref(), Some("lb-4711"));
    assert!(body.contains(r#""error":"not_found""#), "{body}");
}

#[tokio::test]
async fn a_refused_start_never_needs_the_upstream_or_a_socket() {
    let mut request = Request::post("/passwordless/start")
        .header("content-type", "application/json")
        .body(Body::from(
            r#"{"connection":"github","email":"ada@example.com","send":"code"}"#,
        ))
        .unwrap();
    let peer: SocketAddr = "127.0.0.1:50000".parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    let (status, id, body) = answer(&relay(2).await, request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(id.is_some());
    assert!(body.contains(r#""error":"bad.connection""#), "{body}");
}
