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

use std::future::Future;
use std::pin::Pin;

use wasm_bindgen::JsValue;

/// What every exported async method resolves or rejects with.
type JsResult = Result<JsValue, JsValue>;

/// A promise for `future`. Boxing it first gives one instantiation of `future_to_promise` for
/// every method instead of one each: several KB less wasm.
fn promise(future: impl Future<Output = JsResult> + 'static) -> js_sys::Promise {
    let boxed: Pin<Box<dyn Future<Output = JsResult>>> = Box::pin(future);
    wasm_bindgen_futures::future_to_promise(boxed)
}
