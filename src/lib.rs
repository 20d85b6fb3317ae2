//! Embedded passwordless login for the browser, speaking the Auth0 Authentication API through
//! a relay that holds the client secret.
//!
//! The wasm is a synchronous, stateless core: every operation in [`ops`] takes one JSON
//! document and answers one (`{"ok": …}` or `{"error": …}`). It checks options and input,
//! builds the requests, reads the answers, checks ID-token headers and claims and maps every
//! failure to an error code. The hand-written ES module `src/js/passwordless.js` is the
//! package's entry point: it does the I/O with the browser's own `fetch`, WebCrypto, storage
//! and timers, and calls the core between steps. Everything here runs and is tested natively.
//!
//! Why no wasm-bindgen here (style.md's default): the package must stay under 16 KB brotli,
//! and wasm-bindgen's glue, object-reference shims and future machinery alone cost more than
//! half of that. A plain export per operation over linear memory needs a dozen lines of JS.

#![cfg_attr(all(target_arch = "wasm32", not(test)), no_std)]

extern crate alloc;

pub mod error;
pub mod flows;
pub mod id_token;
pub mod input;
pub mod json;
pub mod ops;
pub mod options;

#[cfg(all(target_arch = "wasm32", not(test)))]
mod abi;
#[cfg(all(target_arch = "wasm32", not(test)))]
mod arena;
