//! Benchmark (not a test) of the relay's `POST /passwordless/start` with 1 k and with 1 M
//! distinct clients held by its rate limiter, and their ratio (the goal: within 10%).
//!
//! ```sh
//! cargo run --release -p passwordless-relay --example relay_start_bench [REQUESTS] [CONNECTIONS]
//! ```
//!
//! In one process on loopback: a relay (in-memory limits, raised so that nothing is refused;
//! this process trusted as its proxy, so `X-Forwarded-For` names the client) in front of a
//! stub upstream that answers every start at once, so that the relay is what is measured,
//! and a client with CONNECTIONS (default 32) concurrent keep-alive connections. For the 1 M
//! case the limiter is first given 1 M clients; then both cases send REQUESTS (default 40 000)
//! from clients drawn in turn from their set, each phase twice, and report the better.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Instant;

use axum::routing::post;
use axum::{Json, Router};
use passwordless_relay::config::{ClientSecret, RelayConfig};
use passwordless_relay::limits::{Bucket, Subject};
use passwordless_relay::{app, Relay};
use serde_json::json;
use tokio::net::TcpListener;

async fn serve(router: Router) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("its address");
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .expect("serving");
    });
    addr
}

/// The `n`th client: distinct IPv4 addresses in 10.0.0.0/8.
fn client(n: u32) -> String {
    std::net::Ipv4Addr::from(0x0a00_0000 | (n & 0x00ff_ffff)).to_string()
}

/// Requests per second for `requests` starts over `connections`, clients `0..keys` in turn.
async fn phase(relay: &str, requests: u32, connections: u32, keys: u32) -> f64 {
    let http = reqwest::Client::new();
    let next = Arc::new(AtomicU32::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let (http, next, url) = (http.clone(), next.clone(), format!("{relay}/passwordless/start"));
            tokio::spawn(async move {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= requests {
                        return;
                    }
                    let response = http
                        .post(&url)
                        .header("x-forwarded-for", client(n.wrapping_mul(2_654_435_761) % keys))
                        .json(&json!({ "connection": "email", "email": "bench@example.com", "send": "code" }))
                        .send()
                        .await
                        .expect("the relay answers");
                    assert_eq!(response.status(), 200, "nothing refused");
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.expect("a worker");
    }
    f64::from(requests) / started.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let requests: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(40_000);
    let connections: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(32);

    let upstream = serve(Router::new().route(
        "/passwordless/start",
        post(|| async {
            Json(json!({ "_id": "bench", "email": "bench@example.com", "email_verified": false }))
        }),
    ))
    .await;
    let mut config = RelayConfig::new(
        &format!("http://{upstream}"),
        "bench",
        ClientSecret::new("bench-secret".into()),
    );
    config.trusted_proxies = vec!["127.0.0.1".parse().expect("a network")];
    config.limits.start_per_ip = u32::MAX;
    config.limits.start_per_identifier = u32::MAX;
    let relay = Relay::new(config).await.expect("a relay");
    let url = format!("http://{}", serve(app(relay.clone())).await);

    println!("relay POST /passwordless/start, {requests} requests over {connections} connections, best of 2");
    phase(&url, 2_000, connections, 1_000).await; // warm-up: connections, caches
    let mut small: f64 = 0.0;
    for _ in 0..2 {
        small = small.max(phase(&url, requests, connections, 1_000).await);
    }
    println!("1k clients: {small:>9.0} req/s");
    let filling = Instant::now();
    for n in 0..1_000_000 {
        relay
            .limiter()
            .hit(
                Bucket::StartIp,
                &Subject::client(client(n).parse().expect("an address")),
            )
            .await;
    }
    println!(
        "(1M clients put in the limiter in {:.1} s)",
        filling.elapsed().as_secs_f64()
    );
    let mut large: f64 = 0.0;
    for _ in 0..2 {
        large = large.max(phase(&url, requests, connections, 1_000_000).await);
    }
    println!("1M clients: {large:>9.0} req/s");
    println!();
    println!("ratio 1M / 1k: {:.2}", large / small);
}
