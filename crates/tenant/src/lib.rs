//! A local, Auth0-compatible identity provider for development and tests.
//!
//! It answers the passwordless part of the Auth0 Authentication API (see
//! `shared/docs/contract.md`), keeps what it would have sent in a dev inbox, signs RS256
//! tokens with a key published as a JWKS, and keeps its state in SQLite.
//!
//! The layout (one line per module) is in the crate's README: shared words in leaf modules,
//! axum-free domain modules (`login`, `tokens`, `mfa`), thin handlers in `routes`, and the
//! dev-only parts in `dev`, mounted by [`dev_routes`].

mod authorization_codes;
mod brute_force;
pub mod clock;
pub mod codes;
pub mod config;
pub mod config_file;
pub mod connection;
pub mod dev;
pub mod error;
pub mod failure;
pub mod hashing;
mod hooks;
pub mod identifiers;
pub mod keys;
mod login;
pub mod messages;
pub mod mfa;
mod passkeys;
pub mod policies;
mod rate_limit;
mod routes;
pub mod store;
mod tenant;
mod tokens;
mod users;

use std::sync::Arc;

use axum::Router;
use rand::rngs::StdRng;

use crate::config::TenantConfig;
use crate::store::Store;

pub use routes::app;
pub use tenant::Tenant;

/// The development-only routes (`/dev/...`); mounting them switches the dev tools on.
pub fn dev_routes(tenant: Tenant) -> Router {
    dev::mount(tenant)
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
    .map_err(|e| format!("cannot start the tenant: {e}"))
}

/// A random secret for the demo client when none is configured: 32 bytes, hex.
pub fn random_secret() -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    (0..32)
        .map(|_| format!("{:02x}", rng.gen::<u8>()))
        .collect()
}
