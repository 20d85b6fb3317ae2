//! The relay: deployed beside a Regular Web Application's site, it holds `client_secret` and
//! forwards only the allowed Auth0 Authentication API calls, telling the identity provider
//! the end user's real IP in `auth0-forwarded-for`.

pub mod config;
#[cfg(feature = "dev")]
pub mod dev;
pub mod error;
mod routes;
pub mod rules;
mod upstream;

use std::sync::Arc;

pub use routes::{app, cors};

use crate::config::RelayConfig;
use crate::upstream::Upstream;

/// The relay's state, cheap to clone and shared by every request.
#[derive(Clone)]
pub struct Relay {
    inner: Arc<RelayInner>,
}

struct RelayInner {
    config: RelayConfig,
    upstream: Upstream,
}

impl Relay {
    pub fn new(config: RelayConfig) -> Result<Self, reqwest::Error> {
        let upstream = Upstream::new(&config.upstream)?;
        Ok(Self {
            inner: Arc::new(RelayInner { config, upstream }),
        })
    }

    pub fn config(&self) -> &RelayConfig {
        &self.inner.config
    }

    fn upstream(&self) -> &Upstream {
        &self.inner.upstream
    }
}
