//! The only module that calls `fetch`: JSON in, JSON out, with a timeout.

use js_sys::{Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestInit, Response};

use crate::error::{codes, SdkError};
use crate::flows::Call;
use crate::options::ClientOptions;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, in windows and workers alike.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Promise;
}

/// An answer: its status and its body parsed as JSON (`undefined` when it is not JSON).
pub struct Answer {
    pub status: u16,
    pub body: JsValue,
}

impl Answer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The wire error this answer carries.
    pub fn error(&self) -> SdkError {
        SdkError::from_wire(
            self.status,
            string_at(&self.body, "error"),
            string_at(&self.body, "error_description"),
        )
    }
}

/// A string property of a JS object, if it is one.
pub fn string_at(object: &JsValue, key: &str) -> Option<String> {
    if !object.is_object() {
        return None;
    }
    Reflect::get(object, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_string())
}

/// POSTs the call's fields as a JSON object.
pub async fn post(options: &ClientOptions, call: &Call) -> Result<Answer, SdkError> {
    let body = Object::new();
    for (key, value) in &call.fields {
        let _ = Reflect::set(&body, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    let body = JSON::stringify(&body)
        .map_err(|_| SdkError::invalid_input("the request could not be encoded"))?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&body);
    let headers = Object::new();
    let _ = Reflect::set(&headers, &"content-type".into(), &"application/json".into());
    init.set_headers(&headers);
    send(&options.url(call.path), init, options.timeout_ms).await
}

/// GETs a JSON document.
pub async fn get(url: &str, timeout_ms: u32) -> Result<Answer, SdkError> {
    let init = RequestInit::new();
    init.set_method("GET");
    send(url, init, timeout_ms).await
}

async fn send(url: &str, init: RequestInit, timeout_ms: u32) -> Result<Answer, SdkError> {
    init.set_signal(Some(&AbortSignal::timeout_with_u32(timeout_ms)));
    let response: Response = JsFuture::from(global_fetch(url, &init))
        .await
        .map_err(fetch_failure)?
        .unchecked_into();
    let status = response.status();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise).await.map_err(fetch_failure)?,
        Err(error) => return Err(fetch_failure(error)),
    };
    let body = text
        .as_string()
        .and_then(|t| JSON::parse(&t).ok())
        .unwrap_or(JsValue::UNDEFINED);
    Ok(Answer { status, body })
}

/// `fetch` rejects with a `TimeoutError` when the signal fires, and a `TypeError` when the
/// network (or CORS) fails.
fn fetch_failure(error: JsValue) -> SdkError {
    let name = string_at(&error, "name").unwrap_or_default();
    if name == "TimeoutError" || name == "AbortError" {
        SdkError::new(codes::TIMEOUT, "The server did not answer in time.")
    } else {
        SdkError::new(codes::NETWORK_ERROR, "The server could not be reached.")
    }
}
