//! Prometheus-format metrics: requests by route and outcome, and upstream latency.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Default)]
struct Histogram {
    /// Cumulative counts per bucket of [`BUCKETS`].
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(&'static str, &'static str), u64>>,
    upstream: Mutex<BTreeMap<&'static str, Histogram>>,
}

impl Metrics {
    /// Counts a request to `route` that ended as `outcome`.
    pub fn request(&self, route: &'static str, outcome: &'static str) {
        if let Ok(mut requests) = self.requests.lock() {
            *requests.entry((route, outcome)).or_default() += 1;
        }
    }

    pub fn upstream_latency(&self, route: &'static str, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        if let Ok(mut upstream) = self.upstream.lock() {
            let histogram = upstream.entry(route).or_default();
            for (bucket, bound) in histogram.buckets.iter_mut().zip(BUCKETS) {
                if seconds <= bound {
                    *bucket += 1;
                }
            }
            histogram.count += 1;
            histogram.sum += seconds;
        }
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP relay_requests_total Requests by route and outcome.\n");
        out.push_str("# TYPE relay_requests_total counter\n");
        if let Ok(requests) = self.requests.lock() {
            for ((route, outcome), count) in requests.iter() {
                let _ = writeln!(
                    out,
                    "relay_requests_total{{route=\"{route}\",outcome=\"{outcome}\"}} {count}"
                );
            }
        }
        out.push_str("# HELP relay_upstream_latency_seconds Time the upstream took to answer.\n");
        out.push_str("# TYPE relay_upstream_latency_seconds histogram\n");
        if let Ok(upstream) = self.upstream.lock() {
            for (route, h) in upstream.iter() {
                for (bound, count) in BUCKETS.iter().zip(h.buckets) {
                    let _ = writeln!(out, "relay_upstream_latency_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}");
                }
                let _ = writeln!(
                    out,
                    "relay_upstream_latency_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(
                    out,
                    "relay_upstream_latency_seconds_sum{{route=\"{route}\"}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "relay_upstream_latency_seconds_count{{route=\"{route}\"}} {}",
                    h.count
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_cumulative_buckets() {
        let metrics = Metrics::default();
        metrics.request("start", "ok");
        metrics.request("start", "ok");
        metrics.request("token", "rate_limited");
        metrics.upstream_latency("start", Duration::from_millis(30));
        let text = metrics.render();
        assert!(text.contains("relay_requests_total{route=\"start\",outcome=\"ok\"} 2"));
        assert!(text.contains("relay_requests_total{route=\"token\",outcome=\"rate_limited\"} 1"));
        assert!(
            text.contains("relay_upstream_latency_seconds_bucket{route=\"start\",le=\"0.025\"} 0")
        );
        assert!(
            text.contains("relay_upstream_latency_seconds_bucket{route=\"start\",le=\"0.05\"} 1")
        );
        assert!(text.contains("relay_upstream_latency_seconds_count{route=\"start\"} 1"));
    }
}
