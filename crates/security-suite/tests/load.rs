//! Load: hundreds of concurrent complete flows (start → dev inbox → verify) through the real
//! relay binary in front of the real tenant binary, for a bounded time, in two identical
//! phases after a warm-up.
//!
//! Pass: every flow completes with a session of its own address (no 5xx, no answer crossed to
//! another request, no secret in any answer), and the relay counted exactly one start and one
//! token call answered per flow.
//! Flows/s, latency quantiles and the relay's resident memory after each phase (and its growth
//! from the first to the second) are printed, never asserted: the machine is shared.
//! `SECURITY_LOAD_CONCURRENCY` (200) and `SECURITY_LOAD_SECONDS` (5 per phase) size it; the
//! soak (`npm run test:security -- --soak`) raises them.

use std::sync::Arc;
use std::time::{Duration, Instant};

use passwordless_security_suite::figures::Sample;
use passwordless_security_suite::flow::{complete_flow, FlowFailure};
use passwordless_security_suite::servers::{self, RelayOptions, TenantOptions};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Phase {
    flows: usize,
    failures: Vec<(String, FlowFailure)>,
    latencies: Sample,
    elapsed: Duration,
}

/// `concurrency` workers, each with its own address, run flows back to back until `length`
/// has passed. The same addresses in every phase: the phases are identical.
async fn phase(relay: &str, tenant: &str, concurrency: u64, length: Duration) -> Phase {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency as usize)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let relay: Arc<str> = relay.into();
    let tenant: Arc<str> = tenant.into();
    let started = Instant::now();
    let deadline = started + length;
    let workers: Vec<_> = (0..concurrency)
        .map(|worker| {
            let (http, relay, tenant) = (http.clone(), relay.clone(), tenant.clone());
            tokio::spawn(async move {
                let email = format!("load-{worker}@example.com");
                let mut latencies = Vec::new();
                let mut failures = Vec::new();
                while Instant::now() < deadline {
                    let t = Instant::now();
                    match complete_flow(&http, &relay, &tenant, &email).await {
                        Ok(()) => latencies.push(t.elapsed()),
                        Err(failure) => failures.push((email.clone(), failure)),
                    }
                }
                (latencies, failures)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut failures = Vec::new();
    for worker in workers {
        let (l, f) = worker.await.expect("a worker");
        latencies.extend(l);
        failures.extend(f);
    }
    Phase {
        flows: latencies.len(),
        failures,
        latencies: Sample::new(latencies),
        elapsed: started.elapsed(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_concurrent_flows_complete_with_flat_memory() {
    let concurrency = setting("SECURITY_LOAD_CONCURRENCY", 200);
    let seconds = setting("SECURITY_LOAD_SECONDS", 5);
    let work = servers::workdir();
    let tenant = servers::tenant(work.path(), TenantOptions::default()).await;
    let relay = servers::relay(work.path(), &tenant.url, RelayOptions::default()).await;

    let warm_up = phase(&relay.url, &tenant.url, concurrency, Duration::from_secs(2)).await;
    let mut rss = vec![relay.rss_kib()];
    let mut phases = Vec::new();
    for _ in 0..2 {
        phases.push(
            phase(
                &relay.url,
                &tenant.url,
                concurrency,
                Duration::from_secs(seconds),
            )
            .await,
        );
        rss.push(relay.rss_kib());
    }

    println!("load: {concurrency} concurrent flows, 2 phases of {seconds} s after a 2 s warm-up");
    for (i, p) in phases.iter().enumerate() {
        println!(
            "load: phase {}: {} flows in {:.1} s = {:.0} flows/s; flow latency {}; relay RSS {} KiB",
            i + 1,
            p.flows,
            p.elapsed.as_secs_f64(),
            p.flows as f64 / p.elapsed.as_secs_f64(),
            p.latencies.summary(),
            rss[i + 1]
        );
    }
    println!(
        "load: relay RSS after warm-up {} KiB, tenant RSS now {} KiB (its dev inbox holds the last 1000 messages)",
        rss[0],
        tenant.rss_kib()
    );
    let (first, second) = (rss[1], rss[2]);
    let growth = second as i64 - first as i64;
    println!(
        "load: relay RSS from phase 1 to phase 2 (identical phases): {growth:+} KiB ({:+.1} %)",
        growth as f64 * 100.0 / first as f64
    );

    for p in std::iter::once(&warm_up).chain(&phases) {
        assert!(
            p.failures.is_empty(),
            "{} of {} flows failed, first: {:?}",
            p.failures.len(),
            p.flows + p.failures.len(),
            p.failures.first()
        );
        assert!(p.flows > 0, "no flow completed");
    }
    // Every flow measured is one start and one token call that the relay itself counts as
    // answered.
    let flows: usize = std::iter::once(&warm_up)
        .chain(&phases)
        .map(|p| p.flows)
        .sum();
    let metrics = reqwest::get(format!("{}/metrics", relay.url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let answered = |route: &str| -> Option<usize> {
        let counter = format!("relay_requests_total{{route=\"{route}\",outcome=\"ok\"}} ");
        metrics
            .lines()
            .find_map(|line| line.strip_prefix(counter.as_str()))
            .and_then(|n| n.parse().ok())
    };
    assert_eq!(
        (answered("start"), answered("token")),
        (Some(flows), Some(flows)),
        "one start and one token call per completed flow:\n{metrics}"
    );
}
