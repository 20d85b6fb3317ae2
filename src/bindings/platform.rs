//! The core's [`Platform`] in the browser: requests through `transport` (web-sys, gloo-net),
//! JSON as the page's own JS values (`convert`), Web Storage, the clock, `crypto`, WebCrypto's
//! RS256, the browser's Unicode, timers, the address bar and WebOTP.

use std::future::Future;
use std::rc::{Rc, Weak};

use js_sys::{Array, Function, Object, JSON};
use wasm_bindgen::prelude::*;
use web_sys::{AbortSignal, StorageEvent};

use super::unicode::Browser;
use super::{browser, signature, transport, webauthn, webotp};
use crate::client::Client;
use crate::convert::{self, Js};
use crate::error::SdkError;
use crate::flows::code_link::CodeLinkParams;
use crate::flows::link::CallbackParams;
use crate::flows::passkey::{RawCredential, WebAuthnCall};
use crate::flows::replies::RsaKey;
use crate::flows::Call;
use crate::given::Given;
use crate::id_token::CompactJwt;
use crate::options::{CacheLocation, Options};
use crate::platform::{Answer, Area, Platform};

/// The browser, as the core sees it.
pub struct Web;

impl Platform for Web {
    type Json = Js;
    type Unicode = Browser;
    type Signal = AbortSignal;
    type Listener = Function;

    // The platform's futures are the browser code's own (no wrapping state machine).
    fn send(
        &self,
        options: &Options,
        call: &Call,
    ) -> impl Future<Output = Result<Answer<Js>, SdkError>> {
        transport::send_for_answer(options, call)
    }

    fn member(&self, value: &Js, name: &str) -> Given {
        super::given(&value.0, name)
    }

    fn nested(&self, value: &Js, name: &str) -> Option<Js> {
        js_sys::Reflect::get(&value.0, &JsValue::from_str(name))
            .ok()
            .filter(JsValue::is_object)
            .map(Js)
    }

    fn items(&self, value: &Js) -> Option<Vec<Js>> {
        Array::is_array(&value.0).then(|| value.0.unchecked_ref::<Array>().iter().map(Js).collect())
    }

    fn write<T: serde::Serialize>(&self, value: &T) -> Option<Js> {
        convert::write(value).map(Js)
    }

    fn parse(&self, text: &str) -> Option<Js> {
        JSON::parse(text).ok().map(Js)
    }

    fn stringify(&self, value: &Js) -> Option<String> {
        JSON::stringify(&value.0).ok().and_then(|t| t.as_string())
    }

    fn assign(&self, object: Js, members: &Js) -> Js {
        let target: Object = if object.0.is_object() && !Array::is_array(&object.0) {
            object.0.unchecked_into()
        } else {
            Object::new()
        };
        Js(Object::assign(&target, members.0.unchecked_ref()).into())
    }

    fn json_part(&self, part: &str) -> Option<Js> {
        signature::json_part(part).map(Js)
    }

    fn verify_rs256(
        &self,
        key: &RsaKey,
        jwt: &CompactJwt<'_>,
    ) -> impl Future<Output = Result<bool, SdkError>> {
        signature::verify(key, jwt)
    }

    fn load(&self, area: Area, key: &str) -> Result<Option<String>, SdkError> {
        Ok(browser::storage(area)?.get_item(key).ok().flatten())
    }

    fn store(&self, area: Area, key: &str, text: &str) -> Result<(), SdkError> {
        browser::storage(area)?
            .set_item(key, text)
            .map_err(|_| SdkError::storage_unavailable())
    }

    fn remove(&self, area: Area, key: &str) {
        if let Ok(storage) = browser::storage(area) {
            let _ = storage.remove_item(key);
        }
    }

    fn keys(&self, area: Area) -> Vec<String> {
        let Ok(storage) = browser::storage(area) else {
            return Vec::new();
        };
        let count = storage.length().unwrap_or(0);
        (0..count)
            .filter_map(|i| storage.key(i).ok().flatten())
            .collect()
    }

    fn now(&self) -> f64 {
        browser::now_seconds()
    }

    fn random_token(&self) -> Result<String, SdkError> {
        browser::random_token()
    }

    fn unicode(&self) -> &Browser {
        &Browser
    }

    fn sleep(
        &self,
        seconds: u32,
        cancel: Option<&AbortSignal>,
    ) -> impl Future<Output = Result<(), SdkError>> {
        browser::sleep(seconds, cancel)
    }

    fn tell(&self, listener: &Function, event: &Js) {
        let _ = listener.call1(&JsValue::NULL, &event.0);
    }

    fn address(&self) -> Option<String> {
        browser::location_href()
    }

    fn callback_of(&self, href: &str) -> (CallbackParams, Option<String>) {
        browser::callback_of(href)
    }

    fn code_link_of(&self, href: &str) -> (CodeLinkParams, Option<String>) {
        browser::code_link_of(href)
    }

    fn replace_address(&self, url: &str) {
        browser::replace_address(url);
    }

    fn receive_sms_code(
        &self,
        signal: Option<AbortSignal>,
    ) -> impl Future<Output = Result<String, SdkError>> {
        webotp::receive_sms_code(signal)
    }

    fn passkeys_supported(&self) -> bool {
        webauthn::supported()
    }

    fn autofill_supported(&self) -> impl Future<Output = bool> {
        webauthn::autofill_supported()
    }

    fn credential(
        &self,
        public_key: Js,
        call: WebAuthnCall,
        signal: Option<AbortSignal>,
    ) -> impl Future<Output = Result<RawCredential, SdkError>> {
        webauthn::ask(public_key, call, signal)
    }
}

/// With `cacheLocation: "localstorage"`, the changes other tabs make to the cached session
/// reach `client` (held weakly: the listener lives as long as the page).
pub fn watch_other_tabs(client: &Rc<Client<Web>>) {
    if client.options().cache_location != CacheLocation::LocalStorage {
        return;
    }
    let client: Weak<Client<Web>> = Rc::downgrade(client);
    let on_storage = Closure::<dyn FnMut(StorageEvent)>::new(move |event: StorageEvent| {
        if let Some(client) = client.upgrade() {
            client.changed_elsewhere(event.key().as_deref(), event.new_value().as_deref());
        }
    });
    if let Some(window) = web_sys::window() {
        let _ =
            window.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
    }
    on_storage.forget();
}
