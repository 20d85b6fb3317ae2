//! A local, Auth0-compatible identity provider for development and tests.
//!
//! It answers the passwordless part of the Auth0 Authentication API (see
//! `shared/docs/contract.md`), keeps what it would have sent in a dev inbox, signs RS256
//! tokens with a key published as a JWKS, and keeps its state in SQLite.

mod authorization_codes;
mod brute_force;
pub mod clock;
pub mod codes;
pub mod config;
pub mod config_file;
pub mod error;
mod faults;
pub mod identifiers;
pub mod inbox;
pub mod keys;
pub mod messages;
pub mod mfa;
mod rate_limit;
mod routes;
pub mod store;
mod tokens;
mod users;

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use rand::rngs::StdRng;

use crate::clock::{Clock, OffsetClock};
use crate::config::TenantConfig;
use crate::error::TenantError;
use crate::keys::SigningKey;
use crate::store::Store;

pub use routes::{app, dev_routes};

/// One tenant's state, cheap to clone and shared by every request.
#[derive(Clone)]
pub struct Tenant {
    inner: Arc<TenantInner>,
}

struct TenantInner {
    config: TenantConfig,
    clock: OffsetClock,
    rng: Mutex<StdRng>,
    key: SigningKey,
    store: Store,
}

impl Tenant {
    /// A tenant keeping its state in `store`, signing with the key kept there (or a new one).
    /// Time and randomness come from the caller.
    pub fn new(
        config: TenantConfig,
        store: Store,
        clock: Arc<dyn Clock>,
        mut rng: StdRng,
    ) -> Result<Self, TenantError> {
        let clock = OffsetClock::new(clock);
        let key = SigningKey::load_or_generate(&store, &mut rng, clock.now())?;
        Ok(Self {
            inner: Arc::new(TenantInner {
                config,
                clock,
                rng: Mutex::new(rng),
                key,
                store,
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

    fn store(&self) -> &Store {
        &self.inner.store
    }

    fn rng(&self) -> Result<MutexGuard<'_, StdRng>, TenantError> {
        self.inner
            .rng
            .lock()
            .map_err(|_| TenantError::internal("the RNG's lock was poisoned"))
    }

    /// An id for a user that may be created: 24 hex digits, as Auth0's passwordless ids.
    fn new_user_id(&self) -> Result<String, TenantError> {
        use rand::Rng;
        let mut rng = self.rng()?;
        Ok((0..12)
            .map(|_| format!("{:02x}", rng.gen::<u8>()))
            .collect())
    }

    /// `n` random bytes as unpadded base64url: tokens, codes for links, ids.
    fn random_token(&self, n: usize) -> Result<String, TenantError> {
        use base64::Engine;
        use rand::RngCore;
        let mut bytes = vec![0u8; n];
        self.rng()?.fill_bytes(&mut bytes);
        Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }
}

/// The router of a tenant, with its dev routes, ready to serve.
pub fn router(tenant: Tenant) -> Router {
    app(tenant.clone()).merge(dev_routes(tenant))
}

/// Where a tenant keeps its state.
pub enum Storage<'a> {
    InMemory,
    DataDir(&'a std::path::Path),
}

/// A tenant on the wall clock with OS randomness.
pub fn open_tenant(config: TenantConfig, storage: Storage<'_>) -> Result<Tenant, String> {
    use rand::SeedableRng;
    let store = match storage {
        Storage::InMemory => Store::in_memory(),
        Storage::DataDir(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create the data dir {}: {e}", dir.display()))?;
            Store::open(dir)
        }
    }
    .map_err(|e| format!("cannot open the tenant's store: {e}"))?;
    Tenant::new(
        config,
        store,
        Arc::new(clock::SystemClock),
        StdRng::from_entropy(),
    )
    .map_err(|e| format!("cannot start the tenant: {}", e.wire.error_description))
}

/// A random secret for the demo client when none is configured: 32 bytes, hex.
pub fn random_secret() -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    (0..32)
        .map(|_| format!("{:02x}", rng.gen::<u8>()))
        .collect()
}
