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
