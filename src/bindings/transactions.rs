//! A magic link's transaction: its `nonce` and `redirect_uri`, kept under its `state` in Web
//! Storage until the callback takes it (once).

use js_sys::{Reflect, JSON};
use wasm_bindgen::JsValue;

use super::browser;
use crate::error::SdkError;
use crate::options::LinkStorage;
use crate::transport::string_at;

const PREFIX: &str = "passwordless.link.";

fn key(state: &str) -> String {
    let mut key = String::from(PREFIX);
    key.push_str(state);
    key
}

pub fn save(
    kind: LinkStorage,
    state: &str,
    nonce: &str,
    redirect_uri: &str,
) -> Result<(), SdkError> {
    let record = js_sys::Object::new();
    let _ = Reflect::set(&record, &"nonce".into(), &JsValue::from_str(nonce));
    let _ = Reflect::set(
        &record,
        &"redirectUri".into(),
        &JsValue::from_str(redirect_uri),
    );
    let text = JSON::stringify(&record)
        .ok()
        .and_then(|t| t.as_string())
        .unwrap_or_default();
    browser::storage(kind)?
        .set_item(&key(state), &text)
        .map_err(|_| {
            SdkError::new(
                crate::error::codes::STORAGE_UNAVAILABLE,
                "the magic link could not be remembered (storage full or blocked)",
            )
        })
}

/// The transaction for `state`, removed so that a callback works once: `(nonce, redirect_uri)`.
pub fn take(kind: LinkStorage, state: &str) -> Result<Option<(String, String)>, SdkError> {
    let storage = browser::storage(kind)?;
    let key = key(state);
    let Some(text) = storage.get_item(&key).ok().flatten() else {
        return Ok(None);
    };
    let _ = storage.remove_item(&key);
    let record = JSON::parse(&text).unwrap_or(JsValue::UNDEFINED);
    Ok(string_at(&record, "nonce").zip(string_at(&record, "redirectUri")))
}
