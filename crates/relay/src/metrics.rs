//! Prometheus metrics with prometheus-client: requests by route and outcome, and upstream
//! latency, rendered in the OpenMetrics text format that Prometheus scrapes.

use std::time::Duration;

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: &'static str,
    outcome: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: &'static str,
}

fn latency_histogram() -> Histogram {
    Histogram::new(BUCKETS)
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    upstream: Family<RouteLabels, Histogram, fn() -> Histogram>,
}

impl Default for Metrics {
    fn default() -> Self {
        let requests = Family::<RequestLabels, Counter>::default();
        let upstream = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram,
        );
        let mut registry = Registry::default();
        registry.register(
            "relay_requests",
            "Requests by route and outcome",
            requests.clone(),
        );
        registry.register(
            "relay_upstream_latency_seconds",
            "Time the upstream took to answer",
            upstream.clone(),
        );
        Self {
            registry,
            requests,
            upstream,
        }
    }
}

impl Metrics {
    /// Counts a request to `route` that ended as `outcome`.
    pub fn request(&self, route: &'static str, outcome: &'static str) {
        self.requests
            .get_or_create(&RequestLabels { route, outcome })
            .inc();
    }

    pub fn upstream_latency(&self, route: &'static str, elapsed: Duration) {
        self.upstream
            .get_or_create(&RouteLabels { route })
            .observe(elapsed.as_secs_f64());
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = encode(&mut out, &self.registry);
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
            text.contains("relay_upstream_latency_seconds_bucket{le=\"0.025\",route=\"start\"} 0")
        );
        assert!(
            text.contains("relay_upstream_latency_seconds_bucket{le=\"0.05\",route=\"start\"} 1")
        );
        assert!(text.contains("relay_upstream_latency_seconds_count{route=\"start\"} 1"));
    }
}
