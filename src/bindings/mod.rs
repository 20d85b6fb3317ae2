//! The wasm-bindgen surface: the only place with `#[wasm_bindgen]` exports. Every JS value
//! crosses with serde-wasm-bindgen; every async method is a promise made by
//! wasm-bindgen-futures from a boxed future (one instantiation for all methods).

mod browser;
mod client;
mod mfa;
mod passkeys;
mod platform;
mod signature;
mod transport;
mod types;
mod unicode;
mod webauthn;
mod webotp;

pub use client::PasswordlessClient;
pub use mfa::MfaClient;
pub use passkeys::PasskeyClient;

use std::future::Future;
use std::pin::Pin;

use js_sys::{Error, Object, Promise};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use crate::convert;
use crate::error::{codes, SdkError};
use crate::given::Members;

type Outcome = Result<JsValue, SdkError>;

/// A promise for `future`, rejecting with a `PasswordlessError`. (Only the boxing is generic,
/// so every method shares one promise state machine.)
#[inline(always)]
fn promise(future: impl Future<Output = Outcome> + 'static) -> Promise {
    boxed_promise(Box::pin(future))
}

#[inline(never)]
fn boxed_promise(boxed: Pin<Box<dyn Future<Output = Outcome>>>) -> Promise {
    wasm_bindgen_futures::future_to_promise(async move { boxed.await.map_err(js_error) })
}

/// The error as the page gets it: an `Error` named `PasswordlessError` with the SDK error's
/// members (`code`, `description`, `status`, `retryAfter`, `mfaToken`, `mfaRequirements`).
fn js_error(error: SdkError) -> JsValue {
    let js = Error::new(&error.description);
    js.set_name("PasswordlessError");
    if let Some(members) = convert::write(&error) {
        Object::assign(&js, members.unchecked_ref());
    }
    js.into()
}

/// Reads a JS argument object as `T`, member by member ([`Members`]): reading fails only
/// when the argument is not an object, and the core names a wrong field later.
fn from_js<T: Members>(value: JsValue, code: &'static str) -> Result<T, SdkError> {
    if !value.is_object() {
        return Err(SdkError::new(
            code,
            match code {
                codes::INVALID_OPTIONS => "options must be an object with domain and clientId",
                _ => "the parameters must be an object",
            },
        ));
    }
    let mut read = T::default();
    for (name, slot) in read.members() {
        *slot = given(&value, name);
    }
    Ok(read)
}

/// The member `name` of an argument object, read as a [`crate::given::Given`] (its one
/// visitor serves every field: no deserializer per parameter struct).
pub(crate) fn given(object: &JsValue, name: &str) -> crate::given::Given {
    js_sys::Reflect::get(object, &JsValue::from_str(name))
        .ok()
        .and_then(convert::read)
        .unwrap_or(crate::given::Given::Other)
}

/// A Rust value as the page gets it (plain objects, `undefined` for what is absent).
fn to_js<T: Serialize>(value: &T) -> Outcome {
    convert::write(value)
        .ok_or_else(|| SdkError::unexpected_response("the answer could not be handed to the page"))
}
