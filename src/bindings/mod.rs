//! The wasm-bindgen surface: the only place with `#[wasm_bindgen]` exports.

mod browser;
mod client;
mod error;
mod mfa;
mod session;
mod signature;
mod transactions;
mod types;

pub use client::PasswordlessClient;
pub use mfa::MfaClient;
