//! The only module that calls `fetch`: a [`Call`] in, the status and JSON body out, with a
//! timeout.

use js_sys::{Array, Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestInit, Response};

use crate::error::{codes, SdkError};
use crate::flows::Call;
use crate::json::Json;
use crate::options::ClientOptions;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, in windows and workers alike.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Promise;
}

/// An answer: its status, its body parsed as JSON (`undefined` when it is not JSON) and
/// `Retry-After` in seconds.
pub struct Answer {
    pub status: u16,
    pub body: JsValue,
    pub retry_after: Option<u32>,
}

impl Answer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The wire error this answer carries.
    pub fn error(&self) -> SdkError {
        let mut error = SdkError::from_wire(
            self.status,
            string_at(&self.body, "error"),
            string_at(&self.body, "error_description"),
        );
        error.retry_after = self.retry_after;
        error
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

/// A request body as a JS value.
pub fn to_js(json: &Json) -> JsValue {
    match json {
        Json::Str(s) => JsValue::from_str(s),
        Json::List(items) => items
            .iter()
            .map(|i| JsValue::from_str(i))
            .collect::<Array>()
            .into(),
        Json::Object(fields) => {
            let object = Object::new();
            for (key, value) in fields {
                let _ = Reflect::set(&object, &JsValue::from_str(key), &to_js(value));
            }
            object.into()
        }
    }
}

/// Sends `call` to the relay.
pub async fn send(options: &ClientOptions, call: &Call) -> Result<Answer, SdkError> {
    let init = RequestInit::new();
    init.set_method(call.method.as_str());
    let headers = Object::new();
    let header = |name: &str, value: &str| {
        let _ = Reflect::set(
            &headers,
            &JsValue::from_str(name),
            &JsValue::from_str(value),
        );
    };
    if let Some(body) = &call.body {
        let text = JSON::stringify(&to_js(body))
            .map_err(|_| SdkError::invalid_input("the request could not be encoded"))?;
        init.set_body(&text);
        header("content-type", "application/json");
    }
    if let Some(token) = &call.bearer {
        let mut value = String::from("Bearer ");
        value.push_str(token);
        header("authorization", &value);
    }
    if let Some(language) = &call.language {
        header("x-request-language", language);
    }
    init.set_headers(&headers);
    fetch(&options.url(&call.path), init, options.timeout_ms).await
}

/// GETs a JSON document.
pub async fn get(url: &str, timeout_ms: u32) -> Result<Answer, SdkError> {
    let init = RequestInit::new();
    init.set_method("GET");
    fetch(url, init, timeout_ms).await
}

async fn fetch(url: &str, init: RequestInit, timeout_ms: u32) -> Result<Answer, SdkError> {
    init.set_signal(Some(&AbortSignal::timeout_with_u32(timeout_ms)));
    let response: Response = JsFuture::from(global_fetch(url, &init))
        .await
        .map_err(fetch_failure)?
        .unchecked_into();
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<u32>().ok());
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise).await.map_err(fetch_failure)?,
        Err(error) => return Err(fetch_failure(error)),
    };
    let body = text
        .as_string()
        .and_then(|t| JSON::parse(&t).ok())
        .unwrap_or(JsValue::UNDEFINED);
    Ok(Answer {
        status,
        body,
        retry_after,
    })
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
