//! SDK errors as real JavaScript `Error`s with `code`, `description` and `status`.

use js_sys::{Error, Reflect};
use wasm_bindgen::JsValue;

use crate::error::SdkError;

pub fn to_js(error: SdkError) -> JsValue {
    let js = Error::new(&error.description);
    js.set_name("PasswordlessError");
    let set = |key: &str, value: JsValue| {
        let _ = Reflect::set(&js, &JsValue::from_str(key), &value);
    };
    set("code", JsValue::from_str(&error.code));
    set("description", JsValue::from_str(&error.description));
    set(
        "status",
        error.status.map_or(JsValue::UNDEFINED, JsValue::from),
    );
    js.into()
}
