//! The ID token's RS256 signature, checked by the browser's WebCrypto with the issuer's key,
//! and its JSON parts decoded by the browser (base64url in Rust, `JSON`).

use js_sys::{Array, Object};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

use super::browser::global;
use crate::base64url;
use crate::convert;
use crate::error::SdkError;
use crate::flows::replies::RsaKey;
use crate::flows::Body;
use crate::id_token::CompactJwt;

/// WebCrypto's name for RS256.
fn rs256() -> Body {
    Body::new()
        .text("name", "RSASSA-PKCS1-v1_5")
        .text("hash", "SHA-256")
}

/// A JWT part that must hold a JSON object (the header, the payload), as a JS value.
pub fn json_part(part: &str) -> Option<JsValue> {
    let text = String::from_utf8(base64url::decode(part)?).ok()?;
    let value = js_sys::JSON::parse(&text).ok()?;
    (value.is_object() && !Array::is_array(&value)).then_some(value)
}

/// Whether the token's signature verifies with `key`.
pub async fn verify(key: &RsaKey, jwt: &CompactJwt<'_>) -> Result<bool, SdkError> {
    let subtle = global("crypto");
    let subtle = js_sys::Reflect::get(&subtle, &JsValue::from_str("subtle")).unwrap_or_default();
    let Some(subtle) = subtle.dyn_ref::<SubtleCrypto>() else {
        return Err(SdkError::invalid_id_token(
            "WebCrypto is unavailable: serve the page over HTTPS or from localhost",
        ));
    };
    let unusable = || SdkError::invalid_id_token("the issuer's key cannot verify the ID token");
    let algorithm: Object = convert::write(&rs256())
        .ok_or_else(unusable)?
        .unchecked_into();
    let jwk: Object = convert::write(&key.jwk())
        .ok_or_else(unusable)?
        .unchecked_into();
    let usages = Array::of1(&JsValue::from_str("verify"));
    let imported = subtle
        .import_key_with_object("jwk", &jwk, &algorithm, false, &usages)
        .map_err(|_| unusable())?;
    let crypto_key: CryptoKey = JsFuture::from(imported)
        .await
        .map_err(|_| unusable())?
        .unchecked_into();
    let signature = base64url::decode(jwt.signature).ok_or_else(unusable)?;
    let verdict = subtle
        .verify_with_object_and_u8_array_and_u8_array(
            &algorithm,
            &crypto_key,
            &signature,
            jwt.signing_input.as_bytes(),
        )
        .map_err(|_| unusable())?;
    match JsFuture::from(verdict).await.map(|v| v.as_bool()) {
        Ok(verdict) => Ok(verdict == Some(true)),
        Err(_) => Err(unusable()),
    }
}
