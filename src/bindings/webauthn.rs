//! Passkeys in the browser: WebAuthn's `navigator.credentials.create()` and `.get()`. The
//! server's options arrive as JSON with their binary members in base64url; they are decoded
//! in place (the rest, what WebAuthn adds later included, passes as the server wrote it), and
//! the browser's credential comes back as bytes for the core to encode.

use js_sys::{ArrayBuffer, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortSignal, CredentialCreationOptions, CredentialRequestOptions, CredentialsContainer,
};

use super::browser::global;
use crate::base64url;
use crate::convert::Js;
use crate::error::{codes, SdkError};
use crate::flows::passkey::{self, RawCredential, WebAuthnCall};

fn member(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn set(object: &JsValue, name: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(name), value);
}

/// WebAuthn on a secure page.
pub fn supported() -> bool {
    global("PublicKeyCredential").is_function() && global("isSecureContext").is_truthy()
}

/// `PublicKeyCredential.isConditionalMediationAvailable()`, false where it is missing.
pub async fn autofill_supported() -> bool {
    let class = global("PublicKeyCredential");
    let Ok(check) = member(&class, "isConditionalMediationAvailable").dyn_into::<Function>() else {
        return false;
    };
    let Ok(Ok(promise)) = check.call0(&class).map(|p| p.dyn_into::<Promise>()) else {
        return false;
    };
    JsFuture::from(promise)
        .await
        .is_ok_and(|answer| answer.is_truthy())
}

fn malformed() -> SdkError {
    SdkError::unexpected_response("the server's passkey options are not WebAuthn's")
}

/// Replaces the base64url string `object[name]` with its bytes.
fn decode(object: &JsValue, name: &str) -> Result<(), SdkError> {
    let text = member(object, name).as_string().ok_or_else(malformed)?;
    let bytes = base64url::decode(&text).ok_or_else(malformed)?;
    set(object, name, &Uint8Array::from(&bytes[..]));
    Ok(())
}

/// Decodes the `id` of each credential descriptor in `object[name]`, if there are any.
fn decode_ids(object: &JsValue, name: &str) -> Result<(), SdkError> {
    let list = member(object, name);
    if list.is_undefined() || list.is_null() {
        return Ok(());
    }
    let list: js_sys::Array = list.dyn_into().map_err(|_| malformed())?;
    list.iter()
        .try_for_each(|descriptor| decode(&descriptor, "id"))
}

fn credentials() -> Result<CredentialsContainer, SdkError> {
    let credentials = member(&global("navigator"), "credentials");
    match credentials.is_object() {
        true => Ok(credentials.unchecked_into()),
        false => Err(passkey::unsupported()),
    }
}

/// A new credential (`Create`) or an assertion for the server's options.
pub async fn ask(
    public_key: Js,
    call: WebAuthnCall,
    signal: Option<AbortSignal>,
) -> Result<RawCredential, SdkError> {
    let options = public_key.0;
    decode(&options, "challenge")?;
    let init = Object::new();
    set(&init, "publicKey", &options);
    if let Some(signal) = &signal {
        set(&init, "signal", signal);
    }
    let credentials = credentials()?;
    let asked = match call {
        WebAuthnCall::Create => {
            decode(&member(&options, "user"), "id")?;
            decode_ids(&options, "excludeCredentials")?;
            credentials.create_with_options(init.unchecked_ref::<CredentialCreationOptions>())
        }
        WebAuthnCall::Get | WebAuthnCall::Autofill => {
            decode_ids(&options, "allowCredentials")?;
            if call == WebAuthnCall::Autofill {
                set(&init, "mediation", &JsValue::from_str("conditional"));
            }
            credentials.get_with_options(init.unchecked_ref::<CredentialRequestOptions>())
        }
    };
    let asked = asked.map_err(|e| refusal(&e))?;
    read(JsFuture::from(asked).await.map_err(|e| refusal(&e))?)
}

fn bytes(value: JsValue) -> Option<Vec<u8>> {
    value
        .dyn_into::<ArrayBuffer>()
        .ok()
        .map(|buffer| Uint8Array::new(&buffer).to_vec())
}

/// The `PublicKeyCredential`'s members as bytes.
fn read(credential: JsValue) -> Result<RawCredential, SdkError> {
    let not_a_credential =
        || SdkError::new(codes::PASSKEY_CANCELLED, "The browser gave no passkey.");
    let response = member(&credential, "response");
    let transports = member(&response, "getTransports")
        .dyn_into::<Function>()
        .ok()
        .and_then(|f| f.call0(&response).ok())
        .and_then(|list| list.dyn_into::<js_sys::Array>().ok())
        .map(|list| list.iter().filter_map(|t| t.as_string()).collect())
        .unwrap_or_default();
    Ok(RawCredential {
        id: member(&credential, "id")
            .as_string()
            .ok_or_else(not_a_credential)?,
        raw_id: bytes(member(&credential, "rawId")).ok_or_else(not_a_credential)?,
        attachment: member(&credential, "authenticatorAttachment").as_string(),
        client_data_json: bytes(member(&response, "clientDataJSON"))
            .ok_or_else(not_a_credential)?,
        attestation_object: bytes(member(&response, "attestationObject")),
        transports,
        authenticator_data: bytes(member(&response, "authenticatorData")),
        signature: bytes(member(&response, "signature")),
        user_handle: bytes(member(&response, "userHandle")),
    })
}

/// What a refused ceremony means, after the `DOMException`'s name.
fn refusal(error: &JsValue) -> SdkError {
    let name = member(error, "name").as_string().unwrap_or_default();
    match name.as_str() {
        "NotAllowedError" => SdkError::new(
            codes::PASSKEY_CANCELLED,
            "The passkey was not given: the sheet was closed or timed out, or no passkey here \
             is for this site.",
        ),
        "InvalidStateError" => SdkError::new(
            codes::PASSKEY_EXISTS,
            "This device already holds a passkey for this account.",
        ),
        "AbortError" => SdkError::new(codes::CANCELLED, "The passkey request was cancelled."),
        "SecurityError" => SdkError::new(
            codes::PASSKEY_UNSUPPORTED,
            "This page's origin is not covered by the passkeys' relying party (SecurityError): \
             open it on the relying party's domain (localhost, not 127.0.0.1, in development).",
        ),
        _ => passkey::unsupported(),
    }
}
