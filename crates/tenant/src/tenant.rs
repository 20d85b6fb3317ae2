//! One tenant's state: its configuration, clock, randomness, signing key, store and hooks;
//! cheap to clone and shared by every request.

use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use rand::rngs::StdRng;

use crate::clock::{Clock, OffsetClock};
use crate::config::TenantConfig;
use crate::failure::Failure;
use crate::hooks::{Hooks, WithoutDevTools};
use crate::keys::SigningKey;
use crate::store::Store;

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
    /// Set once, when the dev tools are mounted.
    hooks: OnceLock<Arc<dyn Hooks>>,
}

impl Tenant {
    /// A tenant keeping its state in `store`, signing with the key kept there (or a new one).
    /// Time and randomness come from the caller.
    pub fn new(
        config: TenantConfig,
        store: Store,
        clock: Arc<dyn Clock>,
        mut rng: StdRng,
    ) -> Result<Self, Failure> {
        let clock = OffsetClock::new(clock);
        let key = SigningKey::load_or_generate(&store, &mut rng, clock.now())?;
        Ok(Self {
            inner: Arc::new(TenantInner {
                config,
                clock,
                rng: Mutex::new(rng),
                key,
                store,
                hooks: OnceLock::new(),
            }),
        })
    }

    pub fn config(&self) -> &TenantConfig {
        &self.inner.config
    }

    pub(crate) fn now(&self) -> u64 {
        self.inner.clock.now()
    }

    /// The clock that `POST /dev/clock` moves.
    pub(crate) fn clock(&self) -> &OffsetClock {
        &self.inner.clock
    }

    pub(crate) fn key(&self) -> &SigningKey {
        &self.inner.key
    }

    pub(crate) fn store(&self) -> &Store {
        &self.inner.store
    }

    pub(crate) fn hooks(&self) -> &dyn Hooks {
        match self.inner.hooks.get() {
            Some(hooks) => hooks.as_ref(),
            None => &WithoutDevTools,
        }
    }

    /// Installs `hooks` unless some are installed already (mounting twice changes nothing).
    pub(crate) fn install_hooks(&self, hooks: Arc<dyn Hooks>) {
        let _ = self.inner.hooks.set(hooks);
    }

    pub(crate) fn rng(&self) -> Result<MutexGuard<'_, StdRng>, Failure> {
        self.inner
            .rng
            .lock()
            .map_err(|_| Failure::new("the RNG's lock was poisoned"))
    }

    /// An id for a user that may be created: 24 hex digits, as Auth0's passwordless ids.
    pub(crate) fn new_user_id(&self) -> Result<String, Failure> {
        use rand::Rng;
        let mut rng = self.rng()?;
        Ok((0..12)
            .map(|_| format!("{:02x}", rng.gen::<u8>()))
            .collect())
    }

    /// `n` random bytes as unpadded base64url: tokens, codes for links, ids.
    pub(crate) fn random_token(&self, n: usize) -> Result<String, Failure> {
        use base64::Engine;
        use rand::RngCore;
        let mut bytes = vec![0u8; n];
        self.rng()?.fill_bytes(&mut bytes);
        Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }
}
