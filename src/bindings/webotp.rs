//! SMS codes filled in by the phone: the WebOTP API (`navigator.credentials.get({otp})`),
//! where the browser has it. The text must end with the origin-bound line `@host #code`.

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, CredentialRequestOptions, CredentialsContainer};

use super::browser::global;
use crate::convert;
use crate::error::{codes, SdkError};
use crate::flows::Body;

fn unsupported() -> SdkError {
    SdkError::new(
        codes::UNSUPPORTED,
        "This browser cannot read a texted code (no WebOTP): let the person type it.",
    )
}

/// Waits for the texted code bound to this page, until `signal` aborts (`cancelled`).
pub async fn receive_sms_code(signal: Option<AbortSignal>) -> Result<String, SdkError> {
    if global("OTPCredential").is_undefined() {
        return Err(unsupported());
    }
    let navigator = global("navigator");
    let credentials: CredentialsContainer =
        Reflect::get(&navigator, &JsValue::from_str("credentials"))
            .ok()
            .filter(|c| c.is_object())
            .ok_or_else(unsupported)?
            .unchecked_into();
    let request = Body::new().object("otp", Body::new().list("transport", vec!["sms".into()]));
    let options: Object = convert::write(&request)
        .ok_or_else(unsupported)?
        .unchecked_into();
    if let Some(signal) = &signal {
        let _ = Reflect::set(&options, &JsValue::from_str("signal"), signal);
    }
    let asked = credentials
        .get_with_options(options.unchecked_ref::<CredentialRequestOptions>())
        .map_err(|_| unsupported())?;
    match JsFuture::from(asked).await {
        Ok(credential) => Reflect::get(&credential, &JsValue::from_str("code"))
            .ok()
            .and_then(|code| code.as_string())
            .ok_or_else(unsupported),
        Err(error) => {
            let name = Reflect::get(&error, &JsValue::from_str("name")).unwrap_or_default();
            if name.as_string().as_deref() == Some("AbortError") {
                Err(SdkError::new(
                    codes::CANCELLED,
                    "Waiting for the texted code was cancelled.",
                ))
            } else {
                Err(unsupported())
            }
        }
    }
}
