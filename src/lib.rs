//! Embedded passwordless login for the browser, speaking the Auth0 Authentication API through
//! a relay that holds the client secret.
//!
//! A pure core (options, input checks, the flows as data, ID-token claim checks) that runs and
//! is tested natively, and a thin wasm-bindgen surface in `bindings` that does the I/O with
//! the browser's own `fetch`, `JSON`, `URL`, storage and WebCrypto.

pub mod error;
pub mod flows;
pub mod id_token;
pub mod input;
pub mod json;
pub mod options;

mod bindings;
mod transport;

pub use bindings::{MfaClient, PasswordlessClient};

/// A small free-list allocator instead of the default dlmalloc: about 5 KB less wasm, and the
/// SDK's allocations are few and short-lived.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: a wasm module without threads runs on one thread only.
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
