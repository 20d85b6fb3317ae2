//! The only calls into serde-wasm-bindgen: a JS value read as a Rust type ([`read`]), a Rust
//! value made a JS value ([`write`]). Both answer `Option`, because serde-wasm-bindgen's errors
//! hold English messages the SDK never shows: every caller answers with its own `SdkError`
//! instead. The build relies on that: its shrink step makes those errors carry no message at
//! all (`scripts/shrink-wasm.mjs`, step "messages"), and `clippy.toml` refuses a direct call
//! anywhere else.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// `value` read as `T`, if it is one.
#[allow(clippy::disallowed_methods)]
pub fn read<T: DeserializeOwned>(value: JsValue) -> Option<T> {
    serde_wasm_bindgen::from_value(value).ok()
}

/// `value` as a JS value (plain objects, `undefined` for what is absent), if it can be one.
#[allow(clippy::disallowed_methods)]
pub fn write<T: Serialize + ?Sized>(value: &T) -> Option<JsValue> {
    serde_wasm_bindgen::to_value(value).ok()
}

/// A JS value the core holds as JSON without reading it (the ID token's claims, `appState`,
/// a server's answer): it crosses serde-wasm-bindgen as the same object, never copied.
#[derive(Clone)]
pub struct Js(pub JsValue);

impl Serialize for Js {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde_wasm_bindgen::preserve::serialize(&self.0, serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Js {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_wasm_bindgen::preserve::deserialize(deserializer).map(Js)
    }
}
