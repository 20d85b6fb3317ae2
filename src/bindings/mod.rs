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

/// A new object with the `from` keys of a JSON answer under camelCase `to` names; absent keys
/// stay absent.
fn renamed(body: &JsValue, pairs: &[(&str, &str)]) -> js_sys::Object {
    let out = js_sys::Object::new();
    for (from, to) in pairs {
        let value =
            js_sys::Reflect::get(body, &JsValue::from_str(from)).unwrap_or(JsValue::UNDEFINED);
        if !value.is_undefined() {
            let _ = js_sys::Reflect::set(&out, &JsValue::from_str(to), &value);
        }
    }
    out
}
