//! ID-token verification with the browser's own WebCrypto: the issuer's JWKS, fetched once and
//! cached (fetched again once when a token names an unknown `kid`), and RS256 signatures.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

use crate::error::SdkError;
use crate::id_token::{self, Claims, Expected};
use crate::options::ClientOptions;
use crate::transport::{self, string_at};

/// The issuer and keys learnt from the relay's well-known documents.
#[derive(Default)]
pub struct IssuerCache {
    issuer: RefCell<Option<String>>,
    keys: RefCell<Option<Array>>,
}

/// A verified ID token's claims, as a JS object.
pub async fn verify(
    options: &ClientOptions,
    cache: &IssuerCache,
    token: &str,
    nonce: Option<&str>,
) -> Result<JsValue, SdkError> {
    let jwt = id_token::split(token)?;
    let header = parse_json(&jwt.header)?;
    let kid = id_token::check_header(
        string_at(&header, "alg").as_deref(),
        string_at(&header, "kid").as_deref(),
    )?;
    let claims = parse_json(&jwt.payload)?;
    let issuer = issuer(options, cache).await?;
    id_token::check_claims(
        &read_claims(&claims),
        &Expected {
            issuer: &issuer,
            client_id: &options.client_id,
            now: js_sys::Date::now() / 1000.0,
            nonce,
        },
    )?;
    let jwk = key(options, cache, &kid).await?;
    if !rs256_verifies(&jwk, &jwt.signature, jwt.signing_input.as_bytes()).await? {
        return Err(SdkError::invalid_id_token(
            "the ID token's signature does not verify",
        ));
    }
    Ok(claims)
}

fn parse_json(bytes: &[u8]) -> Result<JsValue, SdkError> {
    let malformed = || SdkError::invalid_id_token("the ID token does not hold JSON");
    let text = std::str::from_utf8(bytes).map_err(|_| malformed())?;
    let value = JSON::parse(text).map_err(|_| malformed())?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(malformed())
    }
}

fn read_claims(claims: &JsValue) -> Claims {
    let number = |key: &str| {
        Reflect::get(claims, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_f64())
    };
    let aud = Reflect::get(claims, &JsValue::from_str("aud")).unwrap_or(JsValue::UNDEFINED);
    let aud = if Array::is_array(&aud) {
        Array::from(&aud)
            .iter()
            .filter_map(|a| a.as_string())
            .collect()
    } else {
        aud.as_string().into_iter().collect()
    };
    Claims {
        iss: string_at(claims, "iss"),
        aud,
        azp: string_at(claims, "azp"),
        exp: number("exp"),
        iat: number("iat"),
        nonce: string_at(claims, "nonce"),
    }
}

async fn issuer(options: &ClientOptions, cache: &IssuerCache) -> Result<String, SdkError> {
    if let Some(issuer) = cache.issuer.borrow().clone() {
        return Ok(issuer);
    }
    let answer = transport::get(
        &options.url("/.well-known/openid-configuration"),
        options.timeout_ms,
    )
    .await?;
    if !answer.ok() {
        return Err(answer.error());
    }
    let issuer = string_at(&answer.body, "issuer").ok_or_else(|| {
        SdkError::new(
            crate::error::codes::UNEXPECTED_RESPONSE,
            "the OpenID configuration has no issuer",
        )
    })?;
    *cache.issuer.borrow_mut() = Some(issuer.clone());
    Ok(issuer)
}

async fn key(options: &ClientOptions, cache: &IssuerCache, kid: &str) -> Result<JsValue, SdkError> {
    if let Some(jwk) = cached_key(cache, kid) {
        return Ok(jwk);
    }
    let answer = transport::get(&options.url("/.well-known/jwks.json"), options.timeout_ms).await?;
    if !answer.ok() {
        return Err(answer.error());
    }
    let keys = Reflect::get(&answer.body, &JsValue::from_str("keys"))
        .ok()
        .filter(Array::is_array)
        .map(|keys| Array::from(&keys))
        .unwrap_or_default();
    *cache.keys.borrow_mut() = Some(keys);
    cached_key(cache, kid).ok_or_else(|| {
        SdkError::invalid_id_token("the ID token is signed with a key the issuer does not publish")
    })
}

fn cached_key(cache: &IssuerCache, kid: &str) -> Option<JsValue> {
    cache.keys.borrow().as_ref()?.iter().find(|k| {
        string_at(k, "kid").as_deref() == Some(kid) && string_at(k, "kty").as_deref() == Some("RSA")
    })
}

async fn rs256_verifies(jwk: &JsValue, signature: &[u8], data: &[u8]) -> Result<bool, SdkError> {
    let failed =
        |_| SdkError::invalid_id_token("the issuer's key could not be used to verify the ID token");
    let subtle = subtle_crypto().ok_or_else(|| {
        SdkError::invalid_id_token(
            "WebCrypto is not available (the page must be served over HTTPS or from localhost)",
        )
    })?;
    // Only the public-key members: WebCrypto then enforces the algorithm given here.
    let key_data = Object::new();
    for member in ["kty", "n", "e"] {
        let value = Reflect::get(jwk, &JsValue::from_str(member)).unwrap_or(JsValue::UNDEFINED);
        let _ = Reflect::set(&key_data, &JsValue::from_str(member), &value);
    }
    let algorithm = Object::new();
    let _ = Reflect::set(&algorithm, &"name".into(), &"RSASSA-PKCS1-v1_5".into());
    let _ = Reflect::set(&algorithm, &"hash".into(), &"SHA-256".into());
    let usages = Array::of1(&"verify".into());
    let import = subtle
        .import_key_with_object("jwk", &key_data, &algorithm, false, &usages)
        .map_err(failed)?;
    let key: CryptoKey = JsFuture::from(import)
        .await
        .map_err(failed)?
        .unchecked_into();
    let verify = subtle
        .verify_with_object_and_u8_array_and_u8_array(&algorithm, &key, signature, data)
        .map_err(failed)?;
    Ok(JsFuture::from(verify).await.map_err(failed)?.as_bool() == Some(true))
}

fn subtle_crypto() -> Option<SubtleCrypto> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).ok()?;
    let subtle = Reflect::get(&crypto, &"subtle".into()).ok()?;
    (!subtle.is_undefined()).then(|| subtle.unchecked_into())
}
