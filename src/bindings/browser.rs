//! The browser's own facilities the flows need: Web Storage, `crypto.getRandomValues`, the
//! address bar (`URL`, `History`), the clock and timers.

use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Crypto, Storage, Url, UrlSearchParams};

use crate::base64url;
use crate::error::{codes, SdkError};
use crate::flows::code_link::{CodeLinkParams, CODE_LINK_PARAMS};
use crate::flows::link::{CallbackParams, CALLBACK_PARAMS};
use crate::platform::Area;

/// A member of the global object (`window` or a worker's `self`).
pub fn global(name: &str) -> JsValue {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// The chosen Web Storage, or `storage_unavailable` (blocked site data, no window).
pub fn storage(area: Area) -> Result<Storage, SdkError> {
    let window = web_sys::window().ok_or_else(SdkError::storage_unavailable)?;
    let storage = match area {
        Area::Session => window.session_storage(),
        Area::Local => window.local_storage(),
    };
    storage
        .ok()
        .flatten()
        .ok_or_else(SdkError::storage_unavailable)
}

/// 24 random bytes, base64url: a link's `state` or `nonce`. Never a predictable one: without
/// `crypto.getRandomValues` a link cannot be sent.
pub fn random_token() -> Result<String, SdkError> {
    let no_randomness = || {
        SdkError::new(
            codes::UNSUPPORTED,
            "This browser has no crypto.getRandomValues, so a magic link cannot be made safe.",
        )
    };
    let mut bytes = [0u8; 24];
    let crypto = global("crypto")
        .dyn_into::<Crypto>()
        .map_err(|_| no_randomness())?;
    crypto
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|_| no_randomness())?;
    Ok(base64url::encode(&bytes))
}

/// The current address.
pub fn location_href() -> Option<String> {
    web_sys::window()?.location().href().ok()
}

/// The callback parameters of `href`, and `href` without them.
pub fn callback_of(href: &str) -> (CallbackParams, Option<String>) {
    let Ok(url) = Url::new(href) else {
        return (CallbackParams::default(), None);
    };
    let query = url.search_params();
    let [code, state, error, error_description] = CALLBACK_PARAMS.map(|name| {
        let value = query.get(name);
        query.delete(name);
        value
    });
    let params = CallbackParams {
        code,
        state,
        error,
        error_description,
    };
    (params, Some(url.href()))
}

/// A code link's members in `href`'s fragment, and `href` without the fragment.
pub fn code_link_of(href: &str) -> (CodeLinkParams, Option<String>) {
    let Ok(url) = Url::new(href) else {
        return (CodeLinkParams::default(), None);
    };
    // `hash` starts with `#`, which `URLSearchParams` (unlike a leading `?`) would keep.
    let hash = url.hash();
    let fragment = UrlSearchParams::new_with_str(hash.strip_prefix('#').unwrap_or(&hash)).ok();
    let [otp, email, phone_number] =
        CODE_LINK_PARAMS.map(|name| fragment.as_ref().and_then(|f| f.get(name)));
    url.set_hash("");
    let params = CodeLinkParams {
        otp,
        email,
        phone_number,
    };
    (params, Some(url.href()))
}

/// Replaces the address bar's URL without a navigation (the callback's code goes away).
pub fn replace_address(url: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let state = history.state().unwrap_or(JsValue::NULL);
        let _ = history.replace_state_with_url(&state, "", Some(url));
    }
}

/// Seconds since the epoch, by the browser's clock.
pub fn now_seconds() -> f64 {
    js_sys::Date::now() / 1000.0
}

/// Waits `seconds`, or until `cancel` aborts (then `cancelled`).
pub async fn sleep(seconds: u32, cancel: Option<&AbortSignal>) -> Result<(), SdkError> {
    let timer = AbortSignal::timeout_with_u32(seconds.saturating_mul(1000));
    let signal = match cancel {
        Some(cancel) => AbortSignal::any(&Array::of2(cancel, &timer)),
        None => timer,
    };
    if !signal.aborted() {
        // Whichever comes first fires the combined signal's one `abort` event.
        let fired = Promise::new(&mut |resolve, _| {
            let _ = signal.add_event_listener_with_callback("abort", &resolve);
        });
        let _ = JsFuture::from(fired).await;
    }
    match cancel {
        Some(cancel) if cancel.aborted() => Err(SdkError::cancelled()),
        _ => Ok(()),
    }
}
