//! What the bindings take from the browser besides `fetch`: randomness, storage, the address
//! bar, and timers.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Storage;

use crate::error::{codes, SdkError};
use crate::options::LinkStorage;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Function, ms: i32) -> JsValue;
}

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn global(name: &str) -> Option<JsValue> {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// `n` random bytes from `crypto.getRandomValues`, as unpadded base64url.
pub fn random_token(n: usize) -> Result<String, SdkError> {
    let crypto: web_sys::Crypto = global("crypto")
        .ok_or_else(|| {
            SdkError::new(
                codes::STORAGE_UNAVAILABLE,
                "crypto.getRandomValues is not available",
            )
        })?
        .unchecked_into();
    let mut bytes = vec![0u8; n];
    crypto
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|_| SdkError::new(codes::STORAGE_UNAVAILABLE, "crypto.getRandomValues failed"))?;
    Ok(base64url(&bytes))
}

fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 2);
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// The storage a magic link's transaction waits in.
pub fn storage(kind: LinkStorage) -> Result<Storage, SdkError> {
    let name = match kind {
        LinkStorage::Session => "sessionStorage",
        LinkStorage::Local => "localStorage",
    };
    global(name).map(JsCast::unchecked_into).ok_or_else(|| {
        SdkError::new(
            codes::STORAGE_UNAVAILABLE,
            "Web Storage is not available, so magic links cannot be used here",
        )
    })
}

/// The page's current address.
pub fn location_href() -> Option<String> {
    let location = global("location")?;
    Reflect::get(&location, &JsValue::from_str("href"))
        .ok()?
        .as_string()
}

/// Replaces the address bar's URL without a navigation (removes the link's code and state).
pub fn replace_address(url: &str) {
    if let Some(history) = global("history") {
        let history: web_sys::History = history.unchecked_into();
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(url));
    }
}
