//! The relay: deployed beside a Regular Web Application's site, it holds `client_secret` and
//! forwards only the allowed Auth0 Authentication API calls, telling the identity provider
//! the end user's real IP in `auth0-forwarded-for`, under its own rate limits.

pub mod client_ip;
pub mod clock;
pub mod config;
pub mod error;
pub mod limits;
pub mod metrics;
pub mod process;
mod routes;
pub mod rules;
mod upstream;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rand::rngs::StdRng;
use rand::SeedableRng;

use routes::RequestIds;
pub use routes::{app, cors};

use crate::clock::{SystemClock, WallClock};
use crate::config::RelayConfig;
use crate::limits::{Limiter, Rates};
use crate::metrics::Metrics;
use crate::upstream::Upstream;

/// The relay's state, cheap to clone and shared by every request.
#[derive(Clone)]
pub struct Relay {
    inner: Arc<RelayInner>,
}

struct RelayInner {
    config: RelayConfig,
    upstream: Upstream,
    clock: Arc<dyn WallClock>,
    limiter: Limiter,
    metrics: Metrics,
    request_ids: RequestIds,
    /// The well-known documents, with when they were fetched.
    discovery: Mutex<HashMap<&'static str, routes::CachedDocument>>,
}

impl Relay {
    /// A relay for `config`; connects to Redis when one is configured.
    pub async fn new(config: RelayConfig) -> Result<Self, String> {
        Self::with_rng(config, StdRng::from_entropy()).await
    }

    /// As [`Relay::new`], with the RNG its request ids come from (tests seed it).
    pub async fn with_rng(config: RelayConfig, rng: StdRng) -> Result<Self, String> {
        Self::with_clock(config, rng, Arc::new(SystemClock)).await
    }

    /// As [`Relay::with_rng`], with the wall clock an upstream's `Retry-After` date is counted
    /// from (tests fix it).
    pub async fn with_clock(
        config: RelayConfig,
        rng: StdRng,
        clock: Arc<dyn WallClock>,
    ) -> Result<Self, String> {
        let upstream = Upstream::new(&config)?;
        let rates = Rates::from(config.limits);
        let limiter = match &config.redis_url {
            Some(url) => Limiter::redis(url, rates)
                .await
                .map_err(|e| format!("cannot connect to Redis: {e}"))?,
            None => Limiter::memory(rates),
        };
        Ok(Self {
            inner: Arc::new(RelayInner {
                config,
                upstream,
                clock,
                limiter,
                metrics: Metrics::default(),
                request_ids: RequestIds::new(rng),
                discovery: Mutex::default(),
            }),
        })
    }

    pub fn config(&self) -> &RelayConfig {
        &self.inner.config
    }

    fn upstream(&self) -> &Upstream {
        &self.inner.upstream
    }

    fn clock(&self) -> &dyn WallClock {
        self.inner.clock.as_ref()
    }

    /// The rate limits (public for the limiter benchmark, which fills them with clients).
    pub fn limiter(&self) -> &Limiter {
        &self.inner.limiter
    }

    fn request_ids(&self) -> &RequestIds {
        &self.inner.request_ids
    }

    fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }
}
