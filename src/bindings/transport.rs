//! The only module that makes HTTP requests: a [`Call`] in, a successful answer's JSON body
//! (or the SDK error the answer stands for) out: the request made with web-sys, sent and read
//! by gloo-net, with a timeout
//! (`AbortSignal.timeout`), `Retry-After`, and network failures mapped to the SDK's codes.
//! Each step of the core reads the members of the body it needs. (The requests are not
//! generic, so that one state machine serves every call: the wasm stays small.)

use gloo_net::http::Request;
use wasm_bindgen::JsValue;
use web_sys::{AbortSignal, Headers, RequestInit};

use super::platform::Web;
use crate::convert::{self, Js};
use crate::error::{retry_after_seconds, MfaRequirements, SdkError, WireError};
use crate::flows::{Call, Method};
use crate::options::Options;
use crate::platform::{Answer, Platform};

/// Sends `call`: the successful answer's body and its `Retry-After` (seconds), if any.
///
/// The request is made with web-sys (`RequestInit`, `Headers`) and sent and read by gloo-net
/// (`Request::from`): gloo-net's builder would also parse and re-serialise the URL for query
/// parameters these calls never have (1.0 KB brotli of the package).
pub async fn send_for_answer(options: &Options, call: &Call) -> Result<Answer<Js>, SdkError> {
    let init = RequestInit::new();
    init.set_method(match call.method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Delete => "DELETE",
    });
    let headers = Headers::new().map_err(|_| unrequestable())?;
    if let Some(token) = &call.bearer {
        // A token with a character no header may hold (a line break) is refused here, as
        // `fetch` would refuse it.
        headers
            .set("authorization", &(String::from("Bearer ") + token))
            .map_err(|_| {
                SdkError::invalid_input("mfaToken is not a token an HTTP header can carry")
            })?;
    }
    if let Some(language) = &call.language {
        headers
            .set("x-request-language", language)
            .map_err(|_| unrequestable())?;
    }
    if let Some(body) = &call.body {
        headers
            .set("content-type", "application/json")
            .map_err(|_| unrequestable())?;
        let value = convert::write(body).ok_or_else(unencodable)?;
        init.set_body(
            &js_sys::JSON::stringify(&value)
                .map_err(|_| unencodable())?
                .into(),
        );
    }
    init.set_headers(&headers);
    init.set_signal(Some(&AbortSignal::timeout_with_u32(options.timeout_ms)));
    let request = web_sys::Request::new_with_str_and_init(&options.url(&call.path), &init)
        .map_err(|_| unrequestable())?;
    fetch(Request::from(request)).await
}

fn unencodable() -> SdkError {
    SdkError::invalid_input("the request could not be encoded as JSON")
}

fn unrequestable() -> SdkError {
    SdkError::invalid_options("the relay's URL cannot be requested")
}

async fn fetch(request: Request) -> Result<Answer<Js>, SdkError> {
    let response = request.send().await.map_err(failure)?;
    let status = response.status();
    let text = response.text().await.map_err(failure)?;
    // Not JSON (an HTML error page, an empty 204): `null`, which only `()` and options accept.
    let body = js_sys::JSON::parse(&text).unwrap_or(JsValue::NULL);
    let retry_after = retry_after_seconds(response.headers().get("retry-after").as_deref());
    if !(200..300).contains(&status) {
        let body = Js(body);
        let requirements = MfaRequirements::read(&Web, &body);
        let wire = WireError::read(Web.members(&body), requirements);
        return Err(SdkError::from_wire(status, wire, retry_after));
    }
    Ok(Answer {
        body: Js(body),
        retry_after,
        location: response.headers().get("location"),
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
