//! The only module that makes HTTP requests: a [`Call`] in, a successful answer's JSON body
//! (or the SDK error the answer stands for) out, with gloo-net, a timeout
//! (`AbortSignal.timeout`), `Retry-After`, and network failures mapped to the SDK's codes.
//! [`read`] then reads the body as the type the step expects. (The requests are not generic,
//! so that one state machine serves every call: the wasm stays small.)

use gloo_net::http::{Request, RequestBuilder};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use web_sys::AbortSignal;

use crate::error::{retry_after_seconds, SdkError, WireError};
use crate::flows::{Call, Method};
use crate::options::Options;

/// Sends `call` to the relay: the successful answer's body.
pub async fn send(options: &Options, call: &Call) -> Result<JsValue, SdkError> {
    Ok(send_for_answer(options, call).await?.0)
}

/// Sends `call`: the successful answer's body and its `Retry-After` (seconds), if any.
pub async fn send_for_answer(
    options: &Options,
    call: &Call,
) -> Result<(JsValue, Option<u32>), SdkError> {
    let url = options.url(&call.path);
    let mut request = match call.method {
        Method::Get => Request::get(&url),
        Method::Post => Request::post(&url),
        Method::Delete => Request::delete(&url),
    };
    if let Some(token) = &call.bearer {
        request = request.header("authorization", &(String::from("Bearer ") + token));
    }
    if let Some(language) = &call.language {
        request = request.header("x-request-language", language);
    }
    let body = match &call.body {
        Some(body) => {
            request = request.header("content-type", "application/json");
            let value = serde_wasm_bindgen::to_value(body).map_err(|_| unencodable())?;
            Some(js_sys::JSON::stringify(&value).map_err(|_| unencodable())?)
        }
        None => None,
    };
    fetch(request, body.map(JsValue::from), options.timeout_ms).await
}

fn unencodable() -> SdkError {
    SdkError::invalid_input("the request could not be encoded as JSON")
}

async fn fetch(
    request: RequestBuilder,
    body: Option<JsValue>,
    timeout_ms: u32,
) -> Result<(JsValue, Option<u32>), SdkError> {
    let request = request.abort_signal(Some(&AbortSignal::timeout_with_u32(timeout_ms)));
    let request = match body {
        Some(body) => request.body(body),
        None => request.build(),
    }
    .map_err(|_| SdkError::invalid_options("the relay's URL cannot be requested"))?;
    let response = request.send().await.map_err(failure)?;
    let status = response.status();
    let text = response.text().await.map_err(failure)?;
    // Not JSON (an HTML error page, an empty 204): `null`, which only `()` and options accept.
    let body = js_sys::JSON::parse(&text).unwrap_or(JsValue::NULL);
    let retry_after = retry_after_seconds(response.headers().get("retry-after").as_deref());
    if !(200..300).contains(&status) {
        let wire = serde_wasm_bindgen::from_value::<WireError>(body).unwrap_or_default();
        return Err(SdkError::from_wire(status, wire, retry_after));
    }
    Ok((body, retry_after))
}

/// A successful answer's body read as `T`, or `unexpected_response`.
pub fn read<T: DeserializeOwned>(body: JsValue) -> Result<T, SdkError> {
    serde_wasm_bindgen::from_value(body).map_err(|_| {
        SdkError::unexpected_response("the server's answer is not what the API promises")
    })
}

/// `fetch` rejects with a `TimeoutError` when the signal fires, and a `TypeError` when the
/// network (or CORS) fails.
fn failure(error: gloo_net::Error) -> SdkError {
    match error {
        gloo_net::Error::JsError(e) if e.name == "TimeoutError" || e.name == "AbortError" => {
            SdkError::timeout()
        }
        _ => SdkError::network(),
    }
}
