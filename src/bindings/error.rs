//! SDK errors as real JavaScript `Error`s with `code`, `description`, `status`, `retryAfter`
//! and, for `mfa_required`, `mfaToken` and `mfaRequirements`.

use js_sys::{Error, Reflect};
use wasm_bindgen::JsValue;

use crate::error::SdkError;
use crate::transport::Answer;

fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

pub fn to_js(error: SdkError) -> JsValue {
    let js: JsValue = Error::new(&error.description).into();
    set(&js, "name", &JsValue::from_str("PasswordlessError"));
    set(&js, "code", &JsValue::from_str(&error.code));
    set(&js, "description", &JsValue::from_str(&error.description));
    set(
        &js,
        "status",
        &error.status.map_or(JsValue::UNDEFINED, JsValue::from),
    );
    set(
        &js,
        "retryAfter",
        &error.retry_after.map_or(JsValue::UNDEFINED, JsValue::from),
    );
    js
}

/// The error of a refused answer, with the MFA fields when the server asks for a second factor.
pub fn answer_to_js(answer: &Answer) -> JsValue {
    let error = answer.error();
    let mfa = error.code == "mfa_required";
    let js = to_js(error);
    if mfa {
        for (from, to) in [
            ("mfa_token", "mfaToken"),
            ("mfa_requirements", "mfaRequirements"),
        ] {
            let value =
                Reflect::get(&answer.body, &JsValue::from_str(from)).unwrap_or(JsValue::UNDEFINED);
            set(&js, to, &value);
        }
    }
    js
}
