//! A token answer turned into the session the page gets: the tokens, and the ID token's
//! verified claims.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

use super::renamed;
use super::signature::{self, IssuerCache};
use crate::error::SdkError;
use crate::options::ClientOptions;
use crate::transport::string_at;

pub async fn from_tokens(
    options: &ClientOptions,
    issuer: &IssuerCache,
    tokens: &JsValue,
    nonce: Option<&str>,
) -> Result<JsValue, SdkError> {
    let id_token = string_at(tokens, "id_token")
        .ok_or_else(|| SdkError::invalid_id_token("the server answered without an ID token"))?;
    let claims = signature::verify(options, issuer, &id_token, nonce).await?;
    let session = renamed(
        tokens,
        &[
            ("access_token", "accessToken"),
            ("token_type", "tokenType"),
            ("expires_in", "expiresIn"),
            ("scope", "scope"),
            ("refresh_token", "refreshToken"),
            ("recovery_code", "recoveryCode"),
        ],
    );
    let _ = Reflect::set(
        &session,
        &JsValue::from_str("idToken"),
        &JsValue::from_str(&id_token),
    );
    let _ = Reflect::set(&session, &JsValue::from_str("claims"), &claims);
    Ok(session.into())
}
