//! Operations: health, readiness, metrics, and a graceful shutdown that lets in-flight
//! requests finish.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::routing::post;
use axum::{Json, Router};
use common::*;
use passwordless_relay::{app, Relay};
use serde_json::json;
use tokio::net::TcpListener;

#[tokio::test]
async fn health_readiness_and_metrics() {
    let tenant = tenant().await;
    let relay = relay_to(&tenant).await;
    assert_eq!(get_json(&format!("{relay}/healthz")).await["status"], "ok");
    let ready = reqwest::get(format!("{relay}/readyz")).await.unwrap();
    assert_eq!(ready.status(), 200);

    post_json(
        &format!("{relay}/passwordless/start"),
        json!({ "connection": "email", "email": "a@b.co", "send": "code" }),
    )
    .await;
    post_json(
        &format!("{relay}/oauth/token"),
        json!({ "grant_type": "password" }),
    )
    .await;
    let metrics = reqwest::get(format!("{relay}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("relay_requests_total{route=\"start\",outcome=\"ok\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("relay_requests_total{route=\"token\",outcome=\"refused\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("relay_upstream_latency_seconds_count{route=\"start\"} 1"),
        "{metrics}"
    );

    let down = relay_to(&format!("http://127.0.0.1:{}", dead_port().await)).await;
    let not_ready = reqwest::get(format!("{down}/readyz")).await.unwrap();
    assert_eq!(not_ready.status(), 503);
    assert_eq!(
        reqwest::get(format!("{down}/healthz"))
            .await
            .unwrap()
            .status(),
        200,
        "alive, though not ready"
    );
}

#[tokio::test]
async fn a_graceful_shutdown_finishes_in_flight_requests() {
    // The upstream says when the request has reached it: the relay then holds it in flight
    // (a fixed sleep instead loses the race on a busy machine).
    let arrived = Arc::new(tokio::sync::Notify::new());
    let reached = arrived.clone();
    let slow = Router::new().route(
        "/passwordless/start",
        post(move || async move {
            reached.notify_one();
            tokio::time::sleep(Duration::from_millis(500)).await;
            Json(json!({ "_id": "1", "email": "a@b.co", "email_verified": false }))
        }),
    );
    let upstream = format!("http://{}", serve(slow).await);
    let relay = Relay::new(relay_config(&upstream)).await.unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(
        axum::serve(
            listener,
            app(relay).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = stopped.await;
        })
        .into_future(),
    );
    let in_flight = tokio::spawn(post_json_owned(format!("{url}/passwordless/start")));
    arrived.notified().await;
    stop.send(()).unwrap();
    let (status, body) = in_flight.await.unwrap();
    assert_eq!(status, 200, "the in-flight request finished: {body}");
    server.await.unwrap().unwrap();
    assert!(
        reqwest::get(format!("{url}/healthz")).await.is_err(),
        "no longer accepting"
    );
}

async fn post_json_owned(url: String) -> (u16, String) {
    post_json(
        &url,
        json!({ "connection": "email", "email": "a@b.co", "send": "code" }),
    )
    .await
}

use std::future::IntoFuture;
