//! A local, Auth0-compatible identity provider for development and tests.
//!
//! It answers the passwordless part of the Auth0 Authentication API (see
//! `shared/docs/contract.md`), keeps what it would have sent in a dev inbox, and signs RS256
//! tokens with a key published as a JWKS.

pub mod clock;
pub mod codes;
pub mod config;
pub mod error;
pub mod identifiers;
pub mod inbox;
pub mod keys;
mod routes;
mod users;

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use rand::rngs::StdRng;

use crate::clock::Clock;
use crate::codes::CodeBook;
use crate::config::TenantConfig;
use crate::error::TenantError;
use crate::inbox::Inbox;
use crate::keys::SigningKey;
use crate::users::Users;

pub use routes::{app, dev_routes};

/// One tenant's state, cheap to clone and shared by every request.
#[derive(Clone)]
pub struct Tenant {
    inner: Arc<TenantInner>,
}

struct TenantInner {
    config: TenantConfig,
    clock: Arc<dyn Clock>,
    rng: Mutex<StdRng>,
    key: SigningKey,
    codes: Mutex<CodeBook>,
    users: Mutex<Users>,
    inbox: Mutex<Inbox>,
}

impl Tenant {
    /// A tenant with a freshly generated signing key. Time and randomness come from the caller.
    pub fn new(
        config: TenantConfig,
        clock: Arc<dyn Clock>,
        mut rng: StdRng,
    ) -> Result<Self, rsa::Error> {
        let key = SigningKey::generate(&mut rng)?;
        Ok(Self {
            inner: Arc::new(TenantInner {
                config,
                clock,
                rng: Mutex::new(rng),
                key,
                codes: Mutex::default(),
                users: Mutex::default(),
                inbox: Mutex::default(),
            }),
        })
    }

    pub fn config(&self) -> &TenantConfig {
        &self.inner.config
    }

    fn now(&self) -> u64 {
        self.inner.clock.now()
    }

    fn key(&self) -> &SigningKey {
        &self.inner.key
    }

    fn rng(&self) -> Result<MutexGuard<'_, StdRng>, TenantError> {
        lock(&self.inner.rng)
    }

    fn codes(&self) -> Result<MutexGuard<'_, CodeBook>, TenantError> {
        lock(&self.inner.codes)
    }

    fn users(&self) -> Result<MutexGuard<'_, Users>, TenantError> {
        lock(&self.inner.users)
    }

    fn inbox(&self) -> Result<MutexGuard<'_, Inbox>, TenantError> {
        lock(&self.inner.inbox)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> Result<MutexGuard<'_, T>, TenantError> {
    mutex
        .lock()
        .map_err(|_| TenantError::internal("a lock was poisoned by an earlier panic"))
}

/// The router of a tenant, with its dev routes, ready to serve.
pub fn router(tenant: Tenant) -> Router {
    app(tenant.clone()).merge(dev_routes(tenant))
}

/// A tenant on the wall clock with OS randomness and the built-in demo client.
pub fn demo_tenant(
    issuer_base: &str,
    demo_client_secret: String,
    demo_origins: Vec<String>,
) -> Result<Tenant, rsa::Error> {
    use rand::SeedableRng;
    Tenant::new(
        TenantConfig::demo(issuer_base, demo_client_secret, demo_origins),
        Arc::new(clock::SystemClock),
        StdRng::from_entropy(),
    )
}

/// A random secret for the demo client when none is configured: 32 bytes, hex.
pub fn random_secret() -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    (0..32)
        .map(|_| format!("{:02x}", rng.gen::<u8>()))
        .collect()
}
