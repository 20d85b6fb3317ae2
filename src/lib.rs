//! Embedded passwordless login for the browser, speaking the Auth0 Authentication API through
//! a relay that holds the client secret.
//!
//! A pure core that runs and is tested natively: the options ([`options`]), what the user
//! typed ([`input`]), the flows as typed requests and answers ([`flows`]), ID-token checks
//! ([`id_token`]) and the errors ([`error`]). In the browser, `bindings` exposes
//! `PasswordlessClient` and `MfaClient` with wasm-bindgen and runs the flows (its `transport` is
//! the only module that calls `fetch`, with gloo-net), and every JS value crosses with
//! serde-wasm-bindgen (`convert`).

pub mod base64url;
pub mod client;
pub mod error;
pub mod flows;
pub mod given;
pub mod id_token;
pub mod input;
pub mod options;
pub mod platform;

#[cfg(target_arch = "wasm32")]
mod bindings;
#[cfg(target_arch = "wasm32")]
mod convert;

#[cfg(target_arch = "wasm32")]
pub use bindings::{MfaClient, PasskeyClient, PasswordlessClient};

/// A small free-list allocator instead of dlmalloc: less wasm, and the SDK's allocations are
/// few and short-lived.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: a wasm module without threads runs on one thread only.
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
